import Logging
import OpenTSDB
import Sandbox
import UpstreamHTTP

/// Runs `body` against a fresh in-process sandbox on an ephemeral port, then shuts it down.
func withSandbox<T>(
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
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Expires every Catchpoint token the sandbox has issued (its admin route).
    func expireCatchpointTokens() async throws {
        let response = try await AsyncHTTPClientTransport.push.send(
            HTTPTransportRequest(method: "POST", url: baseURL + "/_sandbox/catchpoint/expire-tokens", timeout: .seconds(20))
        )
        guard response.status == 200 else { throw SandboxAdminError(status: response.status) }
    }
}

struct SandboxAdminError: Error {
    let status: Int
}

/// The sandbox's default Catchpoint credentials.
enum SandboxCredentials {
    static let clientID = Secret(CatchpointSandboxOptions.defaultClientID)
    static let clientSecret = Secret(CatchpointSandboxOptions.defaultClientSecret)
}
