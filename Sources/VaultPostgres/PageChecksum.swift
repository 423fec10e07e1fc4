/// PostgreSQL's data page checksum (`storage/checksum_impl.h`) and the page validity rule a backup applies.
///
/// The page is read as 64 rows of 32 little-endian `UInt32` lanes; each lane runs an FNV-1a-like mix
/// (`x = sum ^ value; sum = x * 16777619 ^ (x >> 17)`) from its own base offset, then two rounds of zeros. The
/// lanes are xor-folded, the block number is xored in, and the result is reduced to `1...65535`. The page's own
/// `pd_checksum` (bytes 8–9) counts as zero during the computation.
public enum PageChecksum {
    /// `BLCKSZ` of standard builds.
    public static let pageSize = 8192
    /// `RELSEG_SIZE`: pages per 1 GiB relation segment file, so block = segment × 131072 + page index.
    public static let pagesPerSegment: UInt32 = 131_072
    /// Byte offset of `pd_checksum` in `PageHeaderData`.
    public static let checksumOffset = 8

    private static let lanes = 32
    private static let fnvPrime: UInt32 = 16_777_619
    private static let baseOffsets: [UInt32] = [
        0x5B1F_36E9, 0xB852_5960, 0x02AB_50AA, 0x1DE6_6D2A, 0x79FF_467A, 0x9BB9_F8A3, 0x217E_7CD2, 0x83E1_3D2C,
        0xF8D4_474F, 0xE39E_B970, 0x42C6_AE16, 0x9932_16FA, 0x7B09_3B5D, 0x98DA_FF3C, 0xF718_902A, 0x0B1C_9CDB,
        0xE58F_764B, 0x1876_36BC, 0x5D7B_3BB1, 0xE73D_E7DE, 0x92BE_C979, 0xCCA6_C0B2, 0x304A_0979, 0x85AA_43D4,
        0x7831_25BB, 0x6CA8_EAA2, 0xE407_EAC6, 0x4B5C_FC3E, 0x9FBF_8C76, 0x15CA_20BE, 0xF2CA_9FD3, 0x959B_D756,
    ]

    /// The checksum PostgreSQL would store in `pd_checksum` of `page` (exactly `pageSize` bytes) at `blockNumber`.
    public static func compute(page: UnsafeRawBufferPointer, blockNumber: UInt32) -> UInt16 {
        precondition(page.count == pageSize, "a data page is \(pageSize) bytes")
        var sums = (
            baseOffsets[0], baseOffsets[1], baseOffsets[2], baseOffsets[3], baseOffsets[4], baseOffsets[5],
            baseOffsets[6], baseOffsets[7], baseOffsets[8], baseOffsets[9], baseOffsets[10], baseOffsets[11],
            baseOffsets[12], baseOffsets[13], baseOffsets[14], baseOffsets[15], baseOffsets[16], baseOffsets[17],
            baseOffsets[18], baseOffsets[19], baseOffsets[20], baseOffsets[21], baseOffsets[22], baseOffsets[23],
            baseOffsets[24], baseOffsets[25], baseOffsets[26], baseOffsets[27], baseOffsets[28], baseOffsets[29],
            baseOffsets[30], baseOffsets[31])
        let result: UInt32 = withUnsafeMutableBytes(of: &sums) { raw in
            let sums = raw.bindMemory(to: UInt32.self)
            let rows = pageSize / (4 * lanes)
            for row in 0..<rows {
                for lane in 0..<lanes {
                    let offset = (row * lanes + lane) * 4
                    var value = UInt32(littleEndian: page.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                    // pd_checksum is the low half of word 2 (bytes 8-9), treated as zero.
                    if offset == checksumOffset { value &= 0xFFFF_0000 }
                    mix(&sums[lane], value)
                }
            }
            for _ in 0..<2 {
                for lane in 0..<lanes { mix(&sums[lane], 0) }
            }
            return sums.reduce(0, ^)
        }
        return UInt16((result ^ blockNumber) % 65535 + 1)
    }

    @inline(__always)
    private static func mix(_ sum: inout UInt32, _ value: UInt32) {
        let x = sum ^ value
        sum = (x &* fnvPrime) ^ (x >> 17)
    }

    /// The `pd_checksum` stored in `page`.
    public static func stored(page: UnsafeRawBufferPointer) -> UInt16 {
        UInt16(littleEndian: page.loadUnaligned(fromByteOffset: checksumOffset, as: UInt16.self))
    }

    /// The page LSN (`pd_lsn`: high half at bytes 0–3, low half at 4–7).
    public static func lsn(page: UnsafeRawBufferPointer) -> Lsn {
        let high = UInt32(littleEndian: page.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let low = UInt32(littleEndian: page.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return Lsn(UInt64(high) << 32 | UInt64(low))
    }

    /// Whether every byte of `page` is zero (a page extended but never written, which PostgreSQL accepts).
    public static func isZero(page: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= page.count {
            if page.loadUnaligned(fromByteOffset: index, as: UInt64.self) != 0 { return false }
            index += 8
        }
        while index < page.count {
            if page[index] != 0 { return false }
            index += 1
        }
        return true
    }

    /// Whether a backup accepts `page` at absolute `blockNumber`: an all-zero page is valid; a page whose LSN is
    /// at or past `lsnLimit` (the backup start LSN) is skipped as valid, since WAL replay rewrites it; otherwise the
    /// stored `pd_checksum` must equal the computed one.
    public static func isValid(page: UnsafeRawBufferPointer, blockNumber: UInt32, lsnLimit: Lsn? = nil) -> Bool {
        if isZero(page: page) { return true }
        if let lsnLimit, lsn(page: page) >= lsnLimit { return true }
        return stored(page: page) == compute(page: page, blockNumber: blockNumber)
    }

    /// The absolute block number of page `pageIndex` of relation segment file `segmentNumber` (`16384.2` is 2).
    public static func blockNumber(segmentNumber: UInt32, pageIndex: UInt32) -> UInt32 {
        segmentNumber &* pagesPerSegment &+ pageIndex
    }

    /// Validates every whole page of `buffer`, the bytes of relation segment file `segmentNumber` starting at page
    /// `firstPageIndex`, and returns the absolute block numbers of the pages that fail. A trailing partial page is
    /// not examined; `PageChecksumStage` reports it as misaligned.
    public static func failingBlocks(
        in buffer: UnsafeRawBufferPointer, segmentNumber: UInt32, firstPageIndex: UInt32 = 0, lsnLimit: Lsn? = nil
    ) -> [UInt32] {
        var failing: [UInt32] = []
        let pages = buffer.count / pageSize
        for index in 0..<pages {
            let page = UnsafeRawBufferPointer(rebasing: buffer[index * pageSize..<(index + 1) * pageSize])
            let block = blockNumber(segmentNumber: segmentNumber, pageIndex: firstPageIndex + UInt32(index))
            if !isValid(page: page, blockNumber: block, lsnLimit: lsnLimit) { failing.append(block) }
        }
        return failing
    }

    /// `failingBlocks` over a byte array.
    public static func failingBlocks(in bytes: [UInt8], segmentNumber: UInt32, lsnLimit: Lsn? = nil) -> [UInt32] {
        bytes.withUnsafeBytes { failingBlocks(in: $0, segmentNumber: segmentNumber, lsnLimit: lsnLimit) }
    }

    /// The segment number of a relation file from its name: `16384` → 0, `16384.3` → 3, `16384_fsm.1` → 1.
    public static func segmentNumber(fileName: some StringProtocol) -> UInt32 {
        guard let dot = fileName.lastIndex(of: ".") else { return 0 }
        return UInt32(fileName[fileName.index(after: dot)...]) ?? 0
    }
}
