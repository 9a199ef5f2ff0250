/// A credential (client secret, access token, receiver password) that never prints itself.
///
/// `description`, `debugDescription`, reflection (`dump`) and string interpolation all show
/// `<redacted>`. The value is only reachable through ``reveal()``, so every place that puts it
/// on the wire is easy to find. Shared by the push-side modules (`Catchpoint` uses it too).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps a secret value.
    public init(_ value: String) {
        self.value = value
    }

    /// The raw value, for building a request. Never log it.
    public func reveal() -> String { value }

    /// Whether the secret is empty or only whitespace, i.e. unusable.
    public var isEmpty: Bool { value.allSatisfy(\.isWhitespace) }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
