import Testing
import VaultCore
@testable import VaultCommands

@Suite struct RepoLsFilterTests {
    @Test func extendedExpressionsMatchAnywhereInTheName() throws {
        let filter = try RepoLsFilter("^[0-9]{8}-[0-9]{6}F$")
        #expect(filter.matches("20240101-000000F"))
        #expect(!filter.matches("20240101-000000F_20240102-000000I"))
        #expect(try RepoLsFilter("lz4").matches("000000010000000000000001-abc.lz4"))
    }

    @Test func anInvalidExpressionIs029() {
        let error = #expect(throws: PGVError.self) { try RepoLsFilter("(") }
        #expect(error?.code == .format)
        #expect(error?.message.hasPrefix("invalid filter '(': ") == true)
    }
}
