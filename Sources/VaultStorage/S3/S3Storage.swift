import Foundation
import NIOHTTP1
import VaultCore

/// The `Storage` driver for one S3 bucket prefix (`repoN-type=s3`). Paths map to keys under
/// `configuration.rootPrefix`; error messages show them as `/<prefix>/<path>`, like the POSIX driver shows its root.
///
/// Requests: HEAD (info), GET with `Range` (read), PUT or multipart upload (write), DELETE (remove),
/// ListObjectsV2 with `delimiter=/` (list) or without (listRecursive, pathRemove), DeleteObjects in batches of
/// 1000 (pathRemove). Object stores have no directories: a path exists while a key lies under it, `pathCreate` does
/// nothing, and there are no links, owners or modes. Listing a key that is an object lists empty (as `pathExists`
/// expects of a store without directories). Where it costs one extra request only on the unusual path, the driver
/// reports POSIX's errors: `pathRemove` of a key that is an object is `[20] Not a directory`, a non-recursive
/// `pathRemove` of a path with keys is `[39] Directory not empty`.
public final class S3Storage: Storage {
    let client: S3Client
    private let rootPrefix: String

    public var capabilities: StorageCapabilities { [] }

    /// Connects lazily: nothing is sent until the first operation. Throws for an invalid endpoint or CA file.
    public init(configuration: S3Configuration, credentials: any S3CredentialProvider) throws {
        client = try S3Client(configuration: configuration, credentials: credentials)
        rootPrefix = try StoragePath.normalize(configuration.rootPrefix)
    }

    /// The key of a normalised storage path.
    func key(_ path: String) -> String { StoragePath.join(rootPrefix, path) }

    /// `/prefix/path`, as messages show it.
    func display(_ path: String) -> String { "/" + key(path) }

    /// The listing prefix of a normalised path: `prefix/path/`, or "" for the bucket root.
    private func directoryPrefix(_ path: String) -> String {
        let base = key(path)
        return base.isEmpty ? "" : base + "/"
    }

    // MARK: - Storage

    public func info(_ path: String) async throws -> StorageInfo? {
        let normalized = try StoragePath.normalize(path)
        if normalized.isEmpty, rootPrefix.isEmpty { return StorageInfo(name: normalized, type: .path) }
        if !normalized.isEmpty, let head = try await head(normalized) {
            return StorageInfo(name: normalized, type: .file, size: head.size, modified: head.modified)
        }
        if normalized.isEmpty { return StorageInfo(name: normalized, type: .path) }
        let page = try await listPage(prefix: directoryPrefix(normalized), delimiter: nil, token: nil, maxKeys: 1)
        return page.objects.isEmpty ? nil : StorageInfo(name: normalized, type: .path)
    }

    public func list(_ path: String) async throws -> [StorageInfo] {
        let normalized = try StoragePath.normalize(path)
        let prefix = directoryPrefix(normalized)
        var entries: [StorageInfo] = []
        var token: String?
        repeat {
            let page = try await listPage(prefix: prefix, delimiter: "/", token: token, maxKeys: nil)
            for object in page.objects {
                let name = String(object.key.dropFirst(prefix.count))
                if name.isEmpty { continue }
                entries.append(StorageInfo(name: name, type: .file, size: object.size, modified: object.modified))
            }
            for common in page.commonPrefixes {
                let name = String(common.dropFirst(prefix.count).dropLast())
                if !name.isEmpty { entries.append(StorageInfo(name: name, type: .path)) }
            }
            token = page.nextContinuationToken
        } while token != nil
        return entries
    }

    public func listRecursive(_ path: String) async throws -> [StorageInfo] {
        let normalized = try StoragePath.normalize(path)
        let prefix = directoryPrefix(normalized)
        var entries: [StorageInfo] = []
        var paths = Set<String>()
        for object in try await listAll(prefix: prefix) {
            let name = String(object.key.dropFirst(prefix.count))
            if name.isEmpty || name.hasSuffix("/") { continue }
            entries.append(StorageInfo(name: name, type: .file, size: object.size, modified: object.modified))
            var parent = StoragePath.parent(name)
            while !parent.isEmpty, paths.insert(parent).inserted { parent = StoragePath.parent(parent) }
        }
        entries += paths.map { StorageInfo(name: $0, type: .path) }
        entries.sort { StoragePath.byteOrder($0.name, $1.name) }
        return entries
    }

    public func openRead(_ path: String, offset: UInt64, length: UInt64?) async throws -> any StorageReader {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        let key = key(normalized), shown = display(normalized)
        if length == 0 {
            guard try await head(normalized) != nil else { throw StorageError.openMissingForRead(shown) }
            return S3ObjectReader(client: client, key: key, display: shown, response: nil, offset: offset, end: offset)
        }
        var headers: [(name: String, value: String)] = []
        if offset > 0 || length != nil {
            headers.append(("range", "bytes=\(offset)-" + (length.map { String(offset + $0 - 1) } ?? "")))
        }
        let response = try await client.open(S3Request(method: .GET, key: key, headers: headers,
                                                       answeredStatuses: [404, 416]))
        switch response.status.code {
        case 404: throw StorageError.openMissingForRead(shown)
        case 416: return S3ObjectReader(client: client, key: key, display: shown, response: nil, offset: offset, end: offset)
        default:
            let bodyLength = response.headers.first(name: "content-length").flatMap { UInt64($0) }
            return S3ObjectReader(client: client, key: key, display: shown, response: response, offset: offset,
                                  end: bodyLength.map { offset + $0 })
        }
    }

    public func openWrite(_ path: String, options: StorageWriteOptions) async throws -> any StorageWriter {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        return S3ObjectWriter(storage: self, key: key(normalized), display: display(normalized))
    }

    public func remove(_ path: String, errorOnMissing: Bool) async throws {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        if errorOnMissing, try await head(normalized) == nil { throw StorageError.removeMissing(display(normalized)) }
        _ = try await client.send(S3Request(method: .DELETE, key: key(normalized), answeredStatuses: [404]))
    }

    public func pathRemove(_ path: String, recursive: Bool) async throws {
        let normalized = try StoragePath.normalize(path)
        let keys = try await listAll(prefix: directoryPrefix(normalized)).map(\.key)
        if keys.isEmpty {
            if !normalized.isEmpty, try await head(normalized) != nil {
                throw StorageError.pathRemove(display(normalized), errno: ENOTDIR)
            }
            return
        }
        guard recursive else { throw StorageError.pathRemove(display(normalized), errno: ENOTEMPTY) }
        try await deleteObjects(keys)
    }

    public func pathCreate(_ path: String, mode: UInt32) async throws {
        _ = try StoragePath.normalize(path)
    }

    public func linkCreate(_ path: String, destination: String) async throws {
        let normalized = try StoragePath.normalize(path, allowRoot: false)
        throw PGVError(.featureNotSupported,
                       "unable to create symlink '\(display(normalized))' to '\(destination)': s3 storage has no links")
    }

    // MARK: - Requests

    /// HEAD of an object: its size and Last-Modified, nil on 404.
    func head(_ path: String) async throws -> (size: UInt64, modified: Int64)? {
        let response = try await client.send(S3Request(method: .HEAD, key: key(path), answeredStatuses: [404]))
        guard response.status != 404 else { return nil }
        let size = response.headers.first(name: "content-length").flatMap { UInt64($0) } ?? 0
        let modified = response.headers.first(name: "last-modified").flatMap(S3Time.parseHTTPDate) ?? 0
        return (size, modified)
    }

    /// One ListObjectsV2 page.
    func listPage(prefix: String, delimiter: String?, token: String?, maxKeys: Int?) async throws -> S3ListPage {
        var query: [(name: String, value: String)] = [("list-type", "2")]
        if !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let token { query.append(("continuation-token", token)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let response = try await client.send(S3Request(method: .GET, key: nil, query: query))
        return S3ListPage.parse(String(decoding: response.body, as: UTF8.self))
    }

    /// Every object under `prefix`, following continuation tokens.
    func listAll(prefix: String) async throws -> [S3ListPage.Object] {
        var objects: [S3ListPage.Object] = []
        var token: String?
        repeat {
            let page = try await listPage(prefix: prefix, delimiter: nil, token: token, maxKeys: nil)
            objects += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return objects
    }

    /// DeleteObjects (`POST ?delete`, quiet mode, `Content-MD5`) in batches of at most 1000 keys; a key S3 reports
    /// in an `<Error>` element fails the call with `.pathRemove` (061).
    func deleteObjects(_ keys: [String]) async throws {
        var start = 0
        while start < keys.count {
            let batch = keys[start..<min(start + 1000, keys.count)]
            start += batch.count
            var document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete><Quiet>true</Quiet>"
            for key in batch { document += "<Object><Key>\(S3XML.escape(key))</Key></Object>" }
            document += "</Delete>"
            let body = Array(document.utf8)
            let response = try await client.send(S3Request(
                method: .POST, key: nil, query: [("delete", "")],
                headers: [("content-md5", S3ContentMD5.base64(body)), ("content-type", "application/xml")], body: body))
            let text = Substring(String(decoding: response.body, as: UTF8.self))
            if let failed = S3XML.elements("Error", in: text).first {
                throw PGVError(.pathRemove, "unable to remove '/\(S3XML.value("Key", in: failed) ?? "")' from bucket "
                    + "'\(client.configuration.bucket)': \(S3XML.value("Code", in: failed) ?? "error") "
                    + (S3XML.value("Message", in: failed) ?? ""))
            }
        }
    }

    /// Headers every object write carries: storage class and server-side encryption.
    private var writeHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        let configuration = client.configuration
        if let storageClass = configuration.storageClass { headers.append(("x-amz-storage-class", storageClass)) }
        switch configuration.serverSideEncryption {
        case .none: break
        case .s3: headers.append(("x-amz-server-side-encryption", "AES256"))
        case .kms(let keyId):
            headers.append(("x-amz-server-side-encryption", "aws:kms"))
            headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyId))
        }
        return headers
    }

    func putObject(key: String, body: [UInt8]) async throws {
        _ = try await client.send(S3Request(method: .PUT, key: key, headers: writeHeaders, body: body))
    }

    func createMultipart(key: String) async throws -> String {
        let response = try await client.send(S3Request(method: .POST, key: key, query: [("uploads", "")],
                                                       headers: writeHeaders))
        guard let id = S3XML.value("UploadId", in: Substring(String(decoding: response.body, as: UTF8.self))) else {
            throw PGVError(.protocolError, "s3 CreateMultipartUpload of key '\(key)' in bucket "
                           + "'\(client.configuration.bucket)' answered without an UploadId")
        }
        await abortOtherUploads(key: key, keeping: id)
        return id
    }

    /// A CreateMultipartUpload whose answer was lost and retried leaves an upload nobody knows of, and a killed run
    /// can leave one for the same key: both would be orphans. ListMultipartUploads with `prefix=key` finds them and
    /// each other upload of exactly this key is aborted. Best effort: a failure here never fails the write.
    private func abortOtherUploads(key: String, keeping id: String) async {
        guard let response = try? await client.send(S3Request(method: .GET, key: nil,
                                                              query: [("uploads", ""), ("prefix", key)])) else { return }
        let text = Substring(String(decoding: response.body, as: UTF8.self))
        for upload in S3XML.elements("Upload", in: text) {
            guard S3XML.value("Key", in: upload) == key, let other = S3XML.value("UploadId", in: upload), other != id
            else { continue }
            await abortMultipart(key: key, uploadId: other)
        }
    }

    /// UploadPart; returns the part's ETag.
    func uploadPart(key: String, uploadId: String, number: Int, body: [UInt8]) async throws -> String {
        let response = try await client.send(S3Request(
            method: .PUT, key: key, query: [("partNumber", String(number)), ("uploadId", uploadId)], body: body))
        guard let etag = response.headers.first(name: "etag") else {
            throw PGVError(.protocolError, "s3 UploadPart \(number) of key '\(key)' in bucket "
                           + "'\(client.configuration.bucket)' answered without an ETag")
        }
        return etag
    }

    /// CompleteMultipartUpload; S3 may answer 200 with an `<Error>` body, which fails the write.
    func completeMultipart(key: String, uploadId: String, parts: [(Int, String)]) async throws {
        var document = "<CompleteMultipartUpload>"
        for (number, etag) in parts.sorted(by: { $0.0 < $1.0 }) {
            document += "<Part><PartNumber>\(number)</PartNumber><ETag>\(S3XML.escape(etag))</ETag></Part>"
        }
        document += "</CompleteMultipartUpload>"
        let response = try await client.send(S3Request(method: .POST, key: key, query: [("uploadId", uploadId)],
                                                       headers: [("content-type", "application/xml")],
                                                       body: Array(document.utf8)))
        if let error = S3ErrorDocument.parse(response.body) {
            throw PGVError(.protocolError, "s3 CompleteMultipartUpload of key '\(key)' in bucket "
                           + "'\(client.configuration.bucket)' failed: \(error.code ?? "error") \(error.message ?? "")")
        }
    }

    /// AbortMultipartUpload; failures are ignored (the caller is already failing).
    /// AbortMultipartUpload, sent from a detached task: the caller is often a file job cancelled because a sibling
    /// failed, and a request made from a cancelled task would not go out, leaving the upload open.
    func abortMultipart(key: String, uploadId: String) async {
        let client = self.client
        await Task.detached {
            _ = try? await client.send(S3Request(method: .DELETE, key: key, query: [("uploadId", uploadId)],
                                                 answeredStatuses: [404]))
        }.value
    }

    /// Uploads still open under the storage root (ListMultipartUploads), as `(key, uploadId)`.
    public func openMultipartUploads() async throws -> [(key: String, uploadId: String)] {
        var query: [(name: String, value: String)] = [("uploads", "")]
        if !rootPrefix.isEmpty { query.append(("prefix", rootPrefix + "/")) }
        let response = try await client.send(S3Request(method: .GET, key: nil, query: query))
        let text = Substring(String(decoding: response.body, as: UTF8.self))
        return S3XML.elements("Upload", in: text).map {
            (S3XML.value("Key", in: $0) ?? "", S3XML.value("UploadId", in: $0) ?? "")
        }
    }

    /// CreateBucket (`PUT /bucket`); for tests and tools that prepare an empty bucket.
    public func createBucket() async throws {
        _ = try await client.send(S3Request(method: .PUT, key: nil))
    }
}
