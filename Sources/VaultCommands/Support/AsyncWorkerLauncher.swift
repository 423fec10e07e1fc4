import Glibc
import VaultConfig
import VaultCore

/// Starts an asynchronous archive worker (`archive-push:async`, `archive-get:async`): the running binary
/// (`/proc/self/exe`) again, as a detached child. The worker reads the config file and the environment itself, so
/// only the options given on the command line are passed on, with console and stderr logging off; it logs to its own
/// file (`<stanza>-archive-push-async.log`).
public enum AsyncWorkerLauncher {
    /// glibc's `POSIX_SPAWN_SETSID` (a GNU extension the Glibc module does not export).
    static let spawnSetsid: Int16 = 0x80

    /// Options never passed to the worker: it logs nowhere but its file.
    static let dropped: Set<String> = ["log-level-console", "log-level-stderr"]

    /// The worker's argv after the program name: command-line options of `config` that `command` takes (by option
    /// name), `--log-level-console=off --log-level-stderr=off`, `command:role`, then `parameters`. When no config
    /// file was read (`--no-config`, or none exists) the worker is told `--no-config` so it reads none either.
    public static func arguments(config: ResolvedConfig, command: String, role: String,
                                 parameters: [String]) -> [String] {
        var words: [String] = config.configFiles.isEmpty ? ["--no-config"] : []
        for key in config.values.keys.sorted() {
            guard let resolved = config.values[key], resolved.source == .commandLine,
                  let definition = config.table.option(key.name), definition.isValid(for: command),
                  !definition.secure, !dropped.contains(key.name) else { continue }
            let name = key.description
            switch resolved.value {
            case .boolean(let flag): words.append(flag ? "--\(name)" : "--no-\(name)")
            case .integer(let number): words.append("--\(name)=\(number)")
            case .size(let bytes): words.append("--\(name)=\(OptionValueParser.sizeText(bytes))")
            case .time(let seconds):
                words.append("--\(name)=" + (seconds == seconds.rounded() ? String(Int64(seconds)) : String(seconds)))
            case .string(let text): words.append("--\(name)=\(text)")
            case .list(let items): words += items.map { "--\(name)=\($0)" }
            case .hash(let entries): words += entries.map { "--\(name)=\($0.key)=\($0.value)" }
            }
        }
        words += ["--log-level-console=off", "--log-level-stderr=off", "\(command):\(role)"]
        return words + parameters
    }

    /// `posix_spawn(3)` of `executable` with `arguments` in a new session (`POSIX_SPAWN_SETSID`), stdin, stdout and
    /// stderr on /dev/null and every other open descriptor below 1024 closed (as pgBackRest closes them), the
    /// environment inherited. Returns the child's pid; the caller reaps it with `reap` or leaves it to init on exit.
    /// Failure is ExecuteError [102].
    public static func launch(executable: String, arguments: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for fd in 3..<Int32(1024) where fcntl(fd, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Self.spawnSetsid)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw PGVError(.execute, "unable to execute asynchronous '\(arguments.last(where: { $0.contains(":") }) ?? executable)': "
                           + String(cString: strerror(result)))
        }
        return pid
    }

    /// Collects the worker's exit status if it has ended (`waitpid(2)` with WNOHANG), so no zombie lingers while
    /// the foreground keeps polling. True once it has ended.
    @discardableResult
    public static func reap(_ pid: pid_t) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }
}
