/// A writer that also takes bytes synchronously on the calling thread (POSIX: `write(2)` straight from the caller's
/// buffer). `PipelinedCopy` runs its back stages on a pool thread already, so with such a writer it hashes and writes
/// each batch in that one pool call: no second thread hop and no copy of the stages' output into an array.
public protocol BlockingStorageWriter: StorageWriter {
    /// Writes all of `bytes` before returning (retrying partial writes and `EINTR`). Blocks: call it only from a
    /// `BlockingPool` thread, never concurrently with another write of the same writer.
    func writeBlocking(_ bytes: UnsafeRawBufferPointer) throws
}
