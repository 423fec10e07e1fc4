import Testing
@testable import VaultIO

struct SubPassphraseTests {
    @Test func isSixtyFourStandardBase64CharactersWithoutPadding() throws {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var seen = Set<String>()
        for _ in 0..<50 {
            let pass = try SubPassphrase.generate()
            #expect(pass.count == 64)
            #expect(pass.allSatisfy(alphabet.contains))
            seen.insert(pass)
        }
        #expect(seen.count == 50)
    }
}
