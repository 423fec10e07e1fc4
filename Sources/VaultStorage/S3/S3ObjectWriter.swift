import VaultCore

/// Writes one object. Bytes are buffered up to the upload chunk size: a small object is sent with one PUT at
/// `commit`; a larger one becomes a multipart upload (CreateMultipartUpload, UploadPart per chunk with up to
/// `uploadConcurrency` parts in flight, CompleteMultipartUpload at `commit`). Nothing is visible at the key until
/// the PUT or the Complete succeeded, so every write is atomic. Any failure, `abort`, or dropping the writer
/// uncommitted sends AbortMultipartUpload, so no upload is left open.
///
/// Single owner: `StorageWriter` is used by one task at a time; part uploads run as child tasks whose results only
/// the owner collects.
final class S3ObjectWriter: StorageWriter, @unchecked Sendable {
    private let storage: S3Storage
    private let key: String
    private let display: String
    private var buffer: [UInt8] = []
    private var uploadId: String?
    private var nextPart = 1
    private var inFlight: [Task<(Int, String), any Error>] = []
    private var completed: [(Int, String)] = []
    private var finished = false

    init(storage: S3Storage, key: String, display: String) {
        self.storage = storage
        self.key = key
        self.display = display
    }

    deinit {
        guard !finished else { return }
        for task in inFlight { task.cancel() }
        if let uploadId {
            let storage = storage, key = key
            S3HTTPClients.trackDetachedAbort(Task { await storage.abortMultipart(key: key, uploadId: uploadId) })
        }
    }

    func write(_ bytes: [UInt8]) async throws {
        guard !finished else { throw StorageError.writeFinished(display) }
        buffer.append(contentsOf: bytes)
        let chunk = storage.client.configuration.uploadChunkSize
        do {
            while buffer.count > chunk {
                let part = Array(buffer[0..<chunk])
                buffer.removeFirst(chunk)
                try await startPart(part)
            }
        } catch {
            await abort()
            throw error
        }
    }

    func commit() async throws {
        guard !finished else { throw StorageError.writeFinished(display) }
        do {
            if let uploadId {
                if !buffer.isEmpty { try await startPart(buffer) }
                buffer = []
                try await collect(all: true)
                try await storage.completeMultipart(key: key, uploadId: uploadId, parts: completed)
            } else {
                try await storage.putObject(key: key, body: buffer)
            }
        } catch {
            await abort()
            throw error
        }
        finished = true
        buffer = []
    }

    func abort() async {
        guard !finished else { return }
        finished = true
        buffer = []
        for task in inFlight { task.cancel() }
        for task in inFlight { _ = try? await task.value }
        inFlight = []
        if let uploadId { await storage.abortMultipart(key: key, uploadId: uploadId) }
    }

    /// Starts the upload on the first part, then uploads `part` as a child task, first waiting for the oldest part
    /// when the window is full.
    private func startPart(_ part: [UInt8]) async throws {
        let uploadId: String
        if let existing = self.uploadId {
            uploadId = existing
        } else {
            // The POST runs in a task of its own, which the job's cancellation (a sibling file failed) does not
            // reach: S3 may create the upload before a cancelled request is torn down, and only a known id can be
            // aborted. Waiting costs at most the request's retries.
            let storage = storage, key = key
            uploadId = try await Task { try await storage.createMultipart(key: key) }.value
            self.uploadId = uploadId
        }
        if inFlight.count >= max(1, storage.client.configuration.uploadConcurrency) { try await collect(all: false) }
        let number = nextPart
        nextPart += 1
        let storage = storage, key = key
        inFlight.append(Task {
            (number, try await storage.uploadPart(key: key, uploadId: uploadId, number: number, body: part))
        })
    }

    /// Waits for the oldest part, or for all of them.
    private func collect(all: Bool) async throws {
        repeat {
            guard !inFlight.isEmpty else { return }
            let task = inFlight.removeFirst()
            completed.append(try await task.value)
        } while all
    }
}
