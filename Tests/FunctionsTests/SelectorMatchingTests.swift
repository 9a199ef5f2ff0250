import FastCGIRuntime
@testable import Functions
import Testing

/// Selectors and ad hoc filters as Grafana interpolates them: regex-escaped values, multi-value and
/// "All" variables, and `=~`/`!~` regular expressions matched in linear time.
@Suite struct SelectorMatchingTests {
    func matcher(_ op: Selector.Operator, _ value: String) throws -> ValueMatcher {
        try ValueMatcher(Selector(op, value))
    }

    @Test func regexEscapedValuesAreUnescaped() throws {
        // The JSON datasource's `regex` format puts a backslash before \^$*+?.()|[]{}/ .
        let url = try matcher(.equal, #"https:\/\/example\.com\/"#)
        #expect(url.accepts("https://example.com/"))
        #expect(url.single == "https://example.com/")
        #expect(!url.accepts("https://exampleXcom/"))
        let name = try matcher(.equal, #"Shop \(EU\) 3\.1"#)
        #expect(name.accepts("Shop (EU) 3.1"))
    }

    @Test func multiValueAndAllVariablesInEveryFormat() throws {
        let regexFormat = try matcher(.equal, #"(Example homepage|https:\/\/api\.example\.com\/|200003)"#)
        for accepted in ["Example homepage", "https://api.example.com/", "200003"] { #expect(regexFormat.accepts(accepted)) }
        #expect(!regexFormat.accepts("Example"))
        #expect(regexFormat.single == nil)
        let glob = try matcher(.equal, "{us,eu}")
        #expect(glob.accepts("us") && glob.accepts("eu") && !glob.accepts("as"))
        let array = try ValueMatcher(Selector(.equal, values: ["a.b", "c"]))
        #expect(array.accepts("a.b") && array.accepts("c") && !array.accepts("aXb"))
        for all in ["*", ".*", "$__all"] { #expect(try matcher(.equal, all).accepts("anything")) }
        let negated = try matcher(.notEqual, "(a|b)")
        #expect(!negated.accepts("a") && negated.accepts("c"))
    }

    @Test func regexSelectorsMatchWholeValues() throws {
        let cases: [(String, [String], [String])] = [
            ("A|B", ["A", "B"], ["AB", "", "a"]),
            (".*shop.*", ["shop", "my shop 3"], ["Shop"]),
            ("^api-[0-9]+$", ["api-1", "api-42"], ["api-", "api-x", "xapi-1"]),
            (#"https://.+\.example\.com/.*"#, ["https://a.example.com/x"], ["https://example.com/", "https://aXexample.com/"]),
            ("(?:eu|us)(-[a-z]+)?", ["eu", "us-east"], ["as", "eu-"]),
            (#"\d+"#, ["123"], ["12a"]),
            ("[^x]*", ["abc", ""], ["axc"]),
            ("a?b+c*", ["b", "abbc"], ["ac", "abca"]),
        ]
        for (pattern, yes, no) in cases {
            let regex = try LinearRegex(pattern)
            for text in yes { #expect(regex.matches(text), "\(pattern) ~ \(text)") }
            for text in no { #expect(!regex.matches(text), "\(pattern) !~ \(text)") }
        }
        let notMatching = try matcher(.notMatches, "Shop.*")
        #expect(notMatching.accepts("Example") && !notMatching.accepts("Shop 3"))
    }

    @Test func unsupportedRegexAndOperatorsAre400() {
        for pattern in ["a{2,3}", #"(a)\1"#, "(?=a)", "(?i)a", "(a", "a)", "[a", "*a", #"\p{L}"#] {
            #expect(throws: HTTPError.self, "\(pattern)") { try LinearRegex(pattern) }
        }
        #expect(throws: HTTPError.self) { try Target.parse(#"response_time{monitor<"x"}"#) }
        #expect(throws: HTTPError.self) { try Target.parse(#"response_time{monitor=="x"}"#) }
        #expect(throws: HTTPError.self) { try LinearRegex(String(repeating: "(a|b)", count: 1000)) }
    }

    /// The classic catastrophic pattern for backtracking engines, `(a+)+$` on `aaaa…b`, costs steps
    /// proportional to the text here: the whole suite would time out otherwise.
    @Test func pathologicalPatternsAreLinear() throws {
        let regex = try LinearRegex("(a+)+b")
        #expect(!regex.matches(String(repeating: "a", count: 20_000) + "c"))
        #expect(regex.matches(String(repeating: "a", count: 20_000) + "b"))
        let nested = try LinearRegex("(a*)*(b*)*(a|b|ab)*c")
        #expect(!nested.matches(String(repeating: "ab", count: 10_000)))
    }

    @Test func targetsCarryTheirOperators() throws {
        let target = try Target.parse(#"response_time{monitor=~"A|B",region!="us",status!~"down|paused",aggregate="p95"}"#)
        #expect(target.selectors["monitor"] == Selector(.matches, "A|B"))
        #expect(target.selectors["region"] == Selector(.notEqual, "us"))
        #expect(target.selectors["status"] == Selector(.notMatches, "down|paused"))
        #expect(target.value("aggregate") == "p95")
        // Regex escapes survive the quoted string; \" and \\ are the string's own escapes.
        let escaped = try Target.parse(#"response_time{monitor=~"a\.b\"c\\d"}"#)
        #expect(escaped.selectors["monitor"]?.values == [#"a\.b"c\d"#])
        #expect(try Target.parse(target.text) == target)
    }

    /// Fuzz finding (Fuzz/Regressions/target/roundtrip-tab-comma-key): a tab before a separating
    /// comma made the comma part of a key whose text then did not read back.
    @Test func tabsSeparateSelectorsLikeSpaces() throws {
        #expect(throws: HTTPError.self) { try Target.parse("a{\t,=}") }
        let target = try Target.parse("a{\t,\tb=1}")
        #expect(target.selectors == ["b": "1"])
        #expect(try Target.parse(target.text) == target)
    }
}
