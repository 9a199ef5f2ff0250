import FastCGIRuntime
import Testing

struct QueryStringTests {
    @Test func decodesPercentEscapesAndPlus() {
        let items = QueryString.parse("url=https%3A%2F%2Fexample.com%2F%3Fa%3D1&name=Shop+health")
        #expect(items == [
            QueryItem(name: "url", value: "https://example.com/?a=1"),
            QueryItem(name: "name", value: "Shop health"),
        ])
    }

    @Test func keepsRepeatedKeysInOrder() {
        let items = QueryString.parse("region=us&region=eu&x=1&region=au")
        #expect(items.filter { $0.name == "region" }.map(\.value) == ["us", "eu", "au"])
    }

    @Test func handlesEmptyValuesMissingEqualsAndEmptyPairs() {
        #expect(QueryString.parse("a=&b&&c=3") == [
            QueryItem(name: "a", value: ""), QueryItem(name: "b", value: ""), QueryItem(name: "c", value: "3"),
        ])
        #expect(QueryString.parse("").isEmpty)
    }

    @Test func keepsMalformedEscapesLiterally() {
        #expect(QueryString.parse("a=%zz%4&b=100%") == [
            QueryItem(name: "a", value: "%zz%4"), QueryItem(name: "b", value: "100%"),
        ])
    }

    @Test func decodesUTF8() {
        #expect(QueryString.parse("n=%C3%A9t%C3%A9")[0].value == "été")
    }

    @Test func valueMayContainEquals() {
        #expect(QueryString.parse("q=a=b")[0].value == "a=b")
    }
}
