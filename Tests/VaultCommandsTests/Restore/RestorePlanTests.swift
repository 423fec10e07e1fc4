import Testing
import VaultConfig
import VaultCore
import VaultRepository
import VaultStorage
@testable import VaultCommands

/// A small manifest: PGDATA with a file, a zero-length file, pg_control, tablespace_map, postgresql.auto.conf and a
/// tablespace 16385 holding one relation file; copy started at t=1000.
func sampleManifest(links: [Manifest.Target] = []) -> Manifest {
    var manifest = Manifest(
        backup: .init(label: "20260101-000000F", type: .full, references: ["20260101-000000F"], timestampStart: 900,
                      timestampCopyStart: 1000),
        db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061),
        options: .init())
    manifest.targets = [
        .init(name: "pg_data", kind: .path, path: "/old/pg"),
        .init(name: "pg_tblspc/16385", kind: .link, path: "/old/ts1", tablespaceId: "16385", tablespaceName: "ts1"),
    ] + links
    func file(_ name: String, _ size: UInt64, _ time: Int64 = 500, checksum: String? = nil) -> ManifestFile {
        ManifestFile(name: name, size: size, timestamp: time, checksum: checksum ?? String(repeating: "a", count: 40),
                     mode: 0o600, user: .name("postgres"), group: .name("postgres"))
    }
    manifest.files = [
        file("pg_data/PG_VERSION", 3), file("pg_data/base/1/1259", 8192), file("pg_data/global/pg_control", 8192),
        file("pg_data/tablespace_map", 10), file("pg_data/postgresql.auto.conf", 50), file("pg_data/empty", 0),
        file("pg_tblspc/16385/PG_15_202209061/16384/16400", 16384),
    ]
    let owner = ManifestOwner.name("postgres")
    manifest.paths = ["pg_data", "pg_data/base", "pg_data/base/1", "pg_data/global", "pg_data/pg_tblspc", "pg_tblspc",
                      "pg_tblspc/16385", "pg_tblspc/16385/PG_15_202209061", "pg_tblspc/16385/PG_15_202209061/16384"]
        .map { Manifest.Path(name: $0, mode: 0o700, user: owner, group: owner) }
    manifest.links = [Manifest.Link(name: "pg_data/pg_tblspc/16385", destination: "/old/ts1", user: owner, group: owner)]
        + links.map { Manifest.Link(name: $0.name, destination: $0.path, user: owner, group: owner) }
    manifest.sortLists()
    return manifest
}

@Suite struct RestoreLayoutTests {
    @Test func dataDirectoryAndTablespacesAreRemapped() throws {
        let byName = try RestoreLayout(manifest: sampleManifest(), pgPath: "/new/pg",
                                       options: RestoreOptions(tablespaceMap: [OptionHashEntry(key: "ts1", value: "/ts/a")]))
        #expect(byName.targets.map(\.path) == ["/new/pg", "/ts/a"])
        #expect(byName.notices == ["remap data directory to '/new/pg'", "map tablespace 'pg_tblspc/16385' to '/ts/a'"])
        let byId = try RestoreLayout(manifest: sampleManifest(), pgPath: "/new/pg",
                                     options: RestoreOptions(tablespaceMap: [OptionHashEntry(key: "16385", value: "/ts/b")]))
        #expect(byId.target(named: "pg_tblspc/16385")?.path == "/ts/b")
        let all = try RestoreLayout(manifest: sampleManifest(), pgPath: "/new/pg", options: RestoreOptions(tablespaceMapAll: "/all"))
        #expect(all.target(named: "pg_tblspc/16385")?.path == "/all/ts1")
        let kept = try RestoreLayout(manifest: sampleManifest(), pgPath: "/old/pg", options: RestoreOptions())
        #expect(kept.targets.map(\.path) == ["/old/pg", "/old/ts1"])
        #expect(kept.notices.isEmpty)
        #expect(try kept.location(of: "pg_tblspc/16385/PG_15_202209061/16384/16400")! == ("/old/ts1", "PG_15_202209061/16384/16400"))
        #expect(try kept.location(of: "pg_data/base/1") ?? ("", "") == ("/old/pg", "base/1"))
        #expect(try kept.location(of: "pg_tblspc") == nil)
    }

    @Test func tablespaceMapErrorsAre076() {
        #expect(throws: PGVError(.tablespaceMap, "unable to remap invalid tablespace 'nope'")) {
            _ = try RestoreLayout(manifest: sampleManifest(), pgPath: "/p",
                                  options: RestoreOptions(tablespaceMap: [OptionHashEntry(key: "nope", value: "/x")]))
        }
        #expect(throws: PGVError(.tablespaceMap, "tablespace remapped by name 'ts1' and id 16385 with different paths")) {
            _ = try RestoreLayout(manifest: sampleManifest(), pgPath: "/p", options: RestoreOptions(tablespaceMap: [
                OptionHashEntry(key: "ts1", value: "/x"), OptionHashEntry(key: "16385", value: "/y")]))
        }
    }

    @Test func linksAreKeptOnlyWhenMappedOrLinkAll() throws {
        let manifest = sampleManifest(links: [.init(name: "pg_data/pg_wal", kind: .link, path: "/old/wal")])
        let plain = try RestoreLayout(manifest: manifest, pgPath: "/p", options: RestoreOptions())
        #expect(plain.target(named: "pg_data/pg_wal") == nil)
        #expect(plain.warnings == ["contents of directory link 'pg_wal' will be restored in a directory at the same location"])
        let all = try RestoreLayout(manifest: manifest, pgPath: "/p", options: RestoreOptions(linkAll: true))
        #expect(all.target(named: "pg_data/pg_wal")?.path == "/old/wal")
        let mapped = try RestoreLayout(manifest: manifest, pgPath: "/p",
                                       options: RestoreOptions(linkMap: [OptionHashEntry(key: "pg_wal", value: "/w")]))
        #expect(mapped.target(named: "pg_data/pg_wal")?.linkDestination == "/w")
        #expect(throws: PGVError(.linkMap, "unable to remap invalid link 'nope'")) {
            _ = try RestoreLayout(manifest: manifest, pgPath: "/p", options: RestoreOptions(linkMap: [OptionHashEntry(key: "nope", value: "/w")]))
        }
    }

    /// A hostile manifest or map cannot point a target at `/`, inside PGDATA, or through `..`.
    @Test(arguments: [
        ("/", "destination '/' of tablespace 'ts1' must not be the root directory"),
        ("/p/base", "restore target 'pg_tblspc/16385' at '/p/base' overlaps 'pg_data' at '/p'"),
        ("relative/../../../..", "destination 'relative/../../../..' of tablespace 'ts1' must not contain '..' above '/'"),
        ("/a/../..", "destination '/a/../..' of tablespace 'ts1' must not contain '..' above '/'"),
        ("/x/../p/../p", "restore target 'pg_tblspc/16385' at '/p' overlaps 'pg_data' at '/p'"),
    ])
    func hostileDestinationsAre070(_ path: String, _ message: String) {
        var manifest = sampleManifest()
        manifest.targets[1].path = path
        let error = #expect(throws: PGVError.self) {
            _ = try RestoreLayout(manifest: manifest, pgPath: "/p", options: RestoreOptions())
        }
        #expect(error?.code == .linkDestination)
        #expect(error?.message == message)
    }

    @Test func relativeLinkResolvesFromItsDirectory() throws {
        let manifest = sampleManifest(links: [.init(name: "pg_data/pg_wal", kind: .link, path: "../wal")])
        let layout = try RestoreLayout(manifest: manifest, pgPath: "/data/pg", options: RestoreOptions(linkAll: true))
        #expect(layout.target(named: "pg_data/pg_wal")?.path == "/data/wal")
        #expect(try RestoreLayout.absolute("/a/./b/../c//d", base: "/", what: "x") == "/a/c/d")
    }

    @Test func namesThroughATablespaceLinkAreRejected() throws {
        let layout = try RestoreLayout(manifest: sampleManifest(), pgPath: "/p", options: RestoreOptions())
        #expect(throws: PGVError(.format, "manifest entry 'pg_data/pg_tblspc/16385/x' must not pass through a tablespace link")) {
            _ = try layout.location(of: "pg_data/pg_tblspc/16385/x")
        }
        #expect(throws: PGVError(.format, "manifest entry 'pg_tblspc/99/x' has no tablespace target")) {
            _ = try layout.location(of: "pg_tblspc/99/x")
        }
    }
}

@Suite struct RestorePlanTests {
    let manifest = sampleManifest()
    var layout: RestoreLayout { try! RestoreLayout(manifest: manifest, pgPath: "/p", options: RestoreOptions()) }

    func entry(_ name: String, _ type: StorageEntryType = .file, size: UInt64 = 0, modified: Int64 = 500,
               mode: UInt32 = 0o600, link: String? = nil) -> StorageInfo {
        StorageInfo(name: name, type: type, size: size, modified: modified, mode: mode, linkDestination: link)
    }

    func plan(_ options: RestoreOptions, type: RestoreOptions.RecoveryType = .default,
              pg: [StorageInfo]?, ts: [StorageInfo]? = nil) throws -> RestorePlan {
        try RestorePlan(manifest: manifest, layout: layout, options: options, type: type,
                        existing: ["pg_data": .init(pg), "pg_tblspc/16385": .init(ts)])
    }

    @Test func emptyTargetCopiesEverythingLargestFirst() throws {
        let plan = try plan(RestoreOptions(), pg: [entry("backup.manifest")])
        #expect(plan.files.map(\.file.name) == [
            "pg_tblspc/16385/PG_15_202209061/16384/16400", "pg_data/base/1/1259", "pg_data/global/pg_control",
            "pg_data/postgresql.auto.conf", "pg_data/PG_VERSION", "pg_data/empty"])
        #expect(plan.files.allSatisfy { $0.action == .copy })
        #expect(plan.files.first { $0.file.name == "pg_data/global/pg_control" }?.writeRelative == "global/pg_control.pgbackrest.tmp")
        #expect(plan.files[0].root == "/old/ts1" && plan.files[0].relative == "PG_15_202209061/16384/16400")
        #expect(plan.removals.isEmpty)
        #expect(plan.links == [RestorePlan.LinkEntry(absolute: "/p/pg_tblspc/16385", destination: "/old/ts1",
                                                    user: .name("postgres"), group: .name("postgres"))])
        #expect(plan.paths.map(\.absolute) == ["/p", "/old/ts1", "/p/base", "/p/global", "/p/pg_tblspc",
                                               "/old/ts1/PG_15_202209061", "/p/base/1", "/old/ts1/PG_15_202209061/16384"])
    }

    @Test func nonEmptyTargetWithoutDeltaIs040() {
        #expect(throws: PGVError(.pathNotEmpty, "unable to restore to path '/p' because it contains files",
                                 hint: "try using --delta if this is what you intended.")) {
            _ = try plan(RestoreOptions(), pg: [entry("stray")])
        }
        #expect(throws: PGVError(.pathNotEmpty, "unable to restore to path '/old/ts1/PG_15_202209061' because it contains files",
                                 hint: "try using --delta if this is what you intended.")) {
            _ = try plan(RestoreOptions(), pg: [], ts: [entry("16384", .path)])
        }
    }

    @Test func preserveIgnoresRecoveryFilesAndKeepsAutoConf() throws {
        let existing = [entry("postgresql.auto.conf"), entry("recovery.signal"), entry("standby.signal")]
        let plan = try plan(RestoreOptions(), type: .preserve, pg: existing)
        #expect(!plan.files.contains { $0.file.name == "pg_data/postgresql.auto.conf" })
        #expect(throws: PGVError.self) { _ = try self.plan(RestoreOptions(), type: .default, pg: existing) }
    }

    /// Delta: what the manifest lacks is removed (paths with their content, links with another destination,
    /// special files); files are compared when at least as long, copied when shorter or missing.
    @Test func deltaRemovesAndDecides() throws {
        let existing = [
            entry("PG_VERSION", size: 3), entry("base", .path, mode: 0o700), entry("base/1", .path, mode: 0o755),
            entry("base/1/1259", size: 4000), entry("base/1/9999", size: 1), entry("stray_dir", .path),
            entry("stray_dir/sub", .path), entry("stray_dir/sub/f"), entry("pg_tblspc", .path, mode: 0o700),
            entry("pg_tblspc/16385", .link, link: "/elsewhere"), entry("socket", .special), entry("empty", size: 7),
            entry("postgresql.auto.conf", size: 80, mode: 0o644), entry("tablespace_map", size: 10),
        ]
        let plan = try plan(RestoreOptions(delta: true), pg: existing)
        #expect(plan.removals.map { "\($0.reason) \($0.absolute)" } == [
            "invalid file /p/base/1/9999", "link because destination changed /p/pg_tblspc/16385", "special file /p/socket",
            "invalid path /p/stray_dir", "invalid file /p/tablespace_map"])
        #expect(plan.modeFixes.map(\.absolute) == ["/p/base/1", "/p/postgresql.auto.conf"])
        let actions = Dictionary(uniqueKeysWithValues: plan.files.map { ($0.file.name, $0.action) })
        #expect(actions == [
            "pg_data/PG_VERSION": .compare, "pg_data/base/1/1259": .copy, "pg_data/global/pg_control": .copy,
            "pg_data/postgresql.auto.conf": .compare, "pg_data/empty": .compare,
            "pg_tblspc/16385/PG_15_202209061/16384/16400": .copy,
        ])
    }

    @Test(arguments: [
        (UInt64(3), Int64(500), RestorePlan.FileAction.keep),   // same size and mtime, before copy start
        (3, 501, .copy),                                         // mtime differs
        (4, 500, .copy),                                         // size differs
    ])
    func deltaForceKeepsBySizeAndTime(_ size: UInt64, _ modified: Int64, _ action: RestorePlan.FileAction) throws {
        let plan = try plan(RestoreOptions(delta: true, force: true), pg: [entry("PG_VERSION", size: size, modified: modified)])
        #expect(plan.files.first { $0.file.name == "pg_data/PG_VERSION" }?.action == action)
    }

    @Test func forceAloneCleansButCopiesEverything() throws {
        let plan = try plan(RestoreOptions(force: true), pg: [entry("PG_VERSION", size: 3), entry("stray")])
        #expect(plan.removals.map(\.absolute) == ["/p/stray"])
        #expect(plan.files.allSatisfy { $0.action == .copy })
    }

    @Test func fileAtAnExistingTimestampAfterCopyStartIsCopiedUnderForce() throws {
        var manifest = sampleManifest()
        manifest.backup.timestampCopyStart = 400
        let plan = try RestorePlan(manifest: manifest, layout: layout, options: RestoreOptions(delta: true, force: true),
                                   type: .default, existing: ["pg_data": .init([entry("PG_VERSION", size: 3)])])
        #expect(plan.files.first { $0.file.name == "pg_data/PG_VERSION" }?.action == .copy)
    }
}
