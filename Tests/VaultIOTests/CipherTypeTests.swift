import Testing
@testable import VaultIO

struct CipherTypeTests {
    @Test func optionValuesAndStages() throws {
        #expect(CipherType(rawValue: "aes-256-cbc") == .aes256cbc)
        #expect(CipherType.allCases.map(\.rawValue) == ["none", "aes-256-cbc"])
        #expect(try CipherType.none.encryptStage(passphrase: "x") == nil)
        let encrypt = try #require(try CipherType.aes256cbc.encryptStage(passphrase: "x"))
        let decrypt = try #require(try CipherType.aes256cbc.decryptStage(passphrase: "x"))
        let stored = try StagePipeline.transform([1, 2, 3], through: [encrypt])
        #expect(try StagePipeline.transform(stored, through: [decrypt]) == [1, 2, 3])
    }
}
