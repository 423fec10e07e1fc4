import Testing
import VaultCore
import VaultIO
@testable import VaultRepository

/// Manifest loading on mutated manifests (byte edits and re-signed hostile values: absurd sizes, `../` names,
/// bad modes, owners, references): parses or throws `PGVError`. What parses has only clean names and sane sizes,
/// and renders to text that loads and renders to the same text (what pgvault writes, it can read).
struct FuzzManifestTests {
    @Test func fuzzManifestLoad() {
        let text = IncrManifestFixture.text
        let run = FuzzLoop.run("manifest", generate: { FuzzDocuments.input(text, &$0) }) { bytes in
            let manifest = try Manifest.parse(bytes)
            for file in manifest.files {
                #expect(ManifestName.isValid(file.name, allowRoot: false))
                #expect(file.size <= ManifestName.maxFileSize && file.repoSize <= ManifestName.maxFileSize)
            }
            #expect(manifest.paths.allSatisfy { ManifestName.isValid($0.name, allowRoot: true) })
            #expect(manifest.links.allSatisfy { ManifestName.isValid($0.name, allowRoot: false) })
            let rendered = manifest.render()
            #expect(try Manifest.parse(rendered).render() == rendered)
        }
        #expect(run.passed == run.iterations)
    }

    @Test func fuzzManifestHistoryCopy() throws {
        // backup.history/<year>/<label>.manifest.gz: gzip then parse, as `loadHistoryManifest` does.
        let gzip = try GzipCompressStage(level: 9)
        let stored = try StagePipeline.transform(Array(IncrManifestFixture.text.utf8), through: [gzip])
        let run = FuzzLoop.run("manifest history gz", seeds: [stored]) { bytes in
            _ = try Manifest.parse(try StagePipeline.transform(bytes, through: [try GzipDecompressStage()]))
        }
        #expect(run.passed == run.iterations)
    }
}
