import Testing
@testable import VaultCore

@Suite struct SecretRedactorTests {
    @Test func scrubsEveryOccurrenceLongestFirst() {
        let redactor = SecretRedactor()
        redactor.register("abcd")
        redactor.register("abcdefgh")
        #expect(redactor.scrub("x abcdefgh y abcd z") == "x <redacted> y <redacted> z")
    }

    @Test func ignoresTooShortValuesAndLeavesOtherTextAlone() {
        let redactor = SecretRedactor()
        redactor.register("ab")
        #expect(redactor.scrub("ab cd") == "ab cd")
    }
}
