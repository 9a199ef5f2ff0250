import Logging
import OpenTSDB
@testable import Push

/// A ``PushSource`` that hands over fixed chunks, ignoring the window: how another source
/// (Better Stack, Statuspage) plugs in, in a dozen lines.
struct ListSource: PushSource {
    let name: String
    let chunks: [[DataPoint]]

    func collect(window: PushWindow, logger: Logger, emit: ([DataPoint]) async throws -> Void) async throws {
        for chunk in chunks { try await emit(chunk) }
    }
}

/// A source that fails after its first chunk, as an upstream outage would.
struct FailingSource: PushSource {
    struct Outage: Error, CustomStringConvertible {
        var description: String { "upstream said 503" }
    }

    let name: String
    let first: [DataPoint]

    func collect(window: PushWindow, logger: Logger, emit: ([DataPoint]) async throws -> Void) async throws {
        try await emit(first)
        throw Outage()
    }
}
