/// The name a route is counted and faulted under (`monitors`, `response_times`, …).
///
/// A string wrapper rather than an enum so that later fakes (Statuspage, Catchpoint) add
/// their names beside their routes without touching this file.
public struct RouteName: Hashable, Sendable, Comparable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as used in stats, fault settings and the CLI.
    public let rawValue: String

    /// Wraps a name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }
    public static func < (lhs: RouteName, rhs: RouteName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Every route at once, for faults.
    public static let all: RouteName = "*"
}
