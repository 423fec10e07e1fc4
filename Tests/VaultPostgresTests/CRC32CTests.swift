import Testing
@testable import VaultPostgres

struct CRC32CTests {
    @Test(arguments: [
        ("", UInt32(0)),
        ("123456789", UInt32(0xE306_9283)),
        ("a", UInt32(0xC1D0_4330)),
    ])
    func knownVectors(text: String, crc: UInt32) {
        #expect(CRC32C.checksum(Array(text.utf8)) == crc)
    }

    @Test func thirtyTwoZeroBytes() {
        // RFC 3720 (iSCSI) appendix B.4 test vector.
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }
}
