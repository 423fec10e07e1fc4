import Foundation
import Testing
import VaultCore
@testable import VaultConfig

/// The option parser end to end on hostile input: argv words built from real option and command names with
/// mutated values (huge numbers, `--no-`, `=`, NUL, invalid sizes), `PGBACKREST_*` variables with mutated names and
/// values, and a mutated `pgbackrest.conf`. Every input resolves or throws `PGVError`.
struct FuzzConfigResolverTests {
    static let table = OptionTable.standard
    static let values = ["main", "full", "incr", "diff", "y", "n", "1", "0", "4", "lz4", "zst", "gz", "bz2",
                         "aes-256-cbc", "/var/lib/postgresql/15/main", "10MiB", "1GB", "65536", "3.5", "-1",
                         "18446744073709551616", "key=value", "detail", "off", "2026-11-26 12:00:00+00", ""]

    /// One argv list: a few options around a command word, each option written one of the ways the parser accepts.
    static func arguments(_ mutator: inout FuzzMutator) -> [String] {
        var words: [String] = []
        for _ in 0..<(1 + mutator.random.below(6)) {
            var name = mutator.pick(table.optionNames)
            if mutator.random.chance(4) { name = name.replacingOccurrences(of: "1", with: String(mutator.random.below(300))) }
            if mutator.random.chance(6) { name = String(name.prefix(1 + mutator.random.below(max(1, name.count)))) }
            var value = mutator.pick(values)
            if mutator.random.chance(3) { value = mutator.mutate(value) }
            switch mutator.random.below(5) {
            case 0: words.append("--\(name)=\(value)")
            case 1: words += ["--\(name)", value]
            case 2: words.append("--no-\(name)")
            case 3: words.append("--reset-\(name)")
            default: words.append("--\(name)")
            }
        }
        let command = mutator.random.chance(8) ? mutator.mutate(mutator.pick(table.commandNames))
                                               : mutator.pick(table.commandNames)
        words.insert(command, at: mutator.random.below(words.count + 1))
        if mutator.random.chance(5) { words.insert("help", at: 0) }
        if mutator.random.chance(5) { words[mutator.random.below(words.count)] = mutator.mutate(words[mutator.random.below(words.count)]) }
        return words
    }

    static func environment(_ mutator: inout FuzzMutator) -> [String: String] {
        var environment: [String: String] = [:]
        for _ in 0..<mutator.random.below(4) {
            var name = "PGBACKREST_" + mutator.pick(table.optionNames).uppercased().replacingOccurrences(of: "-", with: "_")
            if mutator.random.chance(5) { name = mutator.mutate(name) }
            var value = mutator.pick(values)
            if mutator.random.chance(2) { value = mutator.mutate(value) }
            environment[name] = value
        }
        return environment
    }

    @Test func fuzzConfigResolve() {
        let config = Array(ConfigFixture.runbookConfig.utf8)
        let run = FuzzLoop.run("option parser", generate: { mutator in
            (Self.arguments(&mutator), Self.environment(&mutator),
             String(decoding: mutator.random.chance(2) ? mutator.mutate(config) : config, as: UTF8.self))
        }) { (arguments: [String], environment: [String: String], text: String) in
            let inputs = ConfigInputs.memory(environment: environment, files: ["/etc/pgbackrest/pgbackrest.conf": text])
            _ = try ConfigResolver(inputs: inputs).resolve(arguments: arguments)
        }
        #expect(run.passed == run.iterations)
    }

    @Test func fuzzCommandLineParse() {
        let run = FuzzLoop.run("command line", generate: { Self.arguments(&$0) }) { arguments in
            _ = try CommandLineParser().parse(arguments)
        }
        #expect(run.passed == run.iterations)
    }
}
