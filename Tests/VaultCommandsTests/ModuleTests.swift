import Testing
@testable import VaultCommands

@Test func moduleLinks() { #expect(Bool(true)) }
