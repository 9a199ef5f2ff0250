import OpenTSDB
import Sandbox
import Synchronization
import UpstreamHTTP

/// An in-memory OpenTSDB `/api/put` receiver behind ``MockTransport``'s interface: parses each
/// body, stores the points, and can be told to fail from a given request on.
public final class FakeReceiver: HTTPTransport, Sendable {
    /// One stored point, as parsed from the wire.
    public struct Stored: Hashable, Sendable {
        public let metric: String
        public let timestamp: Int64
        public let value: Double
        public let tags: [String: String]
    }

    private struct State {
        public var points: [Stored] = []
        var requests = 0
        var failFrom: Int?
        var failure: HTTPTransportError = .connectionFailed("Connection refused")
    }

    private let state = Mutex(State())

    public init() {}

    /// Every request numbered `number` or later fails with `failure` (a dead receiver).
    public func fail(fromRequest number: Int, with failure: HTTPTransportError = .connectionFailed("Connection refused")) {
        state.withLock {
            $0.failFrom = number
            $0.failure = failure
        }
    }

    /// Back to healthy.
    public func heal() { state.withLock { $0.failFrom = nil } }

    public var points: [Stored] { state.withLock { $0.points } }
    public var requestCount: Int { state.withLock { $0.requests } }

    public func send(_ request: HTTPTransportRequest) async throws -> HTTPTransportResponse {
        let failure: HTTPTransportError? = state.withLock {
            $0.requests += 1
            if let from = $0.failFrom, $0.requests >= from { return $0.failure }
            return nil
        }
        if let failure { throw failure }
        let body = try JSONParser.parse(request.body ?? [])
        let parsed = try (body.arrayValue ?? []).map(Self.parse)
        state.withLock { $0.points += parsed }
        return HTTPTransportResponse(status: 204)
    }

    /// Parses one wire datapoint strictly: integer timestamp and string tag values, or it throws.
    public static func parse(_ json: JSON) throws -> Stored {
        guard case .string(let metric)? = json["metric"], case .int(let timestamp)? = json["timestamp"],
            let value = json["value"]?.doubleValue, let tagMembers = json["tags"]?.objectValue
        else { throw WireError(description: "bad datapoint \(json.text)") }
        var tags: [String: String] = [:]
        for (key, value) in tagMembers {
            guard case .string(let text) = value else { throw WireError(description: "tag \(key) is not a string") }
            tags[key] = text
        }
        return Stored(metric: metric, timestamp: Int64(timestamp), value: value, tags: tags)
    }

    public struct WireError: Error, CustomStringConvertible {
        public let description: String
    }
}

extension DataPoint {
    /// This point as ``FakeReceiver`` would store it.
    public var stored: FakeReceiver.Stored {
        FakeReceiver.Stored(metric: metric, timestamp: timestamp, value: value, tags: tags)
    }
}
