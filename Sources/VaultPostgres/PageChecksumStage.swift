import VaultIO

/// A pass-through `ByteStage` that validates the data pages of one relation segment file as they stream by
/// (see `PageChecksum.isValid`). Its output equals its input; read `result` after `finish`.
public final class PageChecksumStage: ByteStage {
    private let segmentNumber: UInt32
    private let lsnLimit: Lsn?
    private var pending: [UInt8] = []
    private var pageIndex: UInt32 = 0
    private var failing: [UInt32] = []
    private var finished: PageChecksumResult?

    /// - Parameters:
    ///   - segmentNumber: the file's segment number (`PageChecksum.segmentNumber(fileName:)`).
    ///   - lsnLimit: the backup start LSN; pages at or past it are not checked.
    public init(segmentNumber: UInt32, lsnLimit: Lsn? = nil) {
        self.segmentNumber = segmentNumber
        self.lsnLimit = lsnLimit
        pending.reserveCapacity(PageChecksum.pageSize)
    }

    /// The outcome, available after `finish`.
    public var result: PageChecksumResult? { finished }

    public func process(_ input: UnsafeRawBufferPointer, emit: ByteEmitter) throws {
        var offset = 0
        if !pending.isEmpty {
            let take = min(PageChecksum.pageSize - pending.count, input.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[0..<take]))
            offset = take
            if pending.count == PageChecksum.pageSize {
                pending.withUnsafeBytes { check($0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while input.count - offset >= PageChecksum.pageSize {
            check(UnsafeRawBufferPointer(rebasing: input[offset..<offset + PageChecksum.pageSize]))
            offset += PageChecksum.pageSize
        }
        if offset < input.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset...]))
        }
        try emit(input)
    }

    public func finish(emit: ByteEmitter) throws {
        let aligned = pending.isEmpty
        finished = PageChecksumResult(failingBlocks: aligned ? failing : [], aligned: aligned)
    }

    private func check(_ page: UnsafeRawBufferPointer) {
        let block = PageChecksum.blockNumber(segmentNumber: segmentNumber, pageIndex: pageIndex)
        if !PageChecksum.isValid(page: page, blockNumber: block, lsnLimit: lsnLimit) { failing.append(block) }
        pageIndex += 1
    }
}
