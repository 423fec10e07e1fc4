import Foundation
import Testing
import VaultCore

/// Runs one fuzz target for `PGVAULT_FUZZ_SECONDS` seconds (default 1): generates inputs with a `FuzzMutator`
/// seeded from `PGVAULT_FUZZ_SEED` (random when unset, printed either way) and feeds them to the code under test.
///
/// An input passes when the code returns or throws `PGVError`; any other error is recorded as a test issue naming
/// the seed and iteration. A trap (index out of range, overflow, force unwrap) ends the process: the printed seed
/// replays it. With `REL_RESULTS` set (and `recorded`), one line is appended to that TSV (O_APPEND, one write):
/// `fuzz: <target>\t<iterations>\t<iterations ok>\t0\t0\t<seed>`.
///
/// Lives in `Tests/VaultCoreTests/Support/`; other test modules hold a symlink to it.
enum FuzzLoop {
    static var seconds: Double {
        ProcessInfo.processInfo.environment["PGVAULT_FUZZ_SECONDS"].flatMap(Double.init) ?? 1
    }

    static func seed() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["PGVAULT_FUZZ_SEED"], let seed = UInt64(text) { return seed }
        return UInt64.random(in: 0..<1_000_000)
    }

    /// Byte inputs: each iteration mutates one of `seeds` or of the inputs accepted so far (up to 64 kept, a
    /// crude stand-in for coverage feedback that lets edits pile up on inputs that still parse).
    @discardableResult
    static func run(_ target: String, seeds: [[UInt8]], recorded: Bool = true,
                    sourceLocation: SourceLocation = #_sourceLocation,
                    _ body: ([UInt8]) throws -> Void) -> (iterations: Int, passed: Int) {
        precondition(!seeds.isEmpty)
        var accepted: [[UInt8]] = []
        return run(target, recorded: recorded, sourceLocation: sourceLocation, generate: { mutator in
            let base = accepted.isEmpty || mutator.random.chance(2) ? mutator.pick(seeds) : mutator.pick(accepted)
            return mutator.mutate(base)
        }, { (input: [UInt8]) in
            try body(input)
            if accepted.count < 64 { accepted.append(input) } else { accepted[Int(input.count) % 64] = input }
        })
    }

    /// Structured inputs (argv lists, environments): `generate` builds each input from the mutator.
    @discardableResult
    static func run<Input>(_ target: String, recorded: Bool = true, sourceLocation: SourceLocation = #_sourceLocation,
                           generate: (inout FuzzMutator) -> Input, _ body: (Input) throws -> Void)
        -> (iterations: Int, passed: Int) {
        let seed = seed()
        print("fuzz \(target): seed \(seed) for \(seconds) s (replay with PGVAULT_FUZZ_SEED=\(seed))")
        var mutator = FuzzMutator(seed: seed)
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var iterations = 0
        var passed = 0
        var accepted = 0
        repeat {
            let input = generate(&mutator)
            iterations += 1
            do {
                try body(input)
                passed += 1
                accepted += 1
            } catch is PGVError {
                passed += 1
            } catch {
                Issue.record("fuzz \(target): seed \(seed) iteration \(iterations) threw \(type(of: error)): \(error)",
                             sourceLocation: sourceLocation)
            }
        } while ContinuousClock.now < deadline
        print("fuzz \(target): \(iterations) inputs, \(passed) parsed or refused with PGVError (\(accepted) parsed)")
        if recorded { record("fuzz: \(target)\t\(iterations)\t\(passed)\t0\t0\t\(seed)\n") }
        return (iterations, passed)
    }

    private static func record(_ line: String) {
        guard let path = ProcessInfo.processInfo.environment["REL_RESULTS"], !path.isEmpty else { return }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
