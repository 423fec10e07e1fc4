import Foundation

/// A small scanner for the flat XML documents S3 answers with (ListBucketResult, Error,
/// InitiateMultipartUploadResult, DeleteResult). It finds `<Tag>…</Tag>` elements by name; it does not build a tree
/// and needs no libxml2. Elements looked up by name are never nested in themselves in these documents.
public enum S3XML {
    /// The raw inner text of every `<tag>…</tag>` in `xml`, in document order (entities not decoded).
    public static func elements(_ tag: String, in xml: Substring) -> [Substring] {
        let open = "<\(tag)>", close = "</\(tag)>"
        var result: [Substring] = []
        var cursor = xml.startIndex
        while let start = xml.range(of: open, range: cursor..<xml.endIndex),
              let end = xml.range(of: close, range: start.upperBound..<xml.endIndex) {
            result.append(xml[start.upperBound..<end.lowerBound])
            cursor = end.upperBound
        }
        return result
    }

    /// The decoded text of the first `<tag>` in `xml`, nil when absent.
    public static func value(_ tag: String, in xml: Substring) -> String? {
        let open = "<\(tag)>", close = "</\(tag)>"
        guard let start = xml.range(of: open), let end = xml.range(of: close, range: start.upperBound..<xml.endIndex)
        else { return nil }
        return decode(xml[start.upperBound..<end.lowerBound])
    }

    /// Replaces the five predefined entities and numeric character references.
    public static func decode(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar?
                if entity.hasPrefix("#x") { scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if entity.hasPrefix("#") { scalar = UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init) }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }

    /// `text` with `& < > " '` escaped, for keys in request documents (DeleteObjects).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
