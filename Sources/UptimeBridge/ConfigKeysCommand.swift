import ArgumentParser
import BridgeConfiguration

/// `uptime-bridge config-keys`: every setting as a Markdown table (docs/configuration.md
/// reference is generated with it, and a test keeps the two in step).
struct ConfigKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-keys",
        abstract: "Print every configuration key, its environment variables, default and meaning (Markdown)."
    )

    func run() {
        print("| key | environment | default | meaning |")
        print("| --- | --- | --- | --- |")
        for key in ConfigKey.all {
            var names = key.environment.map { "`\($0)`" }
            if key.kind == .secret {
                names += key.environment.prefix(1).map { "`\($0)_FILE`" }
            }
            let name = key.kind == .secret ? "`\(key.key)` / `\(key.key)_file`" : "`\(key.key)`"
            let defaultValue = key.defaultValue.map { $0.isEmpty ? "(empty)" : "`\($0)`" } ?? ""
            print("| \(name) | \(names.joined(separator: ", ")) | \(defaultValue) | \(key.help) |")
        }
    }
}
