import VaultStorage

/// A `StorageWriter` onto the command's output, so repo-get streams a repository file to standard output with
/// `StorageCopy` like any other copy. Commit and abort do nothing: bytes written are already out.
final class CommandOutputWriter: StorageWriter {
    private let output: CommandOutput

    init(_ output: CommandOutput) { self.output = output }

    func write(_ bytes: [UInt8]) async throws { try await output.write(bytes: bytes) }
    func commit() async throws {}
    func abort() async {}
}
