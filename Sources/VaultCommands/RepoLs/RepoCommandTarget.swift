import VaultConfig
import VaultCore
import VaultStorage

/// The repository and path a repo-ls or repo-get command line names: `--repo` (default: the first configured
/// repository), its storage, and the one positional path made relative to the repository root.
///
/// The path rules are pgBackRest's (`repoPathIsValid`): no `//` (096), a trailing `/` dropped, an absolute path
/// must lie under `repoN-path` (096 otherwise) and loses that prefix; storage then rejects `..` (096).
struct RepoCommandTarget: Sendable {
    let repoIndex: Int
    /// `repoN-path` as configured (for messages, and what an absolute argument must start with).
    let repoPath: String
    /// Relative to the repository root; empty for the root itself.
    let path: String

    /// Resolves the target from the configuration; `arguments` are the command's positional words.
    init(config: ResolvedConfig, arguments: [String], pathRequired: Bool) throws {
        repoIndex = config.int("repo") ?? config.repoIndexes.first ?? 1
        repoPath = config.repo(repoIndex).path
        if arguments.count > 1 { throw PGVError(.paramInvalid, "only one path may be specified") }
        guard let argument = arguments.first else {
            if pathRequired { throw PGVError(.parameterRequired, "source file required") }
            path = ""
            return
        }
        path = try Self.relativePath(argument, repoPath: repoPath)
    }

    /// `argument` relative to the repository root at `repoPath` (pure).
    static func relativePath(_ argument: String, repoPath: String) throws -> String {
        if argument.contains("//") { throw PGVError(.paramInvalid, "path '\(argument)' cannot contain //") }
        var path = argument
        if path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path.hasPrefix("/") {
            var root = repoPath
            while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
            if path == root { return "" }
            if root != "/" && !path.hasPrefix(root + "/") {
                throw PGVError(.paramInvalid, "absolute path '\(path)' is not in base path '\(repoPath)'")
            }
            path = String(path.dropFirst(root == "/" ? 1 : root.count + 1))
        }
        return try StoragePath.normalize(path)
    }

    /// The storage of the target repository (`RepositoryStorageFactory`).
    func storage(_ config: ResolvedConfig) throws -> any Storage {
        try RepositoryStorageFactory.storage(for: config.repo(repoIndex))
    }

    /// The path as pgBackRest's storage reports it: `repoN-path` joined with the relative path.
    var absolutePath: String {
        if path.isEmpty { return repoPath }
        return repoPath.hasSuffix("/") ? repoPath + path : repoPath + "/" + path
    }
}
