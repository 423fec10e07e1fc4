import Foundation
import Testing
import VaultCore
@testable import VaultStorage

struct StsResponseParserTests {
    static let success = """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <SubjectFromWebIdentityToken>system:serviceaccount:db:pgvault</SubjectFromWebIdentityToken>
            <Credentials>
              <SessionToken>IQoJb3JpZ2luX2VjE&amp;token</SessionToken>
              <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
              <Expiration>2026-11-26T12:03:13Z</Expiration>
              <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
            </Credentials>
          </AssumeRoleWithWebIdentityResult>
        </AssumeRoleWithWebIdentityResponse>
        """

    @Test func readsTheCredentialsInAnyOrderAndDecodesEntities() throws {
        let credentials = try StsResponseParser.credentials(from: Self.success)
        #expect(credentials == S3Credentials(
            accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            sessionToken: "IQoJb3JpZ2luX2VjE&token", expiration: try Date("2026-11-26T12:03:13Z", strategy: .iso8601)))
    }

    @Test func aMissingElementIsFormat() throws {
        let body = Self.success.replacing("<AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>", with: "")
        let error = try #require(throws: PGVError.self) { try StsResponseParser.credentials(from: body) }
        #expect(error.code == .format)
        #expect(!error.message.contains("wJalrXUtnFEMI"), "the body is not quoted")
    }

    @Test func aBadExpirationIsFormat() throws {
        let body = Self.success.replacing("2026-11-26T12:03:13Z", with: "tomorrow")
        let error = try #require(throws: PGVError.self) { try StsResponseParser.credentials(from: body) }
        #expect(error == PGVError(.format, "sts AssumeRoleWithWebIdentity returned an invalid Expiration 'tomorrow'"))
    }

    @Test func summarisesAnErrorDocument() {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>\
            <Code>InvalidIdentityToken</Code><Message>Couldn&apos;t retrieve verification key</Message></Error>\
            </ErrorResponse>
            """
        #expect(StsResponseParser.errorSummary(from: body)
            == "InvalidIdentityToken: Couldn't retrieve verification key")
        #expect(StsResponseParser.errorSummary(from: "<Error><Code>Throttling</Code></Error>") == "Throttling")
        #expect(StsResponseParser.errorSummary(from: "not xml") == nil)
    }
}
