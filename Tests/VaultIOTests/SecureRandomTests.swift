import Testing
@testable import VaultIO

struct SecureRandomTests {
    @Test func bytesHaveTheCountAsked() throws {
        #expect(try SecureRandom.bytes(0).isEmpty)
        let a = try SecureRandom.bytes(32), b = try SecureRandom.bytes(32)
        #expect(a.count == 32 && a != b)
    }
}
