/// A JSON object whose entries are always kept in ascending byte (strcmp) order of their UTF-8 keys, the order
/// pgBackRest writes and its forward-scanning reader requires (§2.7). Keys compare by bytes, not by Swift's
/// canonical-equivalence `String ==`, so two names differing only in Unicode normalisation stay distinct.
public struct JsonObject: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: JsonValue)] = []

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    /// Reads or replaces a key; assigning nil removes it.
    public subscript(key: String) -> JsonValue? {
        get {
            let (index, found) = position(of: key)
            return found ? entries[index].value : nil
        }
        set {
            let (index, found) = position(of: key)
            switch (found, newValue) {
            case (true, .some(let value)): entries[index].value = value
            case (true, .none): entries.remove(at: index)
            case (false, .some(let value)): entries.insert((key, value), at: index)
            case (false, .none): break
            }
        }
    }

    /// Binary search by UTF-8 bytes: the index of `key` or of where it would be inserted.
    private func position(of key: String) -> (Int, Bool) {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            let order = ByteOrder.compare(entries[mid].key, key)
            if order == 0 { return (mid, true) }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    public static func == (lhs: JsonObject, rhs: JsonObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (left, right) in zip(lhs.entries, rhs.entries) {
            guard ByteOrder.compare(left.key, right.key) == 0, left.value == right.value else { return false }
        }
        return true
    }
}

/// strcmp-style comparison of strings by their UTF-8 bytes.
public enum ByteOrder {
    /// Negative, zero or positive as `a` sorts before, equal to or after `b` by bytes.
    public static func compare(_ a: String, _ b: String) -> Int {
        var left = a.utf8.makeIterator()
        var right = b.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
            }
        }
    }

    /// True when `a` sorts strictly before `b` by bytes.
    public static func precedes(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// True when the two strings have identical UTF-8 bytes.
    public static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}

extension JsonObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JsonValue)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }
}
