/// Parsing of `application/x-www-form-urlencoded` query strings.
public enum QueryString {
    /// Splits a raw query string into items, percent-decoding names and values and turning `+` into a space.
    ///
    /// Malformed escapes (`%zz`, a lone `%`) are kept literally rather than rejected: a dashboard with
    /// an odd URL should get an answer about the parameter's value, not about its encoding.
    public static func parse(_ raw: some StringProtocol) -> [QueryItem] {
        var items: [QueryItem] = []
        for pair in raw.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            if let eq = pair.firstIndex(of: UInt8(ascii: "=")) {
                items.append(
                    QueryItem(
                        name: decode(pair[pair.startIndex..<eq]),
                        value: decode(pair[pair.index(after: eq)...])
                    )
                )
            } else {
                items.append(QueryItem(name: decode(pair), value: ""))
            }
        }
        return items
    }

    /// Percent-decodes one component (`+` is a space).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i != bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%") {
                let h = bytes.index(after: i)
                if h != bytes.endIndex, bytes.index(after: h) != bytes.endIndex,
                    let hi = hexValue(bytes[h]), let lo = hexValue(bytes[bytes.index(after: h)])
                {
                    out.append(hi << 4 | lo)
                    i = bytes.index(after: bytes.index(after: h))
                    continue
                }
                out.append(byte)
            } else {
                out.append(byte)
            }
            i = bytes.index(after: i)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decodes a path (`+` stays a `+`).
    public static func decodePath(_ path: some StringProtocol) -> String {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return String(path) }
        var out: [UInt8] = []
        let bytes = Array(path.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
                let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2])
            {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
