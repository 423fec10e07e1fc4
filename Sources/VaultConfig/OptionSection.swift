/// Where an option may be set in pgbackrest.conf: pgBackRest's `section` of an option definition.
public enum OptionSection: String, Sendable {
    /// Only on the command line or in the environment; in the config file it is ignored with a warning.
    case commandLine = "command-line"
    /// In `[global]`, `[global:COMMAND]`, `[STANZA]` or `[STANZA:COMMAND]`.
    case global
    /// Only in `[STANZA]` or `[STANZA:COMMAND]`; in a global section it is ignored with a warning.
    case stanza
}
