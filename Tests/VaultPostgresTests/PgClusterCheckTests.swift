import Foundation
import Testing
import VaultCore
@testable import VaultPostgres

/// The server-against-pg_control check, on a running throwaway cluster and with pg_control bytes altered to
/// describe another cluster (system id rewritten, CRC recomputed).
@Suite(.throwawayCluster(started: true))
struct PgClusterCheckTests {
    static func control(_ cluster: ThrowawayCluster, systemIdentifier: UInt64? = nil) throws -> PgControl {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/global/pg_control")))
        if let systemIdentifier {
            withUnsafeBytes(of: systemIdentifier.littleEndian) { bytes.replaceSubrange(0..<8, with: $0) }
            let crc = CRC32C.checksum(bytes[0..<288])
            withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(288..<292, with: $0) }
        }
        return try PgControl(bytes: bytes)
    }

    @Test func sameClusterPasses() async throws {
        let cluster = try ThrowawayCluster.required()
        let session = try await DatabaseSession.connect(cluster.connectionOptions)
        let control = try Self.control(cluster)
        await #expect(throws: Never.self) {
            try await PgClusterCheck.validate(session: session, control: control, pgPath: cluster.dataDirectory)
        }
        await session.close()
    }

    @Test func otherSystemIdentifierIs058() async throws {
        let cluster = try ThrowawayCluster.required()
        let real = try Self.control(cluster)
        let other = try Self.control(cluster, systemIdentifier: 7_000_000_000_000_000_001)
        let session = try await DatabaseSession.connect(cluster.connectionOptions)
        let error = await #expect(throws: PGVError.self) {
            try await PgClusterCheck.validate(session: session, control: other, pgPath: "/other/pg")
        }
        await session.close()
        #expect(error == PGVError(
            .dbMismatch,
            "version '15' and system-id '\(real.systemIdentifier)' queried from cluster do not match version '15' and "
                + "system-id '7000000000000000001' read from '/other/pg/global/pg_control'",
            hint: "the pg1-path and pg1-port settings likely reference different clusters"))
    }

    @Test func otherVersionIs058() throws {
        let control = try Self.control(try ThrowawayCluster.required())
        let error = #expect(throws: PGVError.self) {
            try PgClusterCheck.compare(serverVersionNum: 140_010, systemIdentifier: control.systemIdentifier, control: control)
        }
        #expect(error?.code == .dbMismatch)
        #expect(error?.message.hasPrefix("version '14' and system-id") == true)
        #expect(error?.message.hasSuffix("read from pg_control") == true)
    }
}
