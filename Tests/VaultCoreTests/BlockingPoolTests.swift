import Testing
@testable import VaultCore

@Suite struct BlockingPoolTests {
    @Test func runsWorkOffTheCallerAndReturnsResults() async throws {
        let pool = BlockingPool(threads: 2)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 0..<8 { group.addTask { try await pool.run { value * value } } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }.sorted()
        }
        #expect(results == [0, 1, 4, 9, 16, 25, 36, 49])
        try await pool.shutdown()
    }

    @Test func rethrowsTheBodysError() async throws {
        await #expect(throws: PGVError(.fileRead, "x")) {
            try await BlockingPool.shared.run { throw PGVError(.fileRead, "x") }
        }
    }
}
