import Testing
import VaultCore
@testable import VaultPostgres

struct WalSegmentNameTests {
    static let mib16: UInt32 = 16 * 1024 * 1024

    @Test(arguments: [
        ("0/16B3748", UInt32(1), mib16, "000000010000000000000001"),
        ("0/3000000", UInt32(1), mib16, "000000010000000000000003"),
        ("0/2FFFFFF", UInt32(1), mib16, "000000010000000000000002"),
        ("1/FF000000", UInt32(2), mib16, "0000000200000001000000FF"),
        ("5/4000028", UInt32(10), UInt32(64 * 1024 * 1024), "0000000A0000000500000001"),
        ("0/80000", UInt32(3), UInt32(1024 * 1024), "000000030000000000000000"),
        ("0/100000", UInt32(3), UInt32(1024 * 1024), "000000030000000000000001"),
    ])
    func namesTheSegmentHoldingAnLsn(lsn: String, timeline: UInt32, size: UInt32, name: String) throws {
        let segment = WalSegmentName(lsn: try Lsn.parse(lsn), timeline: timeline, segmentSize: size)
        #expect(segment.name == name)
        #expect(WalSegmentName(name) == segment)
    }

    @Test func directoryIsTimelineAndLog() throws {
        let name = try WalSegmentName.parse("0000000200000001000000FF")
        #expect(name.directory == "0000000200000001")
        #expect(name.timeline == 2)
        #expect(name.log == 1)
        #expect(name.segment == 0xFF)
    }

    @Test func nextAndPreviousCrossTheLogBoundary() throws {
        let last = try WalSegmentName.parse("0000000100000000000000FF")
        #expect(last.next(segmentSize: Self.mib16).name == "000000010000000100000000")
        #expect(last.next(segmentSize: Self.mib16).previous(segmentSize: Self.mib16) == last)
        #expect(try WalSegmentName.parse("000000010000000000000000").previous(segmentSize: Self.mib16) == nil)
        // With 1 GiB segments a log holds four segments.
        let big = UInt32(1024 * 1024 * 1024)
        #expect(try WalSegmentName.parse("000000010000000000000003").next(segmentSize: big).name == "000000010000000100000000")
    }

    @Test func startLsnAndSegmentNumber() throws {
        let name = try WalSegmentName.parse("000000010000000100000002")
        #expect(name.segmentNumber(segmentSize: Self.mib16) == 258)
        #expect(name.startLsn(segmentSize: Self.mib16) == Lsn("1/2000000"))
    }

    @Test func rangeFromStartToStopIsInclusive() throws {
        let names = WalSegmentName.range(from: try Lsn.parse("0/FE000028"), to: try Lsn.parse("1/1000100"),
                                         timeline: 1, segmentSize: Self.mib16).map(\.name)
        #expect(names == [
            "0000000100000000000000FE", "0000000100000000000000FF", "000000010000000100000000", "000000010000000100000001",
        ])
        #expect(WalSegmentName.range(from: Lsn(0x300_0028), to: Lsn(0x300_0100), timeline: 1, segmentSize: Self.mib16).map(\.name)
            == ["000000010000000000000003"])
        #expect(WalSegmentName.range(from: Lsn(0x400_0000), to: Lsn(0x300_0000), timeline: 1, segmentSize: Self.mib16).isEmpty)
    }

    @Test(arguments: [
        "00000001000000000000000", "0000000100000000000000001", "00000001000000000000000a", "000000010000000000000001.partial",
        "00000001.history", "",
    ])
    func rejectsNonSegmentNames(name: String) {
        #expect(WalSegmentName(name) == nil)
        #expect(!WalSegmentName.isSegment(name))
        #expect(throws: PGVError(.format, "invalid wal segment name '\(name)'")) { try WalSegmentName.parse(name) }
    }

    @Test func ordersByTimelineThenPosition() throws {
        let a = try WalSegmentName.parse("0000000100000001000000FF")
        let b = try WalSegmentName.parse("000000020000000000000001")
        let c = try WalSegmentName.parse("000000020000000000000002")
        #expect([c, b, a].sorted() == [a, b, c])
    }
}
