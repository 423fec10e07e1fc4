import Glibc
import VaultCommands
import VaultConfig
import VaultObservability

// The only code that touches the process: argv, the environment, standard output/error and the exit code.
// A closed stdout (`pgvault repo-get F | head`) must end the command with an error, not kill it by SIGPIPE.
signal(SIGPIPE, SIG_IGN)
let dispatcher = CommandDispatcher(
    inputs: ConfigInputs.process(),
    output: CommandOutput(sink: .standardOutput, isTerminal: isatty(STDOUT_FILENO) == 1),
    stderr: .standardError)
let code = await dispatcher.run(arguments: Array(CommandLine.arguments.dropFirst()))
exit(code)
