import Glibc
import Synchronization

/// Test hook of the crash-consistency scenarios (`tests/reliability/scenarios/crash.sh`); inert in normal use.
///
/// `VAULT_FAULT_KILL_AFTER_WRITES=N` (N ≥ 1), read once from the environment at the first mutation: the process
/// sends itself `SIGKILL` (`kill(getpid(), SIGKILL)`) right after its Nth mutating call on POSIX storage, with no
/// chance to clean up, as a power cut of the process would. Mutating calls are counted by `PosixFileWriter` (one per
/// `write(2)` chunk and one after the `rename(2)` of a commit) and `PosixStorage` (one per `unlink(2)` and `rmdir(2)`,
/// including each entry of a recursive removal). `N = 0` counts without killing and prints
/// `storage kill hook: C mutating calls` to stderr at `exit(3)` (an `atexit` handler), so a scenario can pick kill
/// points within a command's range. The name avoids the `PGVAULT_`/`PGBACKREST_` prefixes on purpose: the config
/// resolver treats those as options and would reject an unknown one.
public enum StorageKillHook {
    public static let variable = "VAULT_FAULT_KILL_AFTER_WRITES"

    /// What the variable asks for: kill after the `killAfter`th call, or only count when nil.
    struct Setting: Equatable {
        var killAfter: Int?
    }

    /// Parses the variable's value: nil (hook off) when unset, empty, negative or not a number.
    static func setting(from value: String?) -> Setting? {
        guard let value, let number = Int(value), number >= 0 else { return nil }
        return Setting(killAfter: number == 0 ? nil : number)
    }

    /// True once the call with 1-based index `call` has been made and the process must die.
    static func mustKill(after call: Int, setting: Setting) -> Bool {
        guard let limit = setting.killAfter else { return false }
        return call >= limit
    }

    private static let calls = Atomic<Int>(0)

    private static let active: Setting? = {
        guard let raw = getenv(variable) else { return nil }
        let found = setting(from: String(cString: raw))
        if let found, found.killAfter == nil {
            atexit {
                let line = "storage kill hook: \(StorageKillHook.calls.load(ordering: .sequentiallyConsistent)) mutating calls\n"
                _ = line.utf8CString.withUnsafeBufferPointer { Glibc.write(STDERR_FILENO, $0.baseAddress!, $0.count - 1) }
            }
        }
        return found
    }()

    /// Counts one mutating storage call that has just completed; SIGKILLs the process when it is the chosen one.
    static func mutated() {
        guard let setting = active else { return }
        let call = calls.wrappingAdd(1, ordering: .sequentiallyConsistent).newValue
        if mustKill(after: call, setting: setting) { kill(getpid(), SIGKILL) }
    }
}
