import Testing
import VaultConfig
import VaultCore
import VaultRepository
@testable import VaultCommands

@Suite struct AnnotatePlanTests {
    @Test func valuesReplaceOrAddAndEmptyValuesRemove() {
        var current = JsonObject()
        current["reason"] = .string("nightly")
        current["source"] = .string("cron")
        let merged = AnnotatePlan.merge(current, changes: [
            OptionHashEntry(key: "source", value: "manual"), OptionHashEntry(key: "reason", value: ""),
            OptionHashEntry(key: "ticket", value: "OPS-1"),
        ])
        #expect(merged?.keys == ["source", "ticket"])
        #expect(merged?["source"] == .string("manual"))
        #expect(merged?["ticket"] == .string("OPS-1"))
    }

    @Test func removingTheLastKeyDropsTheAnnotation() {
        var current = JsonObject()
        current["a"] = .string("1")
        #expect(AnnotatePlan.merge(current, changes: [OptionHashEntry(key: "a", value: "")]) == nil)
        #expect(AnnotatePlan.merge(nil, changes: [OptionHashEntry(key: "a", value: "")]) == nil)
        #expect(AnnotatePlan.merge(nil, changes: [OptionHashEntry(key: "a", value: "x")])?["a"] == .string("x"))
    }

    @Test func aMalformedLabelIs032() throws {
        try AnnotatePlan.validateLabel("20240101-000000F_20240102-000000I")
        let error = #expect(throws: PGVError.self) { try AnnotatePlan.validateLabel("latest") }
        #expect(error?.code == .optionInvalidValue)
        #expect(error?.message == "'latest' is not a valid backup label format")
    }
}
