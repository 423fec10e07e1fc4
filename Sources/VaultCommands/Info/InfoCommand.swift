import VaultRepository

/// `info` (reference §9): every stanza (or `--stanza`) over every repository (or `--repo`), as pgBackRest 2.45's
/// text or `--output=json`. `--set` adds one backup's manifest detail; `--type` filters backups. Problems found in a
/// repository become status codes in the output, not a failing exit code.
public struct InfoCommand: VaultCommand {
    public static let name = "info"
    public init() {}

    public func run(_ context: CommandContext) async throws -> Int32 {
        let set = context.config.string("set")
        let json = context.config.string("output") == "json"
        let facts = await InfoCollector(context: context, stanza: context.stanza, set: set).collect()
        let report = InfoReport(set: set, type: context.config.string("type").flatMap(BackupType.init(rawValue:)), json: json)
        let document = report.build(facts)
        if json {
            context.output.write(document.rendered)
        } else {
            var current: [String: InfoStanzaFacts.Cluster] = [:]
            for stanza in facts { current[stanza.name] = stanza.current }
            let text = InfoTextRenderer().render(document, current: current, set: set)
            context.output.line(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        }
        return 0
    }
}
