import Foundation
import Testing
import VaultCore
@testable import VaultPostgres

/// `DatabaseSession` against a running throwaway PostgreSQL 15 cluster, reached through its unix socket. Serialized
/// because some tests change the cluster (a tablespace) that others observe (the tablespace map).
@Suite(.serialized, .throwawayCluster(started: true))
struct DatabaseSessionTests {
    static func withSession<T>(_ body: (DatabaseSession, ThrowawayCluster) async throws -> T) async throws -> T {
        let cluster = try ThrowawayCluster.required()
        let session = try await DatabaseSession.connect(cluster.connectionOptions)
        do {
            let result = try await body(session, cluster)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    @Test func connectsAndReadsSettings() async throws {
        try await Self.withSession { session, cluster in
            #expect(session.serverVersionNum / 10000 == 15)
            #expect(try await session.setting("archive_mode") == "on")
            #expect(try await session.setting("archive_command") == "/bin/true")
            #expect(try await session.dataDirectory() == cluster.dataDirectory)
            #expect(try await session.setting("search_path") == "pg_catalog")
            #expect(try await session.setting("client_encoding") == "UTF8")
            #expect(try await session.setting("max_parallel_workers_per_gather") == "0")
            #expect(try await session.setting("application_name") == "pgvault")
            #expect(try await session.isInRecovery() == false)
            let now = Date().timeIntervalSince1970
            #expect(abs(try await session.currentTimestamp() - now) < 60)
            try await session.ping()
        }
    }

    @Test func systemIdentifierMatchesPgControl() async throws {
        try await Self.withSession { session, cluster in
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cluster.dataDirectory + "/global/pg_control")))
            #expect(try await session.systemIdentifier() == (try PgControl(bytes: bytes)).systemIdentifier)
        }
    }

    @Test func backupStartAndStopOnTheSameSession() async throws {
        try await Self.withSession { session, _ in
            let linked = try await session.tablespaces().filter { $0.location != nil }
            let start = try await session.backupStart(label: "pgvault test backup", fast: true)
            #expect(start.timeline == 1)
            #expect(start.walSegment == WalSegmentName(lsn: start.lsn, timeline: 1, segmentSize: 16 * 1024 * 1024).name)
            let stop = try await session.backupStop()
            #expect(stop.lsn >= start.lsn)
            #expect(stop.walSegment >= start.walSegment)
            #expect(stop.labelFile.contains("START WAL LOCATION: \(start.lsn) (file \(start.walSegment))"))
            #expect(stop.labelFile.contains("LABEL: pgvault test backup"))
            if linked.isEmpty {
                #expect(stop.tablespaceMapFile == nil)
            } else {
                let map = try #require(stop.tablespaceMapFile)
                for tablespace in linked { #expect(map.contains("\(tablespace.oid) \(tablespace.location ?? "")\n")) }
            }
        }
    }

    @Test func backupStopOnAnotherSessionFails() async throws {
        try await Self.withSession { session, _ in
            let error = await #expect(throws: PGVError.self) { try await session.backupStop() }
            #expect(error?.code == .dbQuery)
            #expect(error?.message.contains("[55000] backup is not in progress") == true)
        }
    }

    @Test func switchWalAndRestorePoint() async throws {
        try await Self.withSession { session, cluster in
            try cluster.psql("CREATE TABLE IF NOT EXISTS switch_test (id int); INSERT INTO switch_test VALUES (1)")
            let before = try await session.currentWalLsn()
            let switched = try await session.switchWal()
            #expect(switched.lsn >= before)
            #expect(WalSegmentName.isSegment(switched.walSegment))
            let after = try await session.currentWalLsn()
            #expect(after >= switched.lsn)
            let point = try await session.createRestorePoint("pgvault-test-point")
            #expect(point >= switched.lsn)
            #expect(try await session.walFileName(point) == WalSegmentName(lsn: point, timeline: 1, segmentSize: 16 * 1024 * 1024).name)
        }
    }

    @Test func listsDatabasesWithTemplate0AsLastSystemOid() async throws {
        try await Self.withSession { session, _ in
            let databases = try await session.databases()
            let byName = Dictionary(uniqueKeysWithValues: databases.map { ($0.name, $0) })
            let template0 = try #require(byName["template0"])
            #expect(try #require(byName["template1"]).oid == 1)
            #expect(try #require(byName["postgres"]).oid > 1)
            #expect(databases.allSatisfy { $0.lastSystemOid == template0.oid })
        }
    }

    @Test func listsACreatedTablespaceWithItsLocation() async throws {
        try await Self.withSession { session, cluster in
            let location = try cluster.makePostgresDirectory("tablespace1")
            _ = try await session.query("CREATE TABLESPACE pgvault_ts LOCATION '\(location)'")
            let tablespaces = try await session.tablespaces()
            let created = try #require(tablespaces.first { $0.name == "pgvault_ts" })
            #expect(created.location == location)
            #expect(created.oid > 16383)
            #expect(tablespaces.first { $0.name == "pg_default" }?.location == nil)
            #expect(tablespaces.first { $0.name == "pg_global" }?.location == nil)
        }
    }

    @Test func connectionFailureIs056WithAHint() async throws {
        let cluster = try ThrowawayCluster.required()
        var options = cluster.connectionOptions
        options.port = cluster.port + 1
        let error = await #expect(throws: PGVError.self) { try await DatabaseSession.connect(options) }
        #expect(error?.code == .dbConnect)
        #expect(error?.message.hasPrefix("unable to connect to '\(options.conninfo)': ") == true)
        #expect(error?.message.contains("\n") == false)
        #expect(error?.hint?.contains("pg1-port") == true)
    }

    @Test func queryFailureIs057WithSqlState() async throws {
        try await Self.withSession { session, _ in
            let error = await #expect(throws: PGVError.self) { try await session.query("SELECT 1/0") }
            #expect(error == PGVError(.dbQuery, "unable to execute query 'SELECT 1/0': [22012] division by zero"))
        }
    }

    @Test func closedSessionRefusesQueries() async throws {
        let session = try await DatabaseSession.connect(try ThrowawayCluster.required().connectionOptions)
        await session.close()
        let error = await #expect(throws: PGVError.self) { try await session.ping() }
        #expect(error?.code == .dbQuery)
    }

    @Test func advisoryLockHeldBySecondSessionIs050() async throws {
        let cluster = try ThrowawayCluster.required()
        let first = try await DatabaseSession.connect(cluster.connectionOptions)
        let second = try await DatabaseSession.connect(cluster.connectionOptions)
        try await first.advisoryLock()
        let error = await #expect(throws: PGVError.self) { try await second.advisoryLock() }
        #expect(error?.code == .lockAcquire)
        #expect(error?.message == "unable to acquire pgvault advisory lock")
        await first.close()
        // The server releases the lock when the first backend has exited, shortly after PQfinish.
        var acquired = false
        for _ in 0..<100 where !acquired {
            do {
                try await second.advisoryLock()
                acquired = true
            } catch let error as PGVError where error.code == .lockAcquire {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        #expect(acquired)
        await second.close()
    }
}
