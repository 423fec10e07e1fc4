import Testing
@testable import VaultStorage

@Test func moduleLinks() { #expect(Bool(true)) }
