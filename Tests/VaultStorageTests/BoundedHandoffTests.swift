import Testing
import VaultCore
@testable import VaultStorage

@Suite struct BoundedHandoffTests {
    @Test func batchesAreBoundedAndComplete() async throws {
        let handoff = BoundedHandoff()
        let pool = BlockingPool(threads: 1)
        // The producer blocks while batches are unconsumed, so it runs on a pool thread, never the cooperative pool.
        let producer = Task {
            try await pool.run {
                let chunk = [UInt8](repeating: 1, count: 10_000)
                for _ in 0..<500 { try chunk.withUnsafeBytes { try handoff.put($0) } }
                try handoff.flush()
                handoff.finish(nil)
            }
        }
        var total = 0
        var largest = 0
        for try await batch in handoff.stream {
            total += batch.count
            largest = max(largest, batch.count)
            handoff.consumed()
        }
        try await producer.value
        try await pool.shutdown()
        #expect(total == 5_000_000)
        #expect(largest < BoundedHandoff.batchSize + 10_000)
    }

    @Test func abandonReleasesAWaitingProducer() async throws {
        let handoff = BoundedHandoff()
        let pool = BlockingPool(threads: 1)
        let producer = Task {
            try await pool.run {
                let chunk = [UInt8](repeating: 1, count: BoundedHandoff.batchSize)
                for _ in 0..<(BoundedHandoff.permits * 4) { try chunk.withUnsafeBytes { try handoff.put($0) } }
            }
        }
        var iterator = handoff.stream.makeAsyncIterator()
        _ = try await iterator.next()
        handoff.abandon()
        await #expect(throws: CancellationError.self) { try await producer.value }
        try await pool.shutdown()
    }
}
