import Foundation
import Testing
import VaultCore
@testable import VaultStorage

/// No secret of a credential set reaches text: description, debug description, dump, string interpolation in an
/// error; and `registerSecrets` makes the redactor scrub all three values.
struct S3CredentialsTests {
    let temporary = S3Credentials(accessKeyId: "ASIATESTKEYID0001", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+secret",
                                  sessionToken: "FQoGZXIvYXdzEBYaD-session-token",
                                  expiration: Date(timeIntervalSince1970: 1_800_000_000))
    let longLived = S3Credentials(accessKeyId: "AKIALONGLIVED0001", secretAccessKey: "long-lived-secret-value")

    func leaks(_ text: String) -> Bool {
        ["ASIATESTKEYID0001", "wJalrXUtnFEMI", "FQoGZXIvYXdz", "AKIALONGLIVED0001", "long-lived-secret-value"]
            .contains { text.contains($0) }
    }

    @Test func everyTextFormIsRedacted() {
        var dumped = ""
        dump(temporary, to: &dumped)
        dump(longLived, to: &dumped)
        let texts = ["\(temporary)", String(reflecting: temporary), "\(longLived)", String(reflecting: longLived),
                     dumped, "\([temporary, longLived])", "\(Optional(temporary) as Any)",
                     PGVError(.protocolError, "signing with \(temporary) failed").report]
        for text in texts { #expect(!leaks(text), "leaked: \(text)") }
    }

    @Test func theDescriptionTellsTemporaryFromLongLived() {
        #expect("\(temporary)" == "S3Credentials(temporary, expires 2027-01-15T08:00:00Z, <redacted>)")
        #expect("\(longLived)" == "S3Credentials(long-lived, <redacted>)")
    }

    @Test func registerSecretsMakesTheRedactorScrubKeySecretAndToken() {
        let redactor = SecretRedactor()
        temporary.registerSecrets(with: redactor)
        let scrubbed = redactor.scrub("key ASIATESTKEYID0001 secret wJalrXUtnFEMI/K7MDENG+secret "
            + "token FQoGZXIvYXdzEBYaD-session-token")
        #expect(scrubbed == "key <redacted> secret <redacted> token <redacted>")
    }
}
