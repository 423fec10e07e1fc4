/// What page-checksum validation found in one relation file: the manifest's `checksum-page` and
/// `checksum-page-error` values.
public struct PageChecksumResult: Sendable, Hashable {
    /// Absolute block numbers that failed, ascending.
    public var failingBlocks: [UInt32]
    /// False when the file size was not a whole number of pages (then no block list is recorded).
    public var aligned: Bool

    public init(failingBlocks: [UInt32], aligned: Bool) {
        self.failingBlocks = failingBlocks
        self.aligned = aligned
    }

    /// `checksum-page`: true only when the file was aligned and every page passed.
    public var valid: Bool { aligned && failingBlocks.isEmpty }

    /// Failing blocks merged into runs: `[1, 5, 6, 7]` → `[1...1, 5...7]`, the shape of `checksum-page-error`
    /// (`[1,[5,7]]`).
    public var failingRanges: [ClosedRange<UInt32>] {
        var ranges: [ClosedRange<UInt32>] = []
        for block in failingBlocks {
            if let last = ranges.last, last.upperBound &+ 1 == block {
                ranges[ranges.count - 1] = last.lowerBound...block
            } else {
                ranges.append(block...block)
            }
        }
        return ranges
    }
}
