import Logging
import Sandbox
import UpstreamHTTP

/// Runs `body` against a fresh in-process sandbox on an ephemeral port, then shuts it down.
public func withSandbox<T>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(),
    _ body: (SandboxServer) async throws -> T
) async throws -> T {
    var configuration = configuration
    configuration.port = 0
    var logger = Logger(label: "sandbox")
    logger.logLevel = .error
    let server = try await SandboxServer.start(configuration, logger: logger)
    do {
        let result = try await body(server)
        try await server.shutdown()
        return result
    } catch {
        try? await server.shutdown()
        throw error
    }
}

extension SandboxServer {
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Expires every Catchpoint token the sandbox has issued (its admin route).
    public func expireCatchpointTokens() async throws {
        let response = try await AsyncHTTPClientTransport.push.send(
            HTTPTransportRequest(method: "POST", url: baseURL + "/_sandbox/catchpoint/expire-tokens", timeout: .seconds(20))
        )
        guard response.status == 200 else { throw SandboxAdminError(status: response.status) }
    }
}

public struct SandboxAdminError: Error {
    public let status: Int
}

/// The sandbox's default Catchpoint credentials.
public enum SandboxCredentials {
    public static let clientID = Secret(CatchpointSandboxOptions.defaultClientID)
    public static let clientSecret = Secret(CatchpointSandboxOptions.defaultClientSecret)
}
