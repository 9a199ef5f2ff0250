@testable import BridgeConfiguration
import Testing

/// The libyaml-backed reader behind the config file (YAMLDocument.swift).
struct YAMLDocumentTests {
    @Test func readsMappingsSequencesAndScalarsAsText() throws {
        let tree = try YAMLNode.parse(
            """
            # comment
            server:
              threads: 8
              socket_mode: 0660
              debug: yes
            access:
              monitors: [200001, "https://example.com/"]
              users:
                - name: grafana
            pages:
              Example Cloud: 'https://status.example.com'
            """
        )
        #expect(
            tree
                == .mapping([
                    .init(key: "server", value: .mapping([
                        .init(key: "threads", value: .scalar("8")),
                        .init(key: "socket_mode", value: .scalar("0660")),
                        .init(key: "debug", value: .scalar("yes")),
                    ])),
                    .init(key: "access", value: .mapping([
                        .init(key: "monitors", value: .sequence([.scalar("200001"), .scalar("https://example.com/")])),
                        .init(key: "users", value: .sequence([.mapping([.init(key: "name", value: .scalar("grafana"))])])),
                    ])),
                    .init(key: "pages", value: .mapping([
                        .init(key: "Example Cloud", value: .scalar("https://status.example.com"))
                    ])),
                ])
        )
    }

    @Test func plainNullFormsAreNullButQuotedOnesAreText() throws {
        let tree = try YAMLNode.parse("a:\nb: ~\nc: null\nd: 'null'\ne: \"\"\nf: !!null x\n")
        #expect(
            tree
                == .mapping([
                    .init(key: "a", value: .null), .init(key: "b", value: .null), .init(key: "c", value: .null),
                    .init(key: "d", value: .scalar("null")), .init(key: "e", value: .scalar("")),
                    .init(key: "f", value: .null),
                ])
        )
    }

    @Test func emptyDocumentsAreNil() throws {
        #expect(try YAMLNode.parse("") == nil)
        #expect(try YAMLNode.parse("# only a comment\n\n") == nil)
    }

    @Test func aliasesAreResolved() throws {
        let tree = try YAMLNode.parse("base: &b [x, y]\ncopy: *b\n")
        #expect(tree == .mapping([.init(key: "base", value: .sequence([.scalar("x"), .scalar("y")])),
                                  .init(key: "copy", value: .sequence([.scalar("x"), .scalar("y")]))]))
    }

    @Test func syntaxErrorsNameTheLineAndColumn() {
        #expect {
            try YAMLNode.parse("server:\n  threads: [8\n")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("line ") && text.contains("column") && text.contains("flow sequence")
        }
        #expect(throws: YAMLNode.SyntaxError.self) { try YAMLNode.parse("a: 1\n b: 2\n") }
    }

    @Test func errorsNeverQuoteTheDocument() {
        do {
            _ = try YAMLNode.parse("betterstack:\n  api_token: s3cret-token: [\n")
            Issue.record("expected a syntax error")
        } catch {
            #expect(!"\(error)".contains("s3cret"))
        }
    }

    @Test func duplicateKeysAreRefused() {
        #expect { try YAMLNode.parse("a: 1\nb: 2\na: 3\n") } throws: { "\($0)" == "line 3, column 1: duplicate key a" }
    }

    @Test func complexKeysAndSecondDocumentsAreRefused() {
        #expect { try YAMLNode.parse("? [a, b]\n: 1\n") } throws: { "\($0)".contains("a key must be a single value") }
        #expect { try YAMLNode.parse("a: 1\n---\nb: 2\n") } throws: { "\($0)".contains("more than one YAML document") }
    }

    @Test func aliasExpansionAndDepthAreBounded() {
        // "Billion laughs": 10 levels of 10 aliases each would be 10^10 values.
        var doc = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            doc += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect { try YAMLNode.parse(doc) } throws: { "\($0)".contains("more than 100000 values") }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect { try YAMLNode.parse(deep) } throws: { "\($0)".contains("nested deeper than 64") }
    }

    @Test func configurationReportsYAMLErrorsWithPosition() {
        let config = Configuration.load(
            path: "/etc/ub.yaml", environment: [:], readFile: { _ in "server:\n  threads: [8\n" }, fileExists: { _ in true })
        #expect(config.problems.count == 1)
        #expect(config.problems.first?.hasPrefix("/etc/ub.yaml: not valid YAML: line ") == true)
    }

    @Test func nullAndNestedValuesInTheConfigurationAreHandled() {
        let config = Configuration.load(
            path: "/etc/ub.yaml", environment: [:],
            readFile: { _ in "server:\n  threads:\n  base_path: [a]\naccess:\n  monitors: [[1]]\n" }, fileExists: { _ in true })
        #expect(config.int(.serverThreads) == 4)  // `threads:` alone: the default
        #expect(config.problems.sorted() == ["access.monitors: expected a list of single values", "server.base_path: expected a single value"])
    }
}
