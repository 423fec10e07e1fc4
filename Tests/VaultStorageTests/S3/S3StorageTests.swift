import Foundation
import Testing
import VaultCore
import VaultIO
@testable import VaultStorage

/// S3-specific behaviour against moto: multipart uploads, large listings, batch deletes, aborts leaving no open
/// uploads, and what the driver reports for errors.
@Suite(.serialized)
struct S3StorageTests {
    @Test func multipartUploadAboveTheChunkSize() async throws {
        let storage = try await MotoServer.shared().makeStorage(uploadChunkSize: 5 << 20)
        let content = testBytes(11 << 20 + 123, seed: 3)
        let writer = try await storage.openWrite("big/object", options: StorageWriteOptions())
        var start = 0
        while start < content.count {
            let end = min(start + 700_001, content.count)
            try await writer.write(Array(content[start..<end]))
            start = end
        }
        #expect(try await storage.info("big/object") == nil)
        #expect(try await storage.openMultipartUploads().count == 1)
        try await writer.commit()
        let stored = try await storage.get("big/object")
        #expect(Digest.sha1Hex(stored) == Digest.sha1Hex(content))
        #expect(try await storage.info("big/object")?.size == UInt64(content.count))
        #expect(try await storage.openMultipartUploads().isEmpty)
    }

    @Test func abortedMultipartUploadLeavesNothingOpen() async throws {
        let storage = try await MotoServer.shared().makeStorage(uploadChunkSize: 5 << 20)
        let writer = try await storage.openWrite("aborted", options: StorageWriteOptions())
        try await writer.write(testBytes(12 << 20))
        #expect(try await storage.openMultipartUploads().count == 1)
        await writer.abort()
        #expect(try await storage.openMultipartUploads().isEmpty)
        #expect(try await storage.info("aborted") == nil)
    }

    /// Regression (s3_faults in CI): a job cancelled while its CreateMultipartUpload was in flight never learnt the
    /// upload's id, so nothing aborted it. Cancelling at a spread of moments around the POST must leave nothing
    /// open once the dropped writers' aborts are drained.
    @Test func writerCancelledAroundTheUploadStartLeavesNothingOpen() async throws {
        let storage = try await MotoServer.shared().makeStorage(uploadChunkSize: 5 << 20)
        let part = testBytes(6 << 20)
        for delay in [0, 1, 2, 3, 5, 8, 12, 20] {
            let job = Task {
                let writer = try await storage.openWrite("cancelled/\(delay)", options: StorageWriteOptions())
                try await writer.write(part)
                try await Task.sleep(for: .seconds(5))
                try await writer.commit()
            }
            try await Task.sleep(for: .milliseconds(delay))
            job.cancel()
            _ = await job.result
        }
        await S3HTTPClients.drainDetachedAborts()
        #expect(try await storage.openMultipartUploads().isEmpty)
        for delay in [0, 1, 2, 3, 5, 8, 12, 20] { #expect(try await storage.info("cancelled/\(delay)") == nil) }
    }

    @Test func tenThousandObjectsListAndBatchDelete() async throws {
        let storage = try await MotoServer.shared().makeStorage()
        let names = (0..<10_000).map { String(format: "many/%02d/object-%05d", $0 % 7, $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in stride(from: 0, to: names.count, by: 625) {
                let batch = Array(names[slice..<min(slice + 625, names.count)])
                group.addTask { for name in batch { try await storage.put(name, [1]) } }
            }
            try await group.waitForAll()
        }
        let all = try await storage.listRecursive("many")
        #expect(all.filter { $0.type == .file }.count == 10_000)
        #expect(all.filter { $0.type == .path }.map(\.name) == (0..<7).map { String(format: "%02d", $0) })
        #expect(try await storage.list("many/03").count == names.filter { $0.hasPrefix("many/03/") }.count)
        try await storage.put("other/keep", [2])
        try await storage.pathRemove("many", recursive: true)
        #expect(try await storage.listRecursive("many").isEmpty)
        #expect(try await storage.get("other/keep") == [2])
    }

    @Test func keysWithSpecialCharactersRoundTrip() async throws {
        let storage = try await MotoServer.shared().makeStorage()
        let name = "odd/a b+c=d&e~f%g,h;i'j(k)"
        try await storage.put(name, [9, 9])
        #expect(try await storage.get(name) == [9, 9])
        #expect(try await storage.list("odd").map(\.name) == ["a b+c=d&e~f%g,h;i'j(k)"])
        try await storage.pathRemove("odd", recursive: true)
        #expect(try await storage.list("odd").isEmpty)
    }

    @Test func linksAreNotSupported() async throws {
        let storage = try await MotoServer.shared().makeStorage()
        #expect(storage.capabilities.isEmpty)
        let error = await pgvError { try await storage.linkCreate("l", destination: "x") }
        #expect(error?.code == .featureNotSupported)
    }

    @Test func missingBucketNamesBucketAndAWSCode() async throws {
        let server = try MotoServer.shared()
        let storage = try S3Storage(
            configuration: S3Configuration(bucket: "no-such-bucket-pgv", region: "us-east-1", endpoint: server.endpoint,
                                           uriStyle: .path, rootPrefix: "repo"),
            credentials: StaticS3CredentialProvider(S3Credentials(accessKeyId: "a", secretAccessKey: "b")))
        let error = try #require(await pgvError { _ = try await storage.list("x") })
        #expect(error.code == .protocolError)
        #expect(error.message.contains("bucket 'no-such-bucket-pgv'"))
        #expect(error.message.contains("404 NoSuchBucket"))
    }

    @Test func refusedConnectionIsRetriedThenHostConnectError() async throws {
        let port = try LoopbackPort.free()
        let storage = try S3Storage(
            configuration: S3Configuration(bucket: "b", region: "us-east-1", endpoint: "http://127.0.0.1:\(port)",
                                           uriStyle: .path, ioTimeout: 2,
                                           retry: S3RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.05)),
            credentials: StaticS3CredentialProvider(S3Credentials(accessKeyId: "a", secretAccessKey: "b")))
        let error = try #require(await pgvError { _ = try await storage.get("k") })
        #expect(error.code == .hostConnect)
        #expect(error.message.contains("unable to connect to '127.0.0.1:\(port)'"))
        #expect(error.message.hasSuffix("after 3 attempts"))
    }
}
