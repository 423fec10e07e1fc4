import VaultCore
@testable import VaultRepository

/// Inputs for the document fuzz tests that get past the `backrest-checksum` gate: a random mutation of the bytes
/// almost always fails the checksum, which leaves the model loaders (`Manifest(ini:)`, `BackupInfo(ini:)`) untested.
/// `resigned` edits keys and raw values of a parsed document, then renders it, so the checksum is right and the
/// loader sees the hostile values.
enum FuzzDocuments {
    static func resigned(_ text: String, _ mutator: inout FuzzMutator) -> [UInt8] {
        guard let ini = try? InfoIni.parse(Array(text.utf8)) else { return Array(text.utf8) }
        // One to three edits over the whole document, so that many inputs still load and the edits reach deep.
        let total = ini.sections.reduce(0) { $0 + $1.entries.count }
        var edits: [Int: Int] = [:]
        for _ in 0..<(1 + mutator.random.below(3)) { edits[mutator.random.below(max(1, total))] = mutator.random.below(6) }
        var edited = InfoIni()
        var position = 0
        for section in ini.sections {
            for entry in section.entries {
                defer { position += 1 }
                var sectionName = section.name, key = entry.key, raw = entry.raw
                switch edits[position] {
                case 0: key = mutator.mutate(key)
                case 1: continue  // drop the key
                case 2: sectionName = mutator.mutate(sectionName)
                case 3: raw = String(decoding: mutator.pick(FuzzMutator.hostileTokens), as: UTF8.self)
                case 4, 5: raw = mutator.mutate(raw)
                default: break
                }
                edited.setRaw(sectionName, key, raw)
            }
        }
        return edited.render()
    }

    /// Half the time byte mutations of `text` (INI syntax, checksum), half `resigned` ones (the model loader).
    static func input(_ text: String, _ mutator: inout FuzzMutator) -> [UInt8] {
        mutator.random.chance(2) ? mutator.mutate(Array(text.utf8)) : resigned(text, &mutator)
    }
}
