import Testing
@testable import VaultStorage

struct StsEndpointTests {
    @Test func regionalByDefaultWithTheEnvironmentRegionFirst() {
        #expect(StsEndpoint.url(environment: [:], region: "eu-central-1") == "https://sts.eu-central-1.amazonaws.com")
        #expect(StsEndpoint.url(environment: ["AWS_DEFAULT_REGION": "us-west-2"], region: "eu-central-1")
            == "https://sts.us-west-2.amazonaws.com")
        #expect(StsEndpoint.url(environment: ["AWS_REGION": "ap-south-1", "AWS_DEFAULT_REGION": "us-west-2"],
                                region: "eu-central-1") == "https://sts.ap-south-1.amazonaws.com")
        #expect(StsEndpoint.url(environment: [:], region: "cn-north-1") == "https://sts.cn-north-1.amazonaws.com.cn")
    }

    @Test func legacyUsesTheGlobalEndpointOnlyInTheOriginalRegions() {
        let legacy = ["AWS_STS_REGIONAL_ENDPOINTS": "legacy"]
        #expect(StsEndpoint.url(environment: legacy, region: "us-east-1") == "https://sts.amazonaws.com")
        #expect(StsEndpoint.url(environment: legacy, region: "af-south-1") == "https://sts.af-south-1.amazonaws.com")
        #expect(StsEndpoint.url(environment: ["AWS_STS_REGIONAL_ENDPOINTS": "regional"], region: "us-east-1")
            == "https://sts.us-east-1.amazonaws.com")
    }

    @Test func theOverrideWinsWithoutATrailingSlash() {
        #expect(StsEndpoint.url(environment: ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5000/",
                                              "AWS_STS_REGIONAL_ENDPOINTS": "legacy"], region: "us-east-1")
            == "http://127.0.0.1:5000")
    }
}
