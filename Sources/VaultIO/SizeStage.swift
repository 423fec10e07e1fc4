/// Counts the bytes that pass through, unchanged. `byteCount` is the running total (final after `finish`).
public final class SizeStage: ByteStage {
    public private(set) var byteCount: UInt64 = 0

    public init() {}

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        guard input.count > 0 else { return }
        byteCount += UInt64(input.count)
        try emit(input)
    }

    public func finish(emit: ByteEmitter) throws {}
}
