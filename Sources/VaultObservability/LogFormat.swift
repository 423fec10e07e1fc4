/// The line format of every log destination: pgBackRest's text lines, or one JSON object per line for log pipelines.
public enum LogFormat: String, Sendable, CaseIterable {
    case text, json
}
