/// The kind of value an option holds, as pgBackRest's option table types them (`src/build/config/config.yaml`).
/// The type decides how the command line reads the option (a boolean takes no argument) and how a raw string
/// is checked and converted (`OptionValueParser`).
public enum OptionType: String, Sendable, CaseIterable {
    /// `--opt`, `--no-opt`, `--opt=y|n`; `y`/`n` in the config file and environment.
    case boolean
    /// A signed 64-bit decimal number.
    case integer
    /// Bytes with an optional unit: `5MiB`, `5MB`, `5m`, `1GB`, `128KiB`; every unit is a power of 1024 as in pgBackRest.
    case size
    /// Seconds, possibly fractional (`0.5`); held as milliseconds.
    case time
    /// Free text, at least one character.
    case string
    /// An absolute path: begins with `/`, no `//`; a trailing `/` is dropped.
    case path
    /// A repeatable value: each `--opt=x` adds one element; `:`-separated in the environment.
    case list
    /// Repeatable `key=value` pairs: `--recovery-option=a=b`.
    case hash

    /// Whether `--opt` on the command line needs an argument (booleans do not).
    public var takesArgument: Bool { self != .boolean }

    /// Whether the option may be given more than once (lists and hashes).
    public var isRepeatable: Bool { self == .list || self == .hash }
}
