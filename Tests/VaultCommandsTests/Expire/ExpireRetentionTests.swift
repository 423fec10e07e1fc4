import Testing
import VaultRepository
@testable import VaultCommands

@Suite struct ExpireRetentionTests {
    @Test func archiveRetentionFollowsFullOrDiffWhenUnset() {
        #expect(ExpireRetention(full: 4, diff: 7).archive == 4)
        #expect(ExpireRetention(full: 4, diff: 7, archiveType: .diff).archive == 7)
        #expect(ExpireRetention(full: 4, diff: 7, archiveType: .incr).archive == nil)
        #expect(ExpireRetention(full: 4, fullType: .time).archive == nil)
        #expect(ExpireRetention(full: 4, archive: 2, archiveType: .incr).archive == 2)
    }

    @Test func warningsMatchPgBackRestsConfigurationLoad() {
        #expect(ExpireRetention(full: 2).warnings.isEmpty)
        #expect(ExpireRetention(repoIndex: 2).warnings == [
            "option 'repo2-retention-full' is not set for 'repo2-retention-full-type=count', the repository may run "
                + "out of space\nHINT: to retain full backups indefinitely (without warning), set option "
                + "'repo2-retention-full' to the maximum.",
        ])
        #expect(ExpireRetention(full: 1, archiveType: .diff).warnings == [
            "WAL segments will not be expired: option 'repo1-retention-archive-type=diff' but neither option "
                + "'repo1-retention-archive' nor option 'repo1-retention-diff' is set",
        ])
        #expect(ExpireRetention(full: 1, archiveType: .incr).warnings == [
            "WAL segments will not be expired: option 'repo1-retention-archive-type=incr' but option "
                + "'repo1-retention-archive' is not set",
        ])
        #expect(ExpireRetention(full: 1, archive: 3, archiveType: .diff).warnings.first?
                    .hasPrefix("option 'repo1-retention-diff' is not set for 'repo1-retention-archive-type=diff'") == true)
    }
}
