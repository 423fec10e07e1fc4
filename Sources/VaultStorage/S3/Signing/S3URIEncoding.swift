/// Percent-encoding as SigV4 and S3 define it: every byte of the UTF-8 form is encoded as `%XX` (upper-case hex)
/// except the unreserved characters `A-Z a-z 0-9 - _ . ~`. Object keys keep `/` as the path separator; query names
/// and values encode it as `%2F`. A space is `%20`, never `+`.
public enum S3URIEncoding {
    /// `text` encoded; `/` is kept when `keepSlash` (object keys in the path), encoded otherwise (query parts).
    public static func encode(_ text: String, keepSlash: Bool) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
