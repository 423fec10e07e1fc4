import VaultCore
import VaultRepository

/// `repoN-retention-history` (pgBackRest 2.45 `removeExpiredHistory`): the `backup.history/<YYYY>/<label>.manifest.gz`
/// copies of backups no longer in backup.info are removed once their label sorts before the full label of
/// `now - days` (local time, as labels are). A whole year directory before that label's year goes at once; the
/// year of that label is looked at file by file; later years are kept. Manifests of current backups always stay.
public struct BackupHistoryRetention: Sendable, Equatable {
    /// Removals relative to `backup.history`, with their INFO lines.
    public enum Step: Sendable, Equatable {
        case removeYear(String)
        case removeManifest(year: String, file: String)
        case log(String)
    }

    /// The full label of the oldest moment kept, e.g. `20240101-120000F`.
    public let minimumLabel: String

    public init(days: Int, now: Int64, stamp: (Int64) -> BackupLabel.Stamp = BackupLabel.Stamp.local) {
        minimumLabel = BackupLabel.format(type: .full, prior: nil, stamp: stamp(now - Int64(days) * 86_400)).rawValue
    }

    /// The year directory whose files must be listed (`minimumLabel`'s year).
    public var boundaryYear: String { String(minimumLabel.prefix(4)) }

    /// `years`: the entries of `backup.history` (only `^2[0-9]{3}$` count); `boundaryFiles`: the listing of the
    /// boundary year; `current`: labels in backup.info.
    public func steps(years: [String], boundaryFiles: [String], current: Set<String>, repo: String) -> [Step] {
        var steps: [Step] = []
        for year in years.filter(Self.isYear).sorted(by: { ByteOrder.precedes($0, $1) }) {
            if ByteOrder.precedes(year, boundaryYear) {
                steps.append(.log("\(repo): remove expired backup history path \(year)"))
                steps.append(.removeYear(year))
            } else if year == boundaryYear {
                for file in boundaryFiles.sorted(by: { ByteOrder.precedes($1, $0) }) {
                    guard file.hasSuffix(Self.suffix) else { continue }
                    let label = String(file.dropLast(Self.suffix.count))
                    guard BackupLabel.isValid(label), !current.contains(label),
                          ByteOrder.precedes(label, minimumLabel) else { continue }
                    steps.append(.log("\(repo): remove expired backup history manifest \(file)"))
                    steps.append(.removeManifest(year: year, file: file))
                }
            } else {
                break
            }
        }
        return steps
    }

    static let suffix = ".manifest.gz"

    static func isYear(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        return bytes.count == 4 && bytes[0] == UInt8(ascii: "2") && bytes.allSatisfy { (0x30...0x39).contains($0) }
    }
}
