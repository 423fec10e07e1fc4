import Testing
import VaultCore
@testable import VaultRepository

@Suite struct ManifestTests {
    static var fixture: [UInt8] { Array(IncrManifestFixture.text.utf8) }

    @Test func fixtureRoundTripsByteForByte() throws {
        let manifest = try Manifest.parse(Self.fixture)
        #expect(manifest.render() == Self.fixture)
        #expect(manifest.writerVersion == "2.45")
    }

    @Test func readsBackupSectionsAndOptions() throws {
        let manifest = try Manifest.parse(Self.fixture)
        #expect(manifest.backup.label == "20240115-101500F_20240116-101500I")
        #expect(manifest.backup.references == ["20240115-101500F", "20240115-101500F_20240116-101500I"])
        #expect(manifest.backup.type == .incr)
        #expect(manifest.backup.timestampCopyStart == 1705400101)
        #expect(manifest.db == PgHistory(id: 1, systemId: 7712362098826484028, version: "15", controlVersion: 1300,
                                         catalogVersion: 202209061))
        #expect(manifest.options.compressType == .lz4)
        #expect(manifest.options.processMax == 2)
        #expect(manifest.cipherPass == "c0mpl3x/pass+word==")
        #expect(manifest.annotation?["reason"] == .string("line1\nline2 \"quoted\""))
        #expect(manifest.databases.map(\.name) == ["a=b", "postgres", "template0", "été"])
        #expect(manifest.target(named: "pg_tblspc/16385")?.tablespaceName == "ts1")
    }

    @Test func appliesDefaultsAndImpliedValues() throws {
        let manifest = try Manifest.parse(Self.fixture)
        let version = try #require(manifest.file(named: "pg_data/PG_VERSION"))
        #expect(version.mode == 0o600 && version.user == .name("postgres") && version.group == .name("postgres"))
        #expect(version.reference == "20240115-101500F" && version.repoSize == 23)
        let catalog = try #require(manifest.file(named: "pg_data/base/1/1259"))
        #expect(catalog.user == .name("root") && catalog.group == .unmapped)
        #expect(catalog.checksumPage == false && catalog.checksumPageError == [1, [5, 9]])
        let empty = try #require(manifest.file(named: "pg_data/empty"))
        #expect(empty.checksum == RepositoryFormat.emptySHA1 && empty.repoSize == 0)
        let map = try #require(manifest.file(named: "pg_data/base/1/pg_filenode.map"))
        #expect(map.bundleId == 1 && map.bundleOffset == 512 && map.repoSize == 512)
        let label = try #require(manifest.file(named: "pg_data/backup_label"))
        #expect(label.mode == 0o640 && label.repoChecksum == "2222222222222222222222222222222222222222")
        #expect(manifest.file(named: "pg_data/dir=x/fi=le ü.txt")?.size == 10)
        #expect(manifest.path(named: "pg_data/base/1")?.mode == 0o750)
        #expect(manifest.path(named: "pg_data")?.mode == 0o700)
        #expect(manifest.path(named: "pg_tblspc/16385/PG_15_202209061/16390")?.group == .unmapped)
        #expect(manifest.links == [Manifest.Link(name: "pg_data/pg_tblspc/16385", destination: "/srv/ts1",
                                                 user: .name("postgres"), group: .name("postgres"))])
    }

    @Test func writerOmitsDefaultsDerivedFromPgData() throws {
        var manifest = Manifest(
            backup: Manifest.Backup(label: "20240115-101500F", type: .full, references: ["20240115-101500F"],
                                    timestampStart: 10, timestampCopyStart: 11),
            db: PgHistory(id: 1, systemId: 7, version: "15", controlVersion: 1300, catalogVersion: 202209061),
            options: Manifest.Options())
        manifest.targets = [Manifest.Target(name: "pg_data", kind: .path, path: "/pg")]
        manifest.paths = [Manifest.Path(name: "pg_data", mode: 0o750, user: .name("pg"), group: .name("pg"))]
        manifest.files = [
            ManifestFile(name: "pg_data/b", size: 0, timestamp: 5, mode: 0o640, user: .name("pg"), group: .name("pg")),
            ManifestFile(name: "pg_data/a", size: 4, timestamp: 5, checksum: String(repeating: "a", count: 40),
                         repoSize: 30, mode: 0o600, user: .unmapped, group: .name("pg")),
        ]
        let text = String(decoding: manifest.render(), as: UTF8.self)
        #expect(text.contains(#"""
            [target:file]
            pg_data/a={"checksum":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","mode":"0600","repo-size":30,"size":4,"timestamp":5,"user":false}
            pg_data/b={"size":0,"timestamp":5}

            [target:file:default]
            group="pg"
            mode="0640"
            user="pg"

            [target:path]
            pg_data={}

            [target:path:default]
            group="pg"
            mode="0750"
            user="pg"


            """#))
        #expect(!text.contains("[target:link"))
        #expect(text.contains("option-compress=true\noption-compress-type=\"gz\"\n"))
        #expect(text.contains("backup-reference=\"20240115-101500F\"\n"))
        #expect(try Manifest.parse(manifest.render()).render() == manifest.render())
    }

    @Test(arguments: [
        "../etc/passwd", "/etc/passwd", "pg_data/../../etc/passwd", "pg_data/./x", "pg_data//x", "pg_data/",
        "base/1/1259", "pg_data", "pg_tblspc/16385/../../../x", "pg_datax/y",
    ])
    func hostileFileNamesAreRejected(name: String) throws {
        var ini = try InfoIni.parse(Self.fixture)
        ini.setRaw("target:file", name, #"{"size":0,"timestamp":1}"#)
        #expect(throws: PGVError(.format, "invalid name '\(name)' in section 'target:file'")) {
            try Manifest.parse(ini.render())
        }
    }

    @Test(arguments: ["pg_data/../x", "/tmp", "x"])
    func hostilePathAndLinkNamesAreRejected(name: String) throws {
        for section in ["target:path", "target:link"] {
            var ini = try InfoIni.parse(Self.fixture)
            ini.setRaw(section, name, section == "target:path" ? "{}" : #"{"destination":"/x"}"#)
            #expect(throws: PGVError(.format, "invalid name '\(name)' in section '\(section)'")) {
                try Manifest.parse(ini.render())
            }
        }
    }

    @Test func hostileReferencesAndSizesAreRejected() throws {
        var ini = try InfoIni.parse(Self.fixture)
        ini.setRaw("target:file", "pg_data/x", #"{"checksum":"1111111111111111111111111111111111111111","reference":"../../x","size":1,"timestamp":1}"#)
        #expect(throws: PGVError(.format, "invalid reference '../../x' for 'pg_data/x' in section 'target:file'")) {
            try Manifest.parse(ini.render())
        }
        ini.setRaw("target:file", "pg_data/x", #"{"checksum":"1111111111111111111111111111111111111111","reference":"20230101-000000F","size":1,"timestamp":1}"#)
        #expect(throws: PGVError(.format, "reference '20230101-000000F' of 'pg_data/x' is not in backup-reference")) {
            try Manifest.parse(ini.render())
        }
        ini.setRaw("target:file", "pg_data/x", #"{"checksum":"1111111111111111111111111111111111111111","size":18446744073709551615,"timestamp":1}"#)
        #expect(throws: PGVError(.format, "invalid size for 'pg_data/x' in section 'target:file'")) {
            try Manifest.parse(ini.render())
        }
        ini.setRaw("target:file", "pg_data/x", #"{"size":5,"timestamp":1}"#)
        #expect(throws: PGVError(.format, "missing checksum for 'pg_data/x' in section 'target:file'")) {
            try Manifest.parse(ini.render())
        }
    }

    @Test func missingDefaultsSectionIsFormatError() throws {
        var ini = try InfoIni.parse(Self.fixture)
        ini.removeSection("target:file:default")
        #expect(throws: PGVError(.format, "missing section 'target:file:default'")) { try Manifest.parse(ini.render()) }
    }

    @Test func compressTypeFallsBackToOptionCompress() throws {
        var ini = try InfoIni.parse(Self.fixture)
        var option = ini.section("backup:option")!
        option.entries.removeAll { $0.key == "option-compress-type" }
        ini.removeSection("backup:option")
        for entry in option.entries { ini.setRaw("backup:option", entry.key, entry.raw) }
        #expect(try Manifest.parse(ini.render()).options.compressType == .gz)
    }
}
