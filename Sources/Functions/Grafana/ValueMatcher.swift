import FastCGIRuntime

/// What a selector or an ad hoc filter accepts, built once per request and matched in linear time.
///
/// Grafana's interpolation of template variables decides the forms an `=`/`!=` value arrives in
/// (see docs/grafana.md, "Grafana with the JSON datasource"):
/// - a single value, possibly regex-escaped: the JSON datasource interpolates object payloads with
///   Grafana's `regex` format, which puts a backslash before each of `\^$*+?.()|[]{}/`
///   (`https:\/\/example\.com\/`); such escapes are undone;
/// - a multi-value or "All" variable: `(a|b|c)` in the regex format (the JSON datasource), `{a,b}`
///   in the glob format (SimpleJSON), or an array in a payload; any of the values is accepted
///   (a value literally equal to the whole text is accepted too);
/// - `*`, `.*` or `$__all` (an "All" option with a custom all value): everything.
/// `=~`/`!~` values are regular expressions (``LinearRegex``), matched against the whole value.
struct ValueMatcher: Sendable {
    private enum Kind: Sendable {
        case all
        case oneOf(Set<String>)
        case pattern(LinearRegex)
    }

    private let kind: Kind
    let isNegated: Bool
    /// The one value an `=` selector names, for "no such monitor" answers; nil for sets and patterns.
    let single: String?

    init(_ selector: Selector) throws(HTTPError) {
        isNegated = selector.op == .notEqual || selector.op == .notMatches
        switch selector.op {
        case .matches, .notMatches:
            guard selector.values.count == 1 else {
                // An array under a regex operator: any of the patterns.
                var alternatives: [String] = []
                for value in selector.values { alternatives.append("(?:" + value + ")") }
                kind = .pattern(try LinearRegex(alternatives.joined(separator: "|")))
                single = nil
                return
            }
            kind = .pattern(try LinearRegex(selector.values[0]))
            single = nil
        case .equal, .notEqual:
            var accepted = Set<String>()
            var isAll = false
            for value in selector.values {
                let forms = Self.interpolatedForms(value)
                if forms == nil { isAll = true }
                accepted.formUnion(forms ?? [])
            }
            if isAll {
                kind = .all
                single = nil
            } else {
                kind = .oneOf(accepted)
                let unescaped = selector.values.count == 1 ? Self.regexUnescaped(selector.values[0]) : nil
                single = accepted.count <= 2 && unescaped.map(accepted.contains) == true ? unescaped : nil
            }
        }
    }

    /// Whether a candidate is accepted. With several names for one thing (a monitor's id, URL and
    /// name) use ``accepts(anyOf:)``.
    func accepts(_ candidate: String?) -> Bool {
        accepts(anyOf: [candidate])
    }

    /// Whether the value is a regular expression (`=~`/`!~`).
    var isPattern: Bool {
        if case .pattern = kind { true } else { false }
    }

    /// Positive: any candidate matches. Negated: none does.
    func accepts(anyOf candidates: [String?]) -> Bool {
        let matched = candidates.contains { candidate in
            guard let candidate else { return false }
            switch kind {
            case .all: return true
            case .oneOf(let set): return set.contains(candidate)
            case .pattern(let regex): return regex.matches(candidate)
            }
        }
        return matched != isNegated
    }

    /// The values an interpolated `=` value stands for; nil for "everything".
    static func interpolatedForms(_ value: String) -> Set<String>? {
        if value == "*" || value == ".*" || value == "$__all" { return nil }
        var forms: Set<String> = [value, regexUnescaped(value)]
        let bytes = Array(value.utf8)
        if bytes.count >= 2, bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") {
            // Grafana's regex format of a multi-value variable: (a|b|c), each value regex-escaped.
            for part in splitUnescaped(Array(bytes[1..<(bytes.count - 1)]), separator: UInt8(ascii: "|")) {
                forms.insert(regexUnescaped(part))
            }
        } else if bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") {
            // The glob format (SimpleJSON): {a,b,c}.
            for part in splitUnescaped(Array(bytes[1..<(bytes.count - 1)]), separator: UInt8(ascii: ",")) {
                forms.insert(part)
            }
        }
        return forms
    }

    /// `text` without the backslashes Grafana's regex format puts before `\^$*+?.()|[]{}/`.
    static func regexUnescaped(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        var out: [UInt8] = []
        var bytes = text.utf8.makeIterator()
        while let byte = bytes.next() {
            if byte == UInt8(ascii: "\\") {
                guard let next = bytes.next() else {
                    out.append(byte)
                    break
                }
                if !Self.escaped.contains(next) { out.append(byte) }
                out.append(next)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static let escaped = Set("\\^$*+?.()|[]{}/".utf8)

    /// Splits on `separator` bytes that are not escaped with a backslash (escapes are kept).
    private static func splitUnescaped(_ bytes: [UInt8], separator: UInt8) -> [String] {
        var parts: [String] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                current.append(byte)
                current.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == separator {
                parts.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
            index += 1
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts
    }
}
