import VaultCore
import VaultIO
import VaultStorage

/// Loads and saves info files and manifests through a `Storage` (reference §2.3, §3).
///
/// Saving renders once, encrypts once (when a passphrase is given: AES-256-CBC, `AESCipherStage`) and writes the
/// same buffer to `<file>` and `<file>.copy`, each atomically, so the copies are byte-identical (same salt).
/// Loading tries `<file>`, then `<file>.copy`; it fails only if both fail, with FileMissingError (055) when both
/// are missing and otherwise the first error's code. Rendering, encryption and parsing run on `BlockingPool`.
public struct InfoFileStore: Sendable {
    /// What a load returned and whether it had to fall back to the copy.
    public struct Loaded<Value: Sendable>: Sendable {
        public var value: Value
        /// True when `<file>` failed and `<file>.copy` was used.
        public var usedCopy: Bool
        /// Why `<file>` failed, when it did.
        public var mainError: PGVError?
    }

    /// Which of the two files is written first. Info files: main first. Manifests at completion: copy first
    /// (`backup.manifest` appearing marks the set complete).
    public enum SaveOrder: Sendable { case mainFirst, copyFirst }

    /// Hint attached when a load fails in a way a wrong or missing passphrase would cause.
    public static let encryptionHint = "is or was the repo encrypted?"

    public let storage: any Storage
    private let pool: BlockingPool

    public init(storage: any Storage, pool: BlockingPool = .shared) {
        self.storage = storage
        self.pool = pool
    }

    // MARK: documents

    /// Loads `path` (falling back to `path.copy`), decrypting with `passphrase` when given. `onFallback` is called
    /// with the main file's error when the copy was used (callers log a warning).
    public func load<T: InfoDocument>(_ type: T.Type, from path: String, passphrase: String?,
                                      onFallback: (@Sendable (PGVError) -> Void)? = nil) async throws -> Loaded<T> {
        let copyPath = path + RepositoryFormat.copyExtension
        let mainError: PGVError
        do {
            return Loaded(value: try await loadOne(type, from: path, passphrase: passphrase), usedCopy: false, mainError: nil)
        } catch {
            mainError = PGVError.wrap(error, as: .fileRead, context: path)
        }
        do {
            let value = try await loadOne(type, from: copyPath, passphrase: passphrase)
            onFallback?(mainError)
            return Loaded(value: value, usedCopy: true, mainError: mainError)
        } catch {
            let copyError = PGVError.wrap(error, as: .fileRead, context: copyPath)
            let code: ErrorCode = mainError.code == .fileMissing && copyError.code == .fileMissing ? .fileMissing : mainError.code
            let encryptionRelated: Set<Int32> = [ErrorCode.format.rawValue, ErrorCode.checksum.rawValue,
                                                 ErrorCode.crypto.rawValue, ErrorCode.jsonFormat.rawValue]
            let hint = [mainError, copyError].contains { encryptionRelated.contains($0.code.rawValue) }
                ? InfoFileStore.encryptionHint : (mainError.hint ?? copyError.hint)
            throw PGVError(code, "unable to load info file '\(path)' or '\(copyPath)': [\(mainError.code)] "
                           + "\(mainError.message); [\(copyError.code)] \(copyError.message)", hint: hint)
        }
    }

    /// Loads exactly one file, without fallback.
    public func loadOne<T: InfoDocument>(_ type: T.Type, from path: String, passphrase: String?) async throws -> T {
        let bytes = try await readAll(path)
        do {
            return try await pool.run { try T.parse(try InfoFileStore.decrypt(bytes, passphrase: passphrase)) }
        } catch let error as PGVError where [.format, .checksum, .jsonFormat, .crypto].contains(error.code) {
            throw PGVError(error.code, "\(error.message) in '\(path)'", hint: error.hint ?? InfoFileStore.encryptionHint)
        }
    }

    /// Saves `document` to `path` and `path.copy` from one buffer.
    public func save<T: InfoDocument>(_ document: T, to path: String, passphrase: String?,
                                      order: SaveOrder = .mainFirst) async throws {
        let bytes = try await encode(document, passphrase: passphrase)
        let copyPath = path + RepositoryFormat.copyExtension
        for target in order == .mainFirst ? [path, copyPath] : [copyPath, path] {
            try await writeAll(bytes, to: target)
        }
    }

    /// Saves only `path.copy` (the in-progress manifest during a backup).
    public func saveCopyOnly<T: InfoDocument>(_ document: T, to path: String, passphrase: String?) async throws {
        try await writeAll(try await encode(document, passphrase: passphrase), to: path + RepositoryFormat.copyExtension)
    }

    /// The stored bytes of `document`: rendered, then encrypted when `passphrase` is given.
    public func encode<T: InfoDocument>(_ document: T, passphrase: String?) async throws -> [UInt8] {
        try await pool.run { try InfoFileStore.encrypt(document.render(), passphrase: passphrase) }
    }

    // MARK: backup.history manifests

    /// Writes `backup.history/<YYYY>/<label>.manifest.gz`: gzip level 9, then encrypted when `passphrase` is given.
    public func saveHistoryManifest(_ manifest: Manifest, to path: String, passphrase: String?) async throws {
        let bytes = try await pool.run {
            let gzip = try GzipCompressStage(level: Int(RepositoryFormat.historyManifestCompressLevel))
            let compressed = try StagePipeline.transform(manifest.render(), through: [gzip])
            return try InfoFileStore.encrypt(compressed, passphrase: passphrase)
        }
        try await writeAll(bytes, to: path)
    }

    /// Reads a `backup.history` manifest copy (no `.copy` fallback exists for these).
    public func loadHistoryManifest(from path: String, passphrase: String?) async throws -> Manifest {
        let bytes = try await readAll(path)
        return try await pool.run {
            let plain = try StagePipeline.transform(try InfoFileStore.decrypt(bytes, passphrase: passphrase),
                                                    through: [try GzipDecompressStage()])
            return try Manifest.parse(plain)
        }
    }

    // MARK: bytes

    static func encrypt(_ bytes: [UInt8], passphrase: String?) throws -> [UInt8] {
        guard let passphrase else { return bytes }
        return try StagePipeline.transform(bytes, through: [try AESCipherStage(mode: .encrypt, passphrase: passphrase)])
    }

    static func decrypt(_ bytes: [UInt8], passphrase: String?) throws -> [UInt8] {
        guard let passphrase else { return bytes }
        return try StagePipeline.transform(bytes, through: [try AESCipherStage(mode: .decrypt, passphrase: passphrase)])
    }

    /// Reads a whole (small) file; FileMissingError (055) from the driver when absent.
    public func readAll(_ path: String) async throws -> [UInt8] { try await storage.get(path) }

    /// Writes a whole file atomically and durably (driver's temp + fsync + rename); aborts on failure.
    public func writeAll(_ bytes: [UInt8], to path: String) async throws { try await storage.put(path, bytes) }
}
