import Glibc
import Testing
import VaultCore
@testable import VaultStorage

/// Every storage driver the conformance suite runs against.
///
/// `allCases` are the drivers with POSIX directory semantics (`.paths`), which every conformance test covers. S3 has
/// no directories, so `S3ConformanceTests` runs the conformance tests that hold for object stores against `.s3`
/// (a moto_server the tests start themselves); it moves into `allCases` once the directory-only tests in
/// `StorageConformanceTests` are guarded by `capabilities.contains(.paths)`, as the symlink tests already are.
enum DriverKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case posix
    case memory
    case s3

    static let allCases: [DriverKind] = [.posix, .memory]

    var testDescription: String { rawValue }

    /// A fresh, empty storage of this kind and the cleanup that removes whatever it left behind.
    func make() async throws -> StorageFixture {
        switch self {
        case .posix:
            let root = try makeTemporaryDirectory()
            return StorageFixture(storage: try PosixStorage(root: root), temporaryRoot: root)
        case .memory:
            return StorageFixture(storage: MemoryStorage(), temporaryRoot: nil)
        case .s3:
            // A fresh bucket on the shared moto_server; moto keeps it in memory and drops it at exit.
            return StorageFixture(storage: try await MotoServer.shared().makeStorage(), temporaryRoot: nil)
        }
    }
}

struct StorageFixture {
    let storage: any Storage
    /// The real directory behind a POSIX storage, removed by `cleanup`.
    let temporaryRoot: String?

    func cleanup() {
        if let temporaryRoot { try? PosixFileSystem.removePath(temporaryRoot, recursive: true, keepSelf: false) }
    }
}

/// Runs `body` with a fresh storage of `kind`, removing its files afterwards whatever happens.
func withStorage(_ kind: DriverKind, _ body: (any Storage) async throws -> Void) async throws {
    let fixture = try await kind.make()
    defer { fixture.cleanup() }
    try await body(fixture.storage)
}

/// A new directory under /tmp made with `mkdtemp(3)`.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/pgvault-storage-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else {
        throw PGVError(.pathCreate, "unable to create a temporary directory: \(StorageError.errnoText(errno))")
    }
    return String(cString: made)
}

/// Deterministic non-repeating-looking test content.
func testBytes(_ count: Int, seed: UInt8 = 7) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &+ ($0 >> 8)) }
}

/// Reads a reader to its end in chunks of `chunk` bytes, then closes it.
func readAll(_ reader: any StorageReader, chunk: Int = 64 * 1024) async throws -> [UInt8] {
    var content: [UInt8] = []
    while let bytes = try await reader.read(maxLength: chunk) {
        #expect(!bytes.isEmpty)
        content.append(contentsOf: bytes)
    }
    await reader.close()
    return content
}

/// The PGVError thrown by `body`, or nil when it succeeded or threw something else.
func pgvError(_ body: () async throws -> Void) async -> PGVError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? PGVError
    }
}
