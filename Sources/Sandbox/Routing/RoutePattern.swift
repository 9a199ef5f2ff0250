/// A path template such as `/api/v2/monitors/:id/sla`: literal segments and `:name` captures.
struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case capture(String)
    }

    let segments: [Segment]
    let description: String

    init(_ template: String) {
        self.description = template
        self.segments = template.split(separator: "/").map { part in
            part.hasPrefix(":") ? .capture(String(part.dropFirst())) : .literal(String(part))
        }
    }

    /// The captured values (percent-decoded) when `pathSegments` fits this pattern.
    func match(_ pathSegments: [String]) -> [String: String]? {
        guard pathSegments.count == segments.count else { return nil }
        var captures: [String: String] = [:]
        for (segment, actual) in zip(segments, pathSegments) {
            switch segment {
            case .literal(let literal):
                guard literal == actual else { return nil }
            case .capture(let name):
                captures[name] = QueryString.decode(actual)
            }
        }
        return captures
    }

    /// Splits a raw path into segments; empty segments (`//`, a trailing `/`) are ignored.
    static func segments(of path: String) -> [String] {
        path.split(separator: "/").map(String.init)
    }
}
