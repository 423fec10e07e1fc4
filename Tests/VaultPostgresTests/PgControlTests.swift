import Foundation
import Testing
import VaultCore
@testable import VaultPostgres

/// `pg_control` of a real `initdb -k` cluster, checked field by field against `pg_controldata`.
@Suite(.throwawayCluster(started: false))
struct PgControlTests {
    static func controlBytes(_ cluster: ThrowawayCluster) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/" + PgControl.path)))
    }

    /// `pg_controldata` output as `label: value` pairs.
    static func controlData(_ cluster: ThrowawayCluster) throws -> [String: String] {
        let text = try cluster.runAsPostgres([ThrowawayCluster.binDirectory + "/pg_controldata", "-D", cluster.dataDirectory])
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    @Test func matchesPgControldata() throws {
        let cluster = try ThrowawayCluster.required()
        let bytes = try Self.controlBytes(cluster)
        #expect(bytes.count == 8192)
        let control = try PgControl(bytes: bytes)
        let expected = try Self.controlData(cluster)
        #expect(String(control.systemIdentifier) == expected["Database system identifier"])
        #expect(String(control.controlVersion) == expected["pg_control version number"])
        #expect(String(control.catalogVersion) == expected["Catalog version number"])
        #expect(control.checkpoint.description == expected["Latest checkpoint location"])
        #expect(control.checkpointRedo.description == expected["Latest checkpoint's REDO location"])
        #expect(String(control.timeline) == expected["Latest checkpoint's TimeLineID"])
        #expect(String(control.dataChecksumVersion) == expected["Data page checksum version"])
        #expect(String(control.walSegmentSize) == expected["Bytes per WAL segment"])
        #expect(String(control.pageSize) == expected["Database block size"])
        #expect(String(control.walPageSize) == expected["WAL block size"])
        #expect(expected["Database cluster state"] == "shut down" && control.state == 1)
        #expect(control.version.major == 15)
        #expect(control.controlVersion == 1300)
        #expect(control.catalogVersion == 202_209_061)
        #expect(control.pageChecksums)
    }

    @Test func walPageMagicOfTheTableMatchesARealSegment() throws {
        let cluster = try ThrowawayCluster.required()
        let control = try PgControl(bytes: try Self.controlBytes(cluster))
        let segment = WalSegmentName(lsn: control.checkpoint, timeline: control.timeline, segmentSize: control.walSegmentSize)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: cluster.dataDirectory + "/pg_wal/" + segment.name))
        defer { try? handle.close() }
        let header = [UInt8](try #require(try handle.read(upToCount: 2)))
        #expect(UInt16(header[0]) | UInt16(header[1]) << 8 == control.version.walPageMagic)
    }

    @Test func flippedByteFailsTheCrc() throws {
        var bytes = try Self.controlBytes(try ThrowawayCluster.required())
        bytes[40] ^= 0x01
        let error = #expect(throws: PGVError.self) { try PgControl(bytes: bytes, source: "/pg/global/pg_control") }
        #expect(error?.code == .checksum)
        #expect(error?.message.hasPrefix("'/pg/global/pg_control' has an invalid crc: stored 0x") == true)
    }

    @Test func bytesPastTheCrcDoNotMatter() throws {
        var bytes = try Self.controlBytes(try ThrowawayCluster.required())
        bytes[4000] ^= 0xFF
        #expect(try PgControl(bytes: bytes).version.major == 15)
        #expect(try PgControl(bytes: Array(bytes[0..<292])).version.major == 15)
    }

    @Test func truncatedFileIsInvalid() throws {
        let bytes = try Self.controlBytes(try ThrowawayCluster.required())
        #expect(throws: PGVError(.fileInvalid, "'global/pg_control' is truncated: 291 bytes, pg_control needs at least 292")) {
            try PgControl(bytes: Array(bytes[0..<291]))
        }
        #expect(throws: PGVError(.fileInvalid, "'global/pg_control' is truncated: 10 bytes is too short for pg_control")) {
            try PgControl(bytes: Array(bytes[0..<10]))
        }
    }

    @Test func unknownVersionIsNotSupported() throws {
        var bytes = try Self.controlBytes(try ThrowawayCluster.required())
        bytes[8] = 0x10 // control version 1296 (0x510)
        let error = #expect(throws: PGVError.self) { try PgControl(bytes: bytes) }
        #expect(error?.code == .versionNotSupported)
    }
}
