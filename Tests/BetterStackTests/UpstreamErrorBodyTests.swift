@testable import BetterStack
import Testing

@Suite("Error bodies: errors is a string or a field map")
struct UpstreamErrorBodyTests {
    @Test("Fixture error bodies")
    func fixtures() throws {
        #expect(
            UpstreamErrorBody.parse(try Fixtures.bytes("error-401.json")).message?.hasPrefix("Invalid Team API token.")
                == true
        )
        #expect(
            UpstreamErrorBody.parse(try Fixtures.bytes("error-404.json")).message
                == "Resource with provided ID was not found"
        )
        #expect(
            UpstreamErrorBody.parse(try Fixtures.bytes("sla-error-400.json")).message?.hasPrefix(
                "The data range is invalid."
            ) == true
        )
        let validation = UpstreamErrorBody.parse(try Fixtures.bytes("error-422.json"))
        #expect(validation.fields == ["name": ["Can't be blank."]])
        #expect(validation.message == "name: Can't be blank.")
    }

    @Test("Other shapes: plain text, singular error, HTML, empty, long text")
    func otherShapes() {
        #expect(UpstreamErrorBody.parse(Array("Rate limited".utf8)).message == "Rate limited")
        #expect(UpstreamErrorBody.parse(Array(#"{"error":"nope"}"#.utf8)).message == "nope")
        #expect(UpstreamErrorBody.parse(Array(#"{"errors":[{"title":"t","detail":"d"}]}"#.utf8)).message == "d")
        #expect(UpstreamErrorBody.parse(Array("<html><body>502</body></html>".utf8)).message == nil)
        #expect(UpstreamErrorBody.parse([]).message == nil)
        #expect(UpstreamErrorBody.parse(Array(#"{"other":1}"#.utf8)).message == nil)
        let long = UpstreamErrorBody.parse(Array(String(repeating: "x", count: 5000).utf8)).message ?? ""
        #expect(long.count <= 301)
        #expect(UpstreamErrorBody.parse(Array("line1\nline2\u{7}".utf8)).message == "line1 line2")
    }
}
