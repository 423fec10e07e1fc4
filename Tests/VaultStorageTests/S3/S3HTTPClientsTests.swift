import Testing
@testable import VaultStorage

/// `S3HTTPClients`' detached-abort registry: what a dropped writer started is finished before the process exits.
struct S3HTTPClientsTests {
    actor Finished {
        var count = 0
        func add() { count += 1 }
    }

    @Test func drainWaitsForEveryTrackedAbort() async {
        let finished = Finished()
        for _ in 0..<3 {
            S3HTTPClients.trackDetachedAbort(Task {
                try? await Task.sleep(for: .milliseconds(50))
                await finished.add()
            })
        }
        await S3HTTPClients.drainDetachedAborts()
        #expect(await finished.count == 3)
    }
}
