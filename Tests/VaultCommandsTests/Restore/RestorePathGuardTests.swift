import Testing
import VaultConfig
import VaultCore
import VaultRepository
@testable import VaultCommands

/// A hostile manifest cannot make restore write outside its targets: the guard refuses it before the plan exists
/// (so before anything is written), and the finished plan is checked again.
@Suite struct RestorePathGuardTests {
    func plan(_ manifest: Manifest, _ options: RestoreOptions = RestoreOptions(), pgPath: String = "/new/pg") throws -> RestorePlan {
        let layout = try RestoreLayout(manifest: manifest, pgPath: pgPath, options: options)
        return try RestorePlan(manifest: manifest, layout: layout, options: options, type: .default, existing: [:])
    }

    func withTablespace(path: String, name: String = "ts1", id: String = "16385") -> Manifest {
        var manifest = sampleManifest()
        manifest.targets[1] = .init(name: "pg_tblspc/\(id)", kind: .link, path: path, tablespaceId: id, tablespaceName: name)
        return manifest
    }

    @Test func aCleanManifestPlansAsBefore() throws {
        let plan = try plan(sampleManifest())
        #expect(plan.files.count == 6)
        #expect(plan.files.allSatisfy { ["/new/pg", "/old/ts1"].contains($0.root) })
    }

    @Test func aTablespaceNameThatLeavesTablespaceMapAllIsRefused() {
        // Regression: "<all>/<name>" with name "../etc" resolved lexically to /etc.
        #expect(throws: PGVError(.format, "invalid tablespace name '../etc' of target 'pg_tblspc/16385' in manifest")) {
            _ = try plan(withTablespace(path: "/old/ts1", name: "../etc"), RestoreOptions(tablespaceMapAll: "/all"))
        }
        for name in ["..", ".", "", "a/b", "a\u{0}b"] {
            #expect(throws: PGVError.self) { _ = try plan(withTablespace(path: "/old/ts1", name: name)) }
        }
    }

    @Test func anUnmappedTablespaceMustBeACleanAbsolutePath() throws {
        for path in ["../outside", "/old/../etc", "/old/./ts1", "/old//ts1", "/old/ts1/", "relative"] {
            #expect(throws: PGVError.self, "\(path)") { _ = try plan(withTablespace(path: path)) }
            do {
                _ = try plan(withTablespace(path: path))
            } catch let error as PGVError {
                #expect(error.code == .linkDestination, "\(path): \(error.message)")
            }
        }
        // Remapped by name, by id, or all: the recorded location no longer matters.
        let mapped = try plan(withTablespace(path: "../outside"),
                              RestoreOptions(tablespaceMap: [OptionHashEntry(key: "ts1", value: "/ts/a")]))
        #expect(mapped.files.contains { $0.root == "/ts/a" })
        _ = try plan(withTablespace(path: "../outside"), RestoreOptions(tablespaceMap: [OptionHashEntry(key: "16385", value: "/ts/a")]))
        _ = try plan(withTablespace(path: "../outside"), RestoreOptions(tablespaceMapAll: "/all"))
    }

    @Test func aFileLinkNameMustBeOneComponent() {
        let link = Manifest.Target(name: "pg_data/postgresql.conf", kind: .link, path: "/etc/pg", file: "../../passwd")
        #expect(throws: PGVError(.format, "invalid file name '../../passwd' of link target 'pg_data/postgresql.conf' in manifest")) {
            _ = try plan(sampleManifest(links: [link]), RestoreOptions(linkAll: true))
        }
    }

    @Test func aNonDigitTablespaceIdIsRefused() {
        // Unicode digits pass Character.isNumber; only ASCII digits make an oid.
        #expect(throws: PGVError.self) { _ = try plan(withTablespace(path: "/old/ts1", id: "١٢")) }
    }

    @Test func everyPlannedLocationLiesInsideATarget() throws {
        let layout = try RestoreLayout(manifest: sampleManifest(), pgPath: "/new/pg", options: RestoreOptions())
        var plan = try RestorePlan(manifest: sampleManifest(), layout: layout, options: RestoreOptions(), type: .default,
                                   existing: [:])
        try RestorePathGuard.check(plan: plan, layout: layout)

        var escaped = plan
        escaped.files[0].relative = "base/../../etc/passwd"
        #expect(throws: PGVError.self) { try RestorePathGuard.check(plan: escaped, layout: layout) }
        escaped = plan
        escaped.files[0].root = "/etc"
        #expect(throws: PGVError.self) { try RestorePathGuard.check(plan: escaped, layout: layout) }
        escaped = plan
        escaped.paths.append(.init(absolute: "/new/pg/../etc", mode: 0o700, user: .unmapped, group: .unmapped))
        #expect(throws: PGVError.self) { try RestorePathGuard.check(plan: escaped, layout: layout) }
        plan.removals.append(.init(absolute: "/new/pgx/file", type: .file, reason: "invalid file"))
        #expect(throws: PGVError(.linkDestination, "restore of 'removal' at '/new/pgx/file' would write outside the restore targets")) {
            try RestorePathGuard.check(plan: plan, layout: layout)
        }
    }

    @Test func pathPredicates() {
        #expect(RestorePathGuard.isCleanAbsolute("/a/b"))
        #expect(!RestorePathGuard.isCleanAbsolute("/"))
        #expect(!RestorePathGuard.isCleanAbsolute("a/b"))
        #expect(!RestorePathGuard.isCleanAbsolute("/a/../b"))
        #expect(RestorePathGuard.isInside("/a/b", ["/a"]))
        #expect(RestorePathGuard.isInside("/a", ["/a"]))
        #expect(!RestorePathGuard.isInside("/ab", ["/a"]))
        #expect(RestorePathGuard.isCleanRelative("base/1/2"))
        #expect(!RestorePathGuard.isCleanRelative(""))
        #expect(!RestorePathGuard.isCleanRelative("base/./1"))
    }
}
