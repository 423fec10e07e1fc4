import Testing
import VaultCore
@testable import VaultRepository

/// `backup.info` loading on mutated files, plain and re-signed: parses or throws `PGVError`; what parses renders.
struct FuzzBackupInfoTests {
    @Test func fuzzBackupInfoLoad() {
        let text = PgBackRestInfoFixtures.backupInfo
        let run = FuzzLoop.run("backup.info", generate: { FuzzDocuments.input(text, &$0) }) { bytes in
            let info = try BackupInfo.parse(bytes)
            _ = info.render()
        }
        #expect(run.passed == run.iterations)
    }
}
