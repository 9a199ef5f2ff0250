/// The exporter's text rules for label values, reproduced to the character.
enum ExporterText {
    /// Python's `text[:count]`: the first `count` Unicode scalars (Python strings count code
    /// points, not grapheme clusters or bytes).
    static func prefix(_ text: String, _ count: Int) -> String {
        var scalars = text.unicodeScalars
        guard scalars.count > count else { return text }
        scalars = String.UnicodeScalarView(scalars.prefix(count))
        return String(scalars)
    }

    /// `incident_name` and `maintenance_name`: at most 100 characters.
    static func name(_ text: String) -> String { prefix(text, 100) }

    /// `affected_components`: component names joined by `", "`, then cut to 150 characters.
    static func affectedComponents(_ names: [String]) -> String {
        prefix(names.joined(separator: ", "), 150)
    }

    /// The exporter's `normalize_timestamp`: every `.ddd` directly followed by `Z`, `+` or `-` is
    /// removed (`2024-05-14T10:25:10.659Z` → `2024-05-14T10:25:10Z`,
    /// `2022-02-15T13:14:17.737-08:00` → `2022-02-15T13:14:17-08:00`); other precisions stay.
    /// Empty, `N/A` and `unknown` come back unchanged, as there.
    static func withoutMilliseconds(_ timestamp: String) -> String {
        guard !timestamp.isEmpty, timestamp != "N/A", timestamp != "unknown" else { return timestamp }
        let bytes = Array(timestamp.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "."), index + 4 < bytes.count,
                bytes[(index + 1)...(index + 3)].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
                [UInt8(ascii: "Z"), UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[index + 4])
            {
                index += 4  // the look-ahead character stays
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
