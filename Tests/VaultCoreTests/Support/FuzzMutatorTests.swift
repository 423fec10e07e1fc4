import Testing
import VaultCore

/// The fuzz tests' mutator and loop: the same seed replays the same inputs, inputs stay bounded, and the loop counts
/// a `PGVError` as a pass.
struct FuzzMutatorTests {
    @Test func fuzzMutatorIsDeterministicPerSeed() {
        let seed = Array("[backrest]\nbackrest-format=5\n".utf8)
        var first = FuzzMutator(seed: 42)
        var second = FuzzMutator(seed: 42)
        var other = FuzzMutator(seed: 43)
        let a = (0..<200).map { _ in first.mutate(seed) }
        let b = (0..<200).map { _ in second.mutate(seed) }
        let c = (0..<200).map { _ in other.mutate(seed) }
        #expect(a == b)
        #expect(a != c)
        #expect(a.contains { $0 != seed })
        #expect(a.allSatisfy { $0.count <= FuzzMutator.maxSize })
    }

    @Test func fuzzMutatorHandlesEmptyInput() {
        var mutator = FuzzMutator(seed: 1)
        for _ in 0..<1000 { _ = mutator.mutate([]) }
        #expect(mutator.random.below(10) < 10)
    }

    @Test func fuzzLoopCountsPGVErrorAsPass() {
        let run = FuzzLoop.run("self-test", seeds: [[1, 2, 3]], recorded: false) { bytes in
            if bytes.count % 2 == 0 { throw PGVError(.format, "even") }
        }
        #expect(run.iterations > 0)
        #expect(run.passed == run.iterations)
    }
}
