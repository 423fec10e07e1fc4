import Testing
@testable import VaultRepository

@Test func moduleLinks() { #expect(Bool(true)) }
