/// The fixed working buffer a stage writes its output into before handing it to `emit`.
///
/// Allocated once per stage (never per chunk: glibc turns ~1 MiB allocations into an mmap/munmap pair each) and
/// freed with the stage. Its capacity bounds every chunk the stage emits.
final class StageBuffer {
    /// Output chunk bound of the compression stages: 64 KiB, whatever the compression ratio.
    static let defaultCapacity = 64 * 1024

    let capacity: Int
    let pointer: UnsafeMutableRawPointer

    init(capacity: Int = StageBuffer.defaultCapacity) {
        self.capacity = capacity
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { pointer.deallocate() }

    /// Hands the first `count` bytes to `emit`; an empty chunk is never emitted.
    func emit(_ count: Int, to emit: ByteEmitter) throws {
        if count > 0 { try emit(UnsafeRawBufferPointer(start: pointer, count: count)) }
    }
}
