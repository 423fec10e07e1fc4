import Testing
import VaultCore
@testable import VaultPostgres

struct LsnTests {
    @Test(arguments: [
        ("0/0", UInt64(0)),
        ("0/16B3748", UInt64(0x16B_3748)),
        ("1/0", UInt64(0x1_0000_0000)),
        ("A/3000028", UInt64(0xA_0300_0028)),
        ("FFFFFFFF/FFFFFFFF", UInt64.max),
    ])
    func formatsAndParsesAsPostgreSQLPrints(text: String, value: UInt64) throws {
        #expect(Lsn(value).description == text)
        #expect(try #require(Lsn(text)).rawValue == value)
    }

    @Test func acceptsLowerCaseAndLeadingZeros() {
        #expect(Lsn("0/16b3748") == Lsn(0x16B_3748))
        #expect(Lsn("00000000/00000010") == Lsn(16))
    }

    @Test(arguments: ["", "0", "/0", "0/", "0/0/0", "G/0", "0/123456789", "-1/0", " 0/1", "0/1 "])
    func rejectsMalformedText(text: String) {
        #expect(Lsn(text) == nil)
        #expect(throws: PGVError(.format, "invalid lsn '\(text)'")) { try Lsn.parse(text) }
    }

    @Test func splitsIntoHalvesAndOrders() {
        let lsn = Lsn(0x2_0000_00A0)
        #expect(lsn.high == 2)
        #expect(lsn.low == 0xA0)
        #expect(Lsn("0/FFFFFFFF")! < Lsn("1/0")!)
    }
}
