import Testing
@testable import VaultIO

@Test func moduleLinks() { #expect(Bool(true)) }
