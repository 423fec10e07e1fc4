import Testing
@testable import VaultPostgres

@Test func moduleLinks() { #expect(Bool(true)) }
