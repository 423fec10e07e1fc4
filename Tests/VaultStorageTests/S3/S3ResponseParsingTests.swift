import Testing
@testable import VaultStorage

/// The XML and time formats of S3 answers.
struct S3ResponseParsingTests {
    @Test func listPageWithObjectsPrefixesAndToken() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>repo/</Prefix>\
            <KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>\
            <Contents><Key>repo/a&amp;b.txt</Key><LastModified>2024-01-31T12:00:05.000Z</LastModified>\
            <ETag>&quot;x&quot;</ETag><Size>42</Size><StorageClass>STANDARD</StorageClass></Contents>\
            <Contents><Key>repo/z</Key><LastModified>2024-01-31T12:00:06Z</LastModified><Size>0</Size></Contents>\
            <CommonPrefixes><Prefix>repo/sub/</Prefix></CommonPrefixes>\
            <NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>
            """
        let page = S3ListPage.parse(xml)
        #expect(page.objects.map(\.key) == ["repo/a&b.txt", "repo/z"])
        #expect(page.objects.map(\.size) == [42, 0])
        #expect(page.objects.first?.modified == 1_706_702_405)
        #expect(page.commonPrefixes == ["repo/sub/"])
        #expect(page.nextContinuationToken == "tok+/=")
    }

    @Test func lastPageHasNoToken() {
        let page = S3ListPage.parse("<ListBucketResult><IsTruncated>false</IsTruncated>"
                                    + "<NextContinuationToken>stale</NextContinuationToken></ListBucketResult>")
        #expect(page.objects.isEmpty)
        #expect(page.nextContinuationToken == nil)
    }

    @Test func errorDocument() {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code>\
            <Message>The request signature we calculated does not match the signature you provided.</Message>\
            <RequestId>1</RequestId></Error>
            """.utf8)
        let document = S3ErrorDocument.parse(body)
        #expect(document?.code == "SignatureDoesNotMatch")
        #expect(document?.message?.hasPrefix("The request signature") == true)
        #expect(S3ErrorDocument.parse([]) == nil)
    }

    @Test func entitiesAndEscaping() {
        #expect(S3XML.decode("a&lt;b&gt;&#65;&#x42;&apos;") == "a<b>AB'")
        #expect(S3XML.escape("a&b<c>\"'") == "a&amp;b&lt;c&gt;&quot;&apos;")
    }

    @Test func httpDatesAndRetryAfter() {
        #expect(S3Time.parseHTTPDate("Wed, 31 Jan 2024 12:00:05 GMT") == 1_706_702_405)
        #expect(S3Time.retryAfterSeconds("3", now: 0) == 3)
        #expect(S3Time.retryAfterSeconds("Wed, 31 Jan 2024 12:00:05 GMT", now: 1_706_702_400) == 5)
        #expect(S3Time.retryAfterSeconds("soon", now: 0) == nil)
        #expect(S3Time.parseISO8601("2024-01-31T12:00:05.000Z") == 1_706_702_405)
    }
}
