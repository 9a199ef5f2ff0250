import Sandbox
import Testing

/// The shape checker must itself catch what it is there to catch, or the fixture tests prove nothing.
@Suite("Shape checker")
struct JSONShapeTests {
    let shape = JSONShape(examples: [
        try! JSONParser.parse(#"{"data":[{"id":"1","attributes":{"url":"a","n":1,"tags":["x"],"meta":{"k":"v"}}}]}"#)
    ])

    @Test("Accepts a payload of the same shape")
    func accepts() throws {
        let payload = try JSONParser.parse(
            #"{"data":[{"id":"2","attributes":{"url":"b","n":2.5,"tags":[],"meta":{"k":"w"}}}]}"#
        )
        #expect(shape.problems(in: payload).isEmpty)
    }

    @Test(
        "Flags a missing key, an extra key, a wrong kind, an unexpected null, a wrong element kind",
        arguments: [
            #"{"data":[{"id":"2","attributes":{"n":2,"tags":[],"meta":{"k":"w"}}}]}"#,
            #"{"data":[{"id":"2","attributes":{"url":"b","n":2,"tags":[],"meta":{"k":"w"},"extra":1}}]}"#,
            #"{"data":[{"id":2,"attributes":{"url":"b","n":2,"tags":[],"meta":{"k":"w"}}}]}"#,
            #"{"data":[{"id":"2","attributes":{"url":null,"n":2,"tags":[],"meta":{"k":"w"}}}]}"#,
            #"{"data":[{"id":"2","attributes":{"url":"b","n":2,"tags":[1],"meta":{"k":"w"}}}]}"#,
        ]
    )
    func flags(_ text: String) throws {
        #expect(!shape.problems(in: try JSONParser.parse(text)).isEmpty)
    }

    @Test("Rules: a granted null, and a map with other keys")
    func rules() throws {
        let payload = try JSONParser.parse(
            #"{"data":[{"id":"2","attributes":{"url":null,"n":2,"tags":[],"meta":{"other":"v"}}}]}"#
        )
        #expect(!shape.problems(in: payload).isEmpty)
        let rules = JSONShape.Rules(nullable: ["data[].attributes.url"], maps: ["data[].attributes.meta"])
        #expect(shape.problems(in: payload, rules: rules).isEmpty)
    }
}
