import VaultCore
import VaultStorage

/// `repo-ls [PATH]` (pgBackRest 2.45): lists a repository path, relative to the repository root or absolute under
/// `repoN-path`, through the `Storage` protocol only. A file is shown as `.`; in JSON the listed path itself is
/// `"."` of type path (always, so storage without directories answers the same). Output is written in batches to
/// `CommandOutput`; `--recurse`, `--sort`, `--filter` as `RepoLsWalker` describes.
public struct RepoLsCommand: VaultCommand {
    public static let name = "repo-ls"
    public init() {}

    /// Output is flushed to standard output once this many bytes are pending.
    static let flushSize = 64 * 1024

    public func run(_ context: CommandContext) async throws -> Int32 {
        let config = context.config
        let options = RepoLsOptions(config: config)
        let filter = try options.filter.map { try RepoLsFilter($0) }
        let target = try RepoCommandTarget(config: config, arguments: config.arguments, pathRequired: false)
        let storage = try target.storage(config)
        let output = context.output
        var pending: [UInt8] = []
        var first = true
        func add(_ entry: StorageInfo) async throws {
            if options.json && !first { pending.append(UInt8(ascii: ",")) }
            first = false
            pending.append(contentsOf: RepoLsRenderer.render(entry, json: options.json).utf8)
            if pending.count >= Self.flushSize {
                try await output.write(bytes: pending)
                pending.removeAll(keepingCapacity: true)
            }
        }

        if options.json { pending.append(UInt8(ascii: "{")) }
        if !target.path.isEmpty, var file = try await storage.info(target.path), file.type == .file {
            if filter?.matches(target.absolutePath) ?? true {
                file.name = "."
                try await add(file)
            }
        } else {
            if options.json && (filter?.matches(".") ?? true) { try await add(StorageInfo(name: ".", type: .path)) }
            try await RepoLsWalker(storage: storage, options: options, filter: filter).walk(target.path, emit: add)
        }
        if options.json { pending.append(contentsOf: "}\n".utf8) }
        if !pending.isEmpty { try await output.write(bytes: pending) }
        return 0
    }
}
