import ArgumentParser
import FastCGIRuntime

#if canImport(Glibc)
import Glibc
#endif

/// Process entry. A CGI server may pass a query string without `=` as command-line words (RFC 3875
/// §4.4), so under CGI (`GATEWAY_INTERFACE` set) the arguments are ignored and the one request is served.
/// Without arguments (how spawn-fcgi, systemd and most CGI servers start it) it is `serve` with no
/// options, which needs no argument parser: skipping it saves its start-up work (reflection over
/// the command types) in every worker and every CGI process.
@main
enum Entry {
    static func main() {
        if getenv("GATEWAY_INTERFACE") != nil || CommandLine.arguments.count <= 1 {
            exit(ServeCommand.serveFromEnvironment())
        }
        UptimeBridgeCommand.main()
    }
}

struct UptimeBridgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uptime-bridge",
        abstract: "Better Stack, Statuspage and Catchpoint data for Grafana and Prometheus, as FastCGI/CGI functions.",
        discussion: """
            With no arguments it serves: FastCGI when standard input is a listening socket (spawn-fcgi, \
            systemd socket activation), CGI otherwise.
            """,
        subcommands: [ServeCommand.self, CheckCommand.self, PushCommand.self, ConfigKeysCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
