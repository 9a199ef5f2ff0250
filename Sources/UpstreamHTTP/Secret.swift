/// A credential (API token, heartbeat token, client secret, receiver password) that never prints itself.
///
/// `description`, `debugDescription`, the reflection mirror (`dump`) and string interpolation
/// all show `<redacted>`. The value is only reachable through ``reveal()``, so every place
/// that puts the secret on the wire is easy to find.
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }

    /// The raw secret, for building an `Authorization` header or a ping path. Never log it.
    public func reveal() -> String { value }

    /// Whether the secret is empty (after trimming whitespace), i.e. unusable.
    public var isEmpty: Bool { value.allSatisfy { $0.isWhitespace } }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
