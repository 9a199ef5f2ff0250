// The transport types (HTTPTransport, HTTPTransportRequest, AsyncHTTPClientTransport, …) are part
// of this module's public API (`BetterStackClient(transport:)`), so they come with `import BetterStack`.
@_exported import UpstreamHTTP
