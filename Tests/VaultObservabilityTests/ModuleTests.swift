import Testing
@testable import VaultObservability

@Test func moduleLinks() { #expect(Bool(true)) }
