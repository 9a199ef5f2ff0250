/// A parsed Prometheus text exposition (0.0.4), for comparing outputs by meaning rather than
/// by bytes: `1.0` and `1` are the same value, label order does not matter.
public struct Exposition: Equatable {
    public struct Sample: Hashable, CustomStringConvertible {
        public var name: String
        public var labels: [String: String]
        public var value: Double
        /// Label names in the order written.
        public var labelOrder: [String]

        public init(name: String, labels: [String: String], value: Double, labelOrder: [String]) {
            self.name = name
            self.labels = labels
            self.value = value
            self.labelOrder = labelOrder
        }

        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.name == rhs.name && lhs.labels == rhs.labels
                && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            hasher.combine(labels)
        }

        public var description: String {
            "\(name){\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ","))} \(value)"
        }

        /// The series identity: name and labels, value ignored.
        public var series: String {
            "\(name){\(labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))}"
        }
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// `# HELP` texts (unescaped) by family.
    public var help: [String: String] = [:]
    /// `# TYPE` by family.
    public var types: [String: String] = [:]
    /// Families in order of their first HELP/TYPE line.
    public var families: [String] = []
    public var samples: [Sample] = []

    public init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                let rest = line.dropFirst(7)
                let name = String(rest.prefix { $0 != " " })
                let value = String(rest.dropFirst(name.count + 1))
                if !families.contains(name) { families.append(name) }
                if line.hasPrefix("# HELP ") {
                    help[name] = Self.unescape(value, quotes: false)
                } else {
                    types[name] = value
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            samples.append(try Self.sample(String(line)))
        }
    }

    public func samples(named name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    private static func sample(_ line: String) throws -> Sample {
        var chars = Array(line.unicodeScalars)
        var index = 0
        var name = ""
        while index < chars.count, chars[index] != "{", chars[index] != " " {
            name.unicodeScalars.append(chars[index])
            index += 1
        }
        var labels: [String: String] = [:]
        var order: [String] = []
        if index < chars.count, chars[index] == "{" {
            index += 1
            while index < chars.count, chars[index] != "}" {
                var label = ""
                while index < chars.count, chars[index] != "=" {
                    label.unicodeScalars.append(chars[index])
                    index += 1
                }
                guard index + 1 < chars.count, chars[index + 1] == "\"" else {
                    throw ParseError(description: "bad label in \(line)")
                }
                index += 2
                var value = ""
                while index < chars.count, chars[index] != "\"" {
                    if chars[index] == "\\", index + 1 < chars.count {
                        index += 1
                        switch chars[index] {
                        case "n": value.append("\n")
                        default: value.unicodeScalars.append(chars[index])
                        }
                    } else {
                        value.unicodeScalars.append(chars[index])
                    }
                    index += 1
                }
                index += 1  // closing quote
                labels[label] = value
                order.append(label)
                if index < chars.count, chars[index] == "," { index += 1 }
            }
            index += 1  // }
        }
        chars = Array(chars[min(index, chars.count)...])
        let fields = String(String.UnicodeScalarView(chars)).split(separator: " ")
        guard let first = fields.first, let value = parseValue(String(first)) else {
            throw ParseError(description: "bad value in \(line)")
        }
        return Sample(name: name, labels: labels, value: value, labelOrder: order)
    }

    public static func parseValue(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }

    private static func unescape(_ text: String, quotes: Bool) -> String {
        var out = ""
        var escaped = false
        for scalar in text.unicodeScalars {
            if escaped {
                out.append(scalar == "n" ? "\n" : Character(scalar))
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
