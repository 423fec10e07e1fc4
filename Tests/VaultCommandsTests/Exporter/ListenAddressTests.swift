import Testing
import VaultCore
@testable import VaultCommands

@Suite struct ListenAddressTests {
    @Test func hostPortForms() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9854") == ListenAddress(host: "127.0.0.1", port: 9854))
        #expect(try ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: ":9854") == ListenAddress(host: "0.0.0.0", port: 9854))
    }

    @Test(arguments: ["9854", "host:", "host:70000", "host:x"])
    func invalidValuesFailWith032(_ text: String) {
        let error = #expect(throws: PGVError.self) { try ListenAddress(parsing: text) }
        #expect(error?.code == .optionInvalidValue)
        #expect(error?.message == "'\(text)' is not valid for 'listen' option")
    }
}
