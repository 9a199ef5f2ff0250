import Sandbox

/// The structure of one or more example documents: which JSON kinds appear at each path, which
/// object keys always appear, what array elements look like. Payloads are then checked against
/// it: same keys, same kinds, recursively.
final class JSONShape {
    enum Kind: String, Hashable, CustomStringConvertible {
        case null, bool, number, string, array, object
        var description: String { rawValue }

        init(_ value: JSON) {
            switch value {
            case .null: self = .null
            case .bool: self = .bool
            case .int, .double: self = .number  // JSON has one number type
            case .string: self = .string
            case .array: self = .array
            case .object: self = .object
            }
        }
    }

    /// Exceptions a caller grants, each for a path like `data[].attributes.url`.
    struct Rules {
        /// Paths where `null` is acceptable although the examples show a value.
        var nullable: Set<String> = []
        /// Paths whose object is a map: any keys, each value shaped like the examples' values.
        var maps: Set<String> = []
    }

    private(set) var kinds: Set<Kind> = []
    private var fields: [String: JSONShape] = [:]
    private var requiredFields: Set<String>?
    private var element: JSONShape?

    init(examples: [JSON]) {
        examples.forEach(learn)
    }

    private init() {}

    private func learn(_ value: JSON) {
        kinds.insert(Kind(value))
        switch value {
        case .object(let members):
            let keys = Set(members.map(\.0))
            requiredFields = requiredFields.map { $0.intersection(keys) } ?? keys
            for (key, member) in members {
                let field = fields[key] ?? JSONShape()
                field.learn(member)
                fields[key] = field
            }
        case .array(let elements):
            let shape = element ?? JSONShape()
            elements.forEach(shape.learn)
            element = shape
        default:
            break
        }
    }

    /// Every mismatch between `value` and this shape, as readable lines.
    func problems(in value: JSON, rules: Rules = Rules(), path: String = "") -> [String] {
        let kind = Kind(value)
        guard kinds.contains(kind) else {
            // An example that only ever shows `null` says nothing about the type.
            if kinds == [.null] || kinds.isEmpty { return [] }
            if kind == .null, rules.nullable.contains(path) { return [] }
            return ["\(path): \(kind) where the example has \(kinds.sorted { $0.rawValue < $1.rawValue })"]
        }
        switch value {
        case .object(let members):
            if rules.maps.contains(path) {
                let valueShape = JSONShape()
                for field in fields.values { field.mergeInto(valueShape) }
                return members.flatMap { key, member in
                    valueShape.problems(in: member, rules: rules, path: "\(path).\(key)")
                }
            }
            var found: [String] = []
            let keys = Set(members.map(\.0))
            for missing in (requiredFields ?? []).subtracting(keys).sorted() {
                found.append("\(path): missing key '\(missing)'")
            }
            for (key, member) in members {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                guard let field = fields[key] else {
                    found.append("\(path): unexpected key '\(key)'")
                    continue
                }
                found += field.problems(in: member, rules: rules, path: childPath)
            }
            return found
        case .array(let elements):
            guard let element, !element.kinds.isEmpty else { return [] }
            return elements.flatMap { element.problems(in: $0, rules: rules, path: "\(path)[]") }
        default:
            return []
        }
    }

    private func mergeInto(_ other: JSONShape) {
        other.kinds.formUnion(kinds)
        if let requiredFields {
            other.requiredFields = other.requiredFields.map { $0.intersection(requiredFields) } ?? requiredFields
        }
        for (key, field) in fields {
            let target = other.fields[key] ?? JSONShape()
            field.mergeInto(target)
            other.fields[key] = target
        }
        if let element {
            let target = other.element ?? JSONShape()
            element.mergeInto(target)
            other.element = target
        }
    }
}
