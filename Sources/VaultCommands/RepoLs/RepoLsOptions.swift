import VaultConfig

/// The repo-ls options (`--output`, `--sort`, `--recurse`, `--filter`), read once from the configuration (pure).
struct RepoLsOptions: Sendable, Equatable {
    enum Sort: String, Sendable { case asc, desc, none }

    var json: Bool
    var sort: Sort
    var recurse: Bool
    var filter: String?

    init(json: Bool = false, sort: Sort = .asc, recurse: Bool = false, filter: String? = nil) {
        self.json = json
        self.sort = sort
        self.recurse = recurse
        self.filter = filter
    }

    init(config: ResolvedConfig) {
        self.init(json: config.string("output") == "json", sort: Sort(rawValue: config.string("sort") ?? "asc") ?? .asc,
                  recurse: config.bool("recurse"), filter: config.string("filter"))
    }
}
