/// What kind of file PostgreSQL hands to `archive_command` (or asks of `restore_command`), judged by its name.
public enum WalFileKind: Sendable, Hashable {
    /// `000000010000000000000003`: a full WAL segment.
    case segment
    /// `000000010000000000000003.partial`: the last, incomplete segment of a timeline a standby was promoted from.
    case partial
    /// `000000010000000000000003.00000028.backup`: the backup history file written by `pg_backup_stop`.
    case backup
    /// `00000002.history`: a timeline history file.
    case history
    /// Anything else.
    case other

    /// Classifies a bare file name (no directory).
    public init(fileName name: some StringProtocol) {
        let text = String(name)
        let utf8 = Array(text.utf8)
        func hex(_ range: Range<Int>) -> Bool { utf8[range].allSatisfy(WalSegmentName.isUpperHex) }
        switch utf8.count {
        case 24 where hex(0..<24):
            self = .segment
        case 32 where hex(0..<24) && text.hasSuffix(".partial"):
            self = .partial
        case 40 where hex(0..<24) && utf8[24] == UInt8(ascii: ".") && hex(25..<33) && text.hasSuffix(".backup"):
            self = .backup
        case 16 where hex(0..<8) && text.hasSuffix(".history"):
            self = .history
        default:
            self = .other
        }
    }

    /// True for `.segment` and `.partial`, the kinds that live under a 16-character archive directory.
    public var isSegmentData: Bool { self == .segment || self == .partial }
}
