import Testing
@testable import VaultCore

@Suite struct PGVErrorTests {
    @Test func reportHasPgBackRestLayoutAndHint() {
        let error = PGVError(.fileMissing, "unable to open missing file '/x' for read", hint: "is the path right?")
        #expect(error.report == "ERROR: [055]: unable to open missing file '/x' for read\nHINT: is the path right?")
        #expect(PGVError(.crypto, "bad").report == "ERROR: [095]: bad")
    }

    @Test(arguments: [(ErrorCode.checksum, "026"), (.optionInvalid, "031"), (.clock, "106"), (.notImplemented, "201")])
    func codesPrintAsThreeDigits(code: ErrorCode, text: String) {
        #expect(code.description == text)
    }

    @Test func wrapKeepsPGVErrorsAndLabelsOthers() {
        struct Other: Error, CustomStringConvertible { var description: String { "boom" } }
        #expect(PGVError.wrap(PGVError(.format, "x")) == PGVError(.format, "x"))
        #expect(PGVError.wrap(Other(), as: .fileRead, context: "reading 'a'") == PGVError(.fileRead, "reading 'a': boom"))
    }
}
