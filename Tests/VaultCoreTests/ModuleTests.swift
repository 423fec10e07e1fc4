import Testing
@testable import VaultCore

@Test func moduleLinks() { #expect(Bool(true)) }
