import VaultPostgres
import Glibc
import VaultCore
import VaultIO
import VaultStorage

/// What archive-push needs to know about a WAL file before it decides anything: its size, the SHA-1 of its content
/// (the `-<sha1>` of the stored name, which must be known before the repository file is opened) and its first bytes
/// (the page header).
struct WalSourceDigest: Sendable, Equatable {
    let size: UInt64
    let sha1: String
    /// The first `WalPageHeader.size` bytes, fewer for a shorter file.
    let header: [UInt8]

    /// Reads `path` once in one `BlockingPool` job: `open(2)`, `read(2)` in 1 MiB chunks into one reused buffer,
    /// each chunk through OpenSSL SHA-1 (`HashStage`). A missing file is `.fileMissing` (055), another open failure
    /// `.fileOpen` (041), a read failure `.fileRead` (042).
    static func read(path: String, pool: BlockingPool = .shared) async throws -> WalSourceDigest {
        try await pool.run {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                let code = errno
                if code == ENOENT { throw StorageError.openMissingForRead(path) }
                throw PGVError(.fileOpen, "unable to open file '\(path)' for read: \(StorageError.errnoText(code))")
            }
            defer { close(fd) }
            let hash = HashStage(.sha1)
            var header: [UInt8] = []
            var size: UInt64 = 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw PGVError(.fileRead, "unable to read file '\(path)': \(StorageError.errnoText(errno))")
                }
                if count == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                if header.count < WalPageHeader.size {
                    header.append(contentsOf: chunk.prefix(WalPageHeader.size - header.count))
                }
                try hash.process(chunk) { _ in }
                size += UInt64(count)
            }
            try hash.finish { _ in }
            return WalSourceDigest(size: size, sha1: hash.hexDigest, header: header)
        }
    }
}
