/// A seeded mutator for the fuzz tests (the libFuzzer target in `Fuzz/` does the same job with coverage feedback).
///
/// Starting from a valid input (a real manifest, info file, config file or compressed frame), each call applies one
/// to four random edits: flip a bit, overwrite or insert bytes, delete or duplicate a range, truncate, duplicate,
/// drop or swap a line, or splice in a hostile token (huge and negative numbers, `../`, NUL, brackets, quotes). The
/// same seed gives the same sequence of inputs, so a failure is replayed with `PGVAULT_FUZZ_SEED`.
///
/// This file lives in `Tests/VaultCoreTests/Support/`; the other test modules hold a symlink to it (a test target
/// cannot import another one).
struct FuzzMutator {
    /// SplitMix64: small, fast, and the same on every platform.
    struct Random {
        private var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A value in `0..<bound` (bound > 0).
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func chance(_ oneIn: Int) -> Bool { below(oneIn) == 0 }
    }

    /// Values that break naive parsers: integer limits and just past them, negatives, a terabyte, path escapes,
    /// structure characters and invalid UTF-8.
    static let hostileTokens: [[UInt8]] = [
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "-9223372036854775808", "-9223372036854775809", "-1", "0", "1099511627776", "99999999999999999999999999",
        "4294967296", "65536", "../", "/../../etc/x", "pg_data/../../etc/x", "/", "//", ".", "..",
        "\"", "\\", "\\u0000", "\\ud800", "{", "}", "[", "]", "=", ",", ":", "\n", "\n[", "]\n", "{}", "[]", "null",
        "true", "false", "\"\"", "=\"\"", "0777", "9999", "--", "--no-", "=y", "=n", "\t", " ",
    ].map { Array($0.utf8) } + [[0], [0xff], [0xc3], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf]]

    /// Inputs larger than this are truncated, so one iteration stays short.
    static let maxSize = 1 << 20

    var random: Random

    init(seed: UInt64) { random = Random(seed: seed) }

    /// `input` with one to four random edits.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...random.below(4) { edit(&bytes) }
        if bytes.count > Self.maxSize { bytes.removeLast(bytes.count - Self.maxSize) }
        return bytes
    }

    /// One random edit of a string (invalid UTF-8 repaired), for argv words and environment values.
    mutating func mutate(_ text: String) -> String { String(decoding: mutate(Array(text.utf8)), as: UTF8.self) }

    /// A random element.
    mutating func pick<T>(_ items: [T]) -> T { items[random.below(items.count)] }

    private mutating func position(in bytes: [UInt8]) -> Int { random.below(bytes.count + 1) }

    private mutating func edit(_ bytes: inout [UInt8]) {
        switch random.below(12) {
        case 0 where !bytes.isEmpty: // flip a bit
            let index = random.below(bytes.count)
            bytes[index] ^= UInt8(1) << UInt8(random.below(8))
        case 1 where !bytes.isEmpty: // overwrite a byte
            bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2: // insert random bytes
            let insert = (0..<(1 + random.below(8))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes.insert(contentsOf: insert, at: position(in: bytes))
        case 3 where !bytes.isEmpty: // delete a range
            let start = random.below(bytes.count)
            bytes.removeSubrange(start..<min(bytes.count, start + 1 + random.below(16)))
        case 4: // truncate
            bytes.removeLast(bytes.count - random.below(bytes.count + 1))
        case 5 where !bytes.isEmpty: // duplicate a range in place
            let start = random.below(bytes.count)
            let range = start..<min(bytes.count, start + 1 + random.below(64))
            bytes.insert(contentsOf: Array(bytes[range]), at: position(in: bytes))
        case 6, 7: // splice in a hostile token, replacing a few bytes or a number
            let token = pick(Self.hostileTokens)
            let at = position(in: bytes)
            var end = at
            if random.chance(2) {
                while end < bytes.count, (0x30...0x39).contains(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
            } else {
                end = min(bytes.count, at + random.below(3))
            }
            bytes.replaceSubrange(at..<end, with: token)
        case 8, 9, 10: // line edits: duplicate, drop, swap
            editLines(&bytes)
        default: // repeat a byte many times (long lines, deep nesting)
            let byte = bytes.isEmpty ? UInt8(ascii: "[") : bytes[random.below(bytes.count)]
            bytes.insert(contentsOf: repeatElement(byte, count: 1 + random.below(200)), at: position(in: bytes))
        }
    }

    private mutating func editLines(_ bytes: inout [UInt8]) {
        var lines = bytes.split(separator: 0x0a, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return }
        let index = random.below(lines.count)
        switch random.below(3) {
        case 0: lines.insert(lines[index], at: random.below(lines.count + 1))
        case 1: lines.remove(at: index)
        default: lines.swapAt(index, random.below(lines.count))
        }
        bytes = Array(lines.joined(separator: [0x0a]))
    }
}
