/// A relation file name inside a database directory, `<relfilenode>[_<fork>][.<segment>]` (`16384`,
/// `16384_fsm`, `16384.2`, `16384_init`), or a temporary relation `t<backend>_<relfilenode>...`.
public struct RelationFileName: Sendable, Hashable {
    public var relfilenode: String
    /// `fsm`, `vm`, `init`, or nil for the main fork.
    public var fork: String?
    public var segment: UInt32
    /// True for `t<backend>_<relfilenode>` names (temporary relations).
    public var isTemporary: Bool

    private static let forks: Set<Substring> = ["fsm", "vm", "init"]

    /// Parses a bare file name; nil when it is not a relation file.
    public init?(_ name: some StringProtocol) {
        var rest = Substring(name)
        var temporary = false
        if rest.first == "t" {
            // t<backend>_<relfilenode>
            let afterT = rest.dropFirst()
            guard let underscore = afterT.firstIndex(of: "_"), Self.isDigits(afterT[..<underscore]) else { return nil }
            rest = afterT[afterT.index(after: underscore)...]
            temporary = true
        }
        var segment: UInt32 = 0
        if let dot = rest.firstIndex(of: ".") {
            let digits = rest[rest.index(after: dot)...]
            guard Self.isDigits(digits), let value = UInt32(digits) else { return nil }
            segment = value
            rest = rest[..<dot]
        }
        var fork: String?
        if let underscore = rest.firstIndex(of: "_") {
            let forkName = rest[rest.index(after: underscore)...]
            guard Self.forks.contains(forkName) else { return nil }
            fork = String(forkName)
            rest = rest[..<underscore]
        }
        guard Self.isDigits(rest) else { return nil }
        relfilenode = String(rest)
        self.fork = fork
        self.segment = segment
        isTemporary = temporary
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
