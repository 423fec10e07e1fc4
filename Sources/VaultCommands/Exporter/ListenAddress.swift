import VaultCore

/// The `--listen` value: `host:port`, `[v6-address]:port`, or `:port` (all IPv4 interfaces); port 0 lets the
/// kernel choose.
struct ListenAddress: Sendable, Equatable {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Fails with `.optionInvalidValue` (032) naming the value.
    init(parsing text: String) throws {
        let invalid = PGVError(.optionInvalidValue, "'\(text)' is not valid for 'listen' option",
                               hint: "use host:port, e.g. 127.0.0.1:9854")
        guard let colon = text.lastIndex(of: ":") else { throw invalid }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port), !host.contains("[")
        else { throw invalid }
        self.init(host: host.isEmpty ? "0.0.0.0" : host, port: port)
    }
}
