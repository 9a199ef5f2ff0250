import FastCGIRuntime

/// The regular expressions of `=~`/`!~` selectors and ad hoc filters, matched in linear time: no
/// backtracking engine ever runs on request input.
///
/// The pattern is compiled to a Thompson NFA (at most ``maxStates`` states) and run as a set of
/// states over the candidate's characters, so a match costs at most `characters × states` steps
/// whatever the pattern. Like Prometheus' label matchers, a pattern matches the whole value
/// (`^` and `$` are accepted and change nothing). Supported: literals, `\`-escaped characters,
/// `.`, character classes (`[a-z0-9_]`, `[^…]`, `\d`, `\w`, `\s`), groups `( … )` and `(?: … )`,
/// alternation `|`, and the quantifiers `*`, `+` and `?`. Counted repetition (`{n,m}`),
/// backreferences, lookaround and flags are refused with a 400. An alternation of plain literals —
/// what Grafana makes of a multi-value variable, `(a|b|c)` — is a set lookup.
struct LinearRegex: Sendable {
    static let maxStates = 2048

    private enum Atom: Sendable {
        case any
        case set([ClosedRange<Unicode.Scalar>], negated: Bool)
        case scalar(Unicode.Scalar)

        func matches(_ c: Unicode.Scalar) -> Bool {
            switch self {
            case .any: return true
            case .scalar(let s): return s == c
            case .set(let ranges, let negated): return ranges.contains { $0.contains(c) } != negated
            }
        }
    }

    private enum State: Sendable {
        case atom(Atom, next: Int)
        case split(Int, Int)
        case match
    }

    private enum Program: Sendable {
        case literals(Set<String>)
        case nfa(states: [State], start: Int)
    }

    private let program: Program
    let pattern: String

    init(_ pattern: String) throws(HTTPError) {
        self.pattern = pattern
        var parser = Parser(Array(pattern.unicodeScalars))
        let tree = try parser.parse()
        if let literals = tree.literalAlternatives() {
            program = .literals(Set(literals))
            return
        }
        var compiler = Compiler()
        let fragment = try compiler.compile(tree)
        let match = compiler.add(.match)
        compiler.patch(fragment.outs, to: match)
        program = .nfa(states: compiler.states, start: fragment.start)
    }

    /// Whether the whole of `text` matches.
    func matches(_ text: String) -> Bool {
        switch program {
        case .literals(let set):
            return set.contains(text)
        case .nfa(let states, let start):
            var current: [Int] = []
            var next: [Int] = []
            var mark = [Int](repeating: -1, count: states.count)
            var generation = 0
            func add(_ index: Int, to list: inout [Int]) {
                // Iterative closure over split states; each state enters a list once per step.
                var stack = [index]
                while let i = stack.popLast() {
                    if mark[i] == generation { continue }
                    mark[i] = generation
                    switch states[i] {
                    case .split(let a, let b):
                        stack.append(b)
                        stack.append(a)
                    default:
                        list.append(i)
                    }
                }
            }
            add(start, to: &current)
            for c in text.unicodeScalars {
                generation += 1
                next.removeAll(keepingCapacity: true)
                for i in current {
                    if case .atom(let atom, let target) = states[i], atom.matches(c) { add(target, to: &next) }
                }
                swap(&current, &next)
                if current.isEmpty { return false }
            }
            return current.contains { if case .match = states[$0] { true } else { false } }
        }
    }

    // MARK: - Parsing

    private indirect enum Node {
        case atom(Atom)
        case concat([Node])
        case alternate([Node])
        case star(Node)
        case plus(Node)
        case optional(Node)
        case empty

        /// The alternatives when the whole pattern is an alternation of plain literals.
        func literalAlternatives() -> [String]? {
            func literal(_ node: Node) -> String? {
                switch node {
                case .empty: return ""
                case .atom(.scalar(let s)): return String(Character(s))
                case .concat(let parts):
                    var text = ""
                    for part in parts {
                        guard let piece = literal(part) else { return nil }
                        text += piece
                    }
                    return text
                default: return nil
                }
            }
            switch self {
            case .alternate(let branches):
                var result: [String] = []
                for branch in branches {
                    guard let text = literal(branch) else { return nil }
                    result.append(text)
                }
                return result
            default:
                return literal(self).map { [$0] }
            }
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var depth = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        func unsupported(_ what: String) -> HTTPError {
            HTTPError(
                400,
                "unsupported regular expression (\(what)); use literals, ., [classes], (groups), |, *, + and ?",
                extra: [("offset", .int(Int64(index)))]
            )
        }

        mutating func parse() throws(HTTPError) -> Node {
            if index < scalars.count, scalars[index] == "^" { index += 1 }
            let node = try alternation()
            guard index == scalars.count else { throw unsupported("unbalanced )") }
            return node
        }

        mutating func alternation() throws(HTTPError) -> Node {
            var branches = [try concatenation()]
            while index < scalars.count, scalars[index] == "|" {
                index += 1
                branches.append(try concatenation())
            }
            return branches.count == 1 ? branches[0] : .alternate(branches)
        }

        mutating func concatenation() throws(HTTPError) -> Node {
            var parts: [Node] = []
            while index < scalars.count {
                let c = scalars[index]
                if c == "|" || c == ")" { break }
                if c == "$", index + 1 == scalars.count || scalars[index + 1] == "|" || scalars[index + 1] == ")" {
                    index += 1  // an end anchor: matching is whole-value anyway
                    continue
                }
                var node = try atom()
                while index < scalars.count {
                    switch scalars[index] {
                    case "*": node = .star(node)
                    case "+": node = .plus(node)
                    case "?": node = .optional(node)
                    case "{": throw unsupported("counted repetition")
                    default: break
                    }
                    guard ["*", "+", "?"].contains(scalars[index]) else { break }
                    index += 1
                    if index < scalars.count, scalars[index] == "?" { index += 1 }  // lazy: same match set
                }
                parts.append(node)
            }
            if parts.isEmpty { return .empty }
            return parts.count == 1 ? parts[0] : .concat(parts)
        }

        mutating func atom() throws(HTTPError) -> Node {
            let c = scalars[index]
            index += 1
            switch c {
            case ".":
                return .atom(.any)
            case "(":
                depth += 1
                guard depth <= 32 else { throw unsupported("groups nested deeper than 32") }
                if index < scalars.count, scalars[index] == "?" {
                    guard index + 1 < scalars.count, scalars[index + 1] == ":" else { throw unsupported("(? flags or lookaround") }
                    index += 2
                }
                let inner = try alternation()
                guard index < scalars.count, scalars[index] == ")" else { throw unsupported("unclosed (") }
                index += 1
                depth -= 1
                return inner
            case "[":
                return .atom(try characterClass())
            case "\\":
                return .atom(try escape(inClass: false))
            case "*", "+", "?", "{":
                throw unsupported("quantifier without anything to repeat")
            case "^":
                throw unsupported("^ inside the pattern")
            default:
                return .atom(.scalar(c))
            }
        }

        mutating func escape(inClass: Bool) throws(HTTPError) -> Atom {
            guard index < scalars.count else { throw unsupported("trailing \\") }
            let c = scalars[index]
            index += 1
            switch c {
            case "d": return .set(["0"..."9"], negated: false)
            case "D": return .set(["0"..."9"], negated: true)
            case "w": return .set(["a"..."z", "A"..."Z", "0"..."9", "_"..."_"], negated: false)
            case "W": return .set(["a"..."z", "A"..."Z", "0"..."9", "_"..."_"], negated: true)
            case "s": return .set([" "..." ", "\t"..."\t", "\n"..."\n", "\r"..."\r", "\u{0B}"..."\u{0C}"], negated: false)
            case "S": return .set([" "..." ", "\t"..."\t", "\n"..."\n", "\r"..."\r", "\u{0B}"..."\u{0C}"], negated: true)
            case "n": return .scalar("\n")
            case "t": return .scalar("\t")
            default:
                if c.properties.isAlphabetic || ("0"..."9").contains(c) {
                    throw unsupported("escape \\\(c)")
                }
                return .scalar(c)
            }
        }

        mutating func characterClass() throws(HTTPError) -> Atom {
            var negated = false
            if index < scalars.count, scalars[index] == "^" {
                negated = true
                index += 1
            }
            var ranges: [ClosedRange<Unicode.Scalar>] = []
            var first = true
            while index < scalars.count, scalars[index] != "]" || first {
                first = false
                var low = scalars[index]
                index += 1
                if low == "\\" {
                    switch try escape(inClass: true) {
                    case .scalar(let s): low = s
                    case .set(let more, false):
                        ranges += more
                        continue
                    default: throw unsupported("negated class inside a class")
                    }
                }
                if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1] != "]" {
                    var high = scalars[index + 1]
                    index += 2
                    if high == "\\" {
                        guard case .scalar(let s) = try escape(inClass: true) else { throw unsupported("class range") }
                        high = s
                    }
                    guard low <= high else { throw unsupported("inverted class range") }
                    ranges.append(low...high)
                } else {
                    ranges.append(low...low)
                }
            }
            guard index < scalars.count else { throw unsupported("unclosed [") }
            index += 1
            return .set(ranges, negated: negated)
        }
    }

    // MARK: - Compiling (Thompson's construction)

    private struct Fragment {
        var start: Int
        /// States whose open `next` (or second branch) must be patched to what follows.
        var outs: [(state: Int, second: Bool)]
    }

    private struct Compiler {
        var states: [State] = []

        mutating func add(_ state: State) -> Int {
            states.append(state)
            return states.count - 1
        }

        mutating func patch(_ outs: [(state: Int, second: Bool)], to target: Int) {
            for (index, second) in outs {
                switch states[index] {
                case .atom(let atom, _): states[index] = .atom(atom, next: target)
                case .split(let a, let b): states[index] = second ? .split(a, target) : .split(target, b)
                case .match: break
                }
            }
        }

        mutating func compile(_ node: Node) throws(HTTPError) -> Fragment {
            guard states.count < LinearRegex.maxStates else {
                throw HTTPError(
                    400,
                    "regular expression too large (more than \(LinearRegex.maxStates) states)",
                    extra: [("limit", .int(Int64(LinearRegex.maxStates)))]
                )
            }
            switch node {
            case .atom(let atom):
                let index = add(.atom(atom, next: -1))
                return Fragment(start: index, outs: [(index, false)])
            case .empty:
                let index = add(.split(-1, -1))
                // Both branches lead on: an empty match.
                return Fragment(start: index, outs: [(index, false), (index, true)])
            case .concat(let parts):
                var first: Fragment? = nil
                var outs: [(state: Int, second: Bool)] = []
                for part in parts {
                    let fragment = try compile(part)
                    if first == nil { first = fragment } else { patch(outs, to: fragment.start) }
                    outs = fragment.outs
                }
                return Fragment(start: first!.start, outs: outs)
            case .alternate(let branches):
                var fragment = try compile(branches[0])
                for branch in branches.dropFirst() {
                    let other = try compile(branch)
                    let split = add(.split(fragment.start, other.start))
                    fragment = Fragment(start: split, outs: fragment.outs + other.outs)
                }
                return fragment
            case .star(let inner):
                let split = add(.split(-1, -1))
                let body = try compile(inner)
                states[split] = .split(body.start, -1)
                patch(body.outs, to: split)
                return Fragment(start: split, outs: [(split, true)])
            case .plus(let inner):
                let body = try compile(inner)
                let split = add(.split(body.start, -1))
                patch(body.outs, to: split)
                return Fragment(start: body.start, outs: [(split, true)])
            case .optional(let inner):
                let body = try compile(inner)
                let split = add(.split(body.start, -1))
                return Fragment(start: split, outs: body.outs + [(split, true)])
            }
        }
    }
}
