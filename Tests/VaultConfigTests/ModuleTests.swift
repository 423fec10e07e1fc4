import Testing
@testable import VaultConfig

@Test func moduleLinks() { #expect(Bool(true)) }
