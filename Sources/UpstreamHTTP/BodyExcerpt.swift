/// A short, single-line, printable excerpt of a response body for error messages: a receiver's
/// error page may be long or binary, and an error string must stay one line.
enum BodyExcerpt {
    static func make(_ body: [UInt8], limit: Int) -> String {
        var text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
        text = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        text = text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if text.count > limit {
            return String(text.prefix(limit)) + "…"
        }
        return text
    }
}
