import VaultCore
@testable import VaultRepository

/// Inputs for the document fuzz tests that get past the `backrest-checksum` gate: a random mutation of the bytes
/// almost always fails the checksum, which leaves the model loaders (`Manifest(ini:)`, `BackupInfo(ini:)`) untested.
/// `resigned` edits keys and raw values of a parsed document, then renders it, so the checksum is right and the
/// loader sees the hostile values.
enum FuzzDocuments {
    static func resigned(_ text: String, _ mutator: inout FuzzMutator) -> [UInt8] {
        guard let ini = try? InfoIni.parse(Array(text.utf8)) else { return Array(text.utf8) }
        var edited = InfoIni()
        for section in ini.sections {
            let sectionName = mutator.random.chance(40) ? mutator.mutate(section.name) : section.name
            for entry in section.entries {
                var key = entry.key
                var raw = entry.raw
                if mutator.random.chance(12) { key = mutator.mutate(key) }
                if mutator.random.chance(6) { raw = mutator.mutate(raw) }
                if mutator.random.chance(30) { continue }
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
