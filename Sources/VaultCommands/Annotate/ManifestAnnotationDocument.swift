import VaultRepository

/// A backup manifest held as its parsed INI, so `annotate` rewrites only `[metadata] annotation` and every other
/// line (including keys pgvault does not model) is kept as read; the checksum is recomputed on rendering.
struct ManifestAnnotationDocument: InfoDocument {
    private(set) var document: InfoIni

    init(ini: InfoIni) throws { document = ini }

    func ini() -> InfoIni { document }

    /// `[metadata] annotation`, nil when absent or not an object.
    var annotation: JsonObject? { (try? document.value("metadata", "annotation"))??.objectValue }

    /// Replaces `[metadata] annotation`; nil removes the key (and the section when nothing else is in it).
    mutating func setAnnotation(_ annotation: JsonObject?) {
        let others = document.entries(in: "metadata").filter { !ByteOrder.same($0.key, "annotation") }
        document.removeSection("metadata")
        for entry in others { document.setRaw("metadata", entry.key, entry.raw) }
        if let annotation { document.set("metadata", "annotation", .object(annotation)) }
    }
}
