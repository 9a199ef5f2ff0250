import CYAML

/// One YAML document as a tree of text, read with libyaml's document loader (`yaml_parser_load`).
///
/// Why not Yams: Yams wraps the same libyaml but needs the whole of Foundation (with ICU), which
/// would then be loaded into every FastCGI worker and every CGI start for the sake of one config
/// file read at start-up — about 3 MB of resident memory and a slower process start
/// (docs/benchmarks.md). The config file needs no more than this tree: scalars stay text and each key's
/// type (`ConfigKey.Kind`) decides how its text is read, so `threads: "8"` and `threads: 8` mean
/// the same, and `0660` stays the text `0660`.
///
/// Aliases are resolved by libyaml; a document that refers to itself, nests deeper than 64 levels
/// or expands (through aliases) to more than 100,000 nodes is refused rather than followed.
enum YAMLNode: Sendable, Equatable {
    case null
    case scalar(String)
    case sequence([YAMLNode])
    /// Pairs in file order; keys are scalars and unique.
    case mapping([Pair])

    struct Pair: Sendable, Equatable {
        var key: String
        var value: YAMLNode
    }

    /// A syntax or structure error, with libyaml's description and the 1-based position. Never
    /// quotes the document: a config file holds secrets.
    struct SyntaxError: Error, CustomStringConvertible {
        var message: String
        var line: Int?
        var column: Int?

        var description: String {
            guard let line else { return message }
            return "line \(line)" + (column.map { ", column \($0)" } ?? "") + ": " + message
        }
    }

    static let maximumDepth = 64
    static let maximumNodes = 100_000

    /// The document in `text`, or nil when it is empty (only comments or nothing). More than one
    /// document (`---` twice) is an error: a config file is one mapping.
    static func parse(_ text: String) throws(SyntaxError) -> YAMLNode? {
        var bytes = Array(text.utf8)
        if bytes.isEmpty { bytes.append(0x0A) }  // libyaml wants a non-null buffer
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw SyntaxError(message: "cannot start the YAML parser") }
        defer { yaml_parser_delete(&parser) }
        let result: Result<YAMLNode?, SyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return Result { () throws(SyntaxError) -> YAMLNode? in
                let first = try load(&parser)
                if first != nil, try load(&parser) != nil {
                    throw SyntaxError(message: "more than one YAML document (---): the config file holds one mapping")
                }
                return first
            }
        }
        return try result.get()
    }

    /// Loads the next document of the stream and converts it; nil at the end of the stream.
    private static func load(_ parser: inout yaml_parser_t) throws(SyntaxError) -> YAMLNode? {
        var document = yaml_document_t()
        guard yaml_parser_load(&parser, &document) == 1 else { throw error(of: parser) }
        defer { yaml_document_delete(&document) }
        guard let root = yaml_document_get_root_node(&document) else { return nil }
        var budget = maximumNodes
        return try withUnsafeMutablePointer(to: &document) { (document) throws(SyntaxError) -> YAMLNode in
            var visiting: Set<Int32> = []
            return try convert(root, in: document, depth: 0, visiting: &visiting, budget: &budget)
        }
    }

    private static func convert(
        _ node: UnsafeMutablePointer<yaml_node_t>,
        in document: UnsafeMutablePointer<yaml_document_t>,
        depth: Int,
        visiting: inout Set<Int32>,
        budget: inout Int
    ) throws(SyntaxError) -> YAMLNode {
        let line = Int(node.pointee.start_mark.line) + 1
        let column = Int(node.pointee.start_mark.column) + 1
        budget -= 1
        guard budget >= 0 else {
            throw SyntaxError(message: "the document expands to more than \(maximumNodes) values (aliases?)", line: line, column: column)
        }
        guard depth < maximumDepth else {
            throw SyntaxError(message: "nested deeper than \(maximumDepth) levels", line: line, column: column)
        }
        // Identify the node by its index in the document to catch an alias to an enclosing node.
        let index = Int32(node - document.pointee.nodes.start) + 1
        guard visiting.insert(index).inserted else {
            throw SyntaxError(message: "an alias refers to a value that contains it", line: line, column: column)
        }
        defer { visiting.remove(index) }

        switch node.pointee.type {
        case YAML_SCALAR_NODE:
            let scalar = node.pointee.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
            let tag = node.pointee.tag.map { String(cString: $0) }
            if tag == YAML_NULL_TAG { return .null }
            if scalar.style == YAML_PLAIN_SCALAR_STYLE, tag == nil || tag == YAML_DEFAULT_SCALAR_TAG,
                ["", "~", "null", "Null", "NULL"].contains(text)
            {
                return .null
            }
            return .scalar(text)

        case YAML_SEQUENCE_NODE:
            var items: [YAMLNode] = []
            var item = node.pointee.data.sequence.items.start
            while let current = item, current < node.pointee.data.sequence.items.top {
                guard let child = yaml_document_get_node(document, current.pointee) else { break }
                items.append(try convert(child, in: document, depth: depth + 1, visiting: &visiting, budget: &budget))
                item = current + 1
            }
            return .sequence(items)

        case YAML_MAPPING_NODE:
            var pairs: [Pair] = []
            var seen: Set<String> = []
            var pair = node.pointee.data.mapping.pairs.start
            while let current = pair, current < node.pointee.data.mapping.pairs.top {
                guard let keyNode = yaml_document_get_node(document, current.pointee.key),
                    let valueNode = yaml_document_get_node(document, current.pointee.value)
                else { break }
                let keyLine = Int(keyNode.pointee.start_mark.line) + 1
                let keyColumn = Int(keyNode.pointee.start_mark.column) + 1
                let key: String
                switch try convert(keyNode, in: document, depth: depth + 1, visiting: &visiting, budget: &budget) {
                case .scalar(let text): key = text
                case .null: key = ""
                default: throw SyntaxError(message: "a key must be a single value", line: keyLine, column: keyColumn)
                }
                guard seen.insert(key).inserted else {
                    throw SyntaxError(message: "duplicate key \(key.prefix(80))", line: keyLine, column: keyColumn)
                }
                let value = try convert(valueNode, in: document, depth: depth + 1, visiting: &visiting, budget: &budget)
                pairs.append(Pair(key: key, value: value))
                pair = current + 1
            }
            return .mapping(pairs)

        default:
            return .null
        }
    }

    private static func error(of parser: yaml_parser_t) -> SyntaxError {
        var message = parser.problem.map { String(cString: $0) } ?? "not valid YAML"
        if let context = parser.context { message += " (\(String(cString: context)))" }
        if parser.error == YAML_MEMORY_ERROR { message = "out of memory while reading YAML" }
        return SyntaxError(
            message: message,
            line: Int(parser.problem_mark.line) + 1,
            column: Int(parser.problem_mark.column) + 1
        )
    }
}
