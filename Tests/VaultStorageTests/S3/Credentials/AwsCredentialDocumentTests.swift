import Foundation
import Testing
import VaultCore
@testable import VaultStorage

struct AwsCredentialDocumentTests {
    @Test func readsAContainerOrImdsDocument() throws {
        let body = """
            {"Code":"Success","LastUpdated":"2026-11-26T11:00:00Z","Type":"AWS-HMAC","AccessKeyId":"ASIAEXAMPLE",
             "SecretAccessKey":"secret/value","Token":"session","Expiration":"2026-11-26T12:03:13Z"}
            """
        let credentials = try AwsCredentialDocument.credentials(from: body, endpoint: "instance metadata")
        #expect(credentials == S3Credentials(accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret/value",
                                             sessionToken: "session",
                                             expiration: Date(timeIntervalSince1970: 1_795_694_593)))
    }

    @Test func aFailureCodeIsFormatWithTheDocumentsMessage() throws {
        let error = try #require(throws: PGVError.self) {
            try AwsCredentialDocument.credentials(from: #"{"Code":"AssumeRoleUnauthorizedAccess","Message":"denied"}"#,
                                                  endpoint: "instance metadata")
        }
        #expect(error == PGVError(.format, "instance metadata reported AssumeRoleUnauthorizedAccess: denied"))
    }

    @Test(arguments: ["not json", #"{"AccessKeyId":"A"}"#, #"{"AccessKeyId":"A","SecretAccessKey":""}"#])
    func anIncompleteDocumentIsFormatWithoutQuotingIt(body: String) throws {
        let error = try #require(throws: PGVError.self) {
            try AwsCredentialDocument.credentials(from: body, endpoint: "the container credential endpoint")
        }
        #expect(error.code == .format)
        #expect(!error.message.contains(body))
    }
}
