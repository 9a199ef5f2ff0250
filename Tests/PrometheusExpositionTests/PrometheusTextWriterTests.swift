import TestSupport
import PrometheusExposition
import Testing

@Suite("PrometheusTextWriter")
struct PrometheusTextWriterTests {
    private func text(_ body: (inout PrometheusTextWriter) -> Void) -> String {
        var writer = PrometheusTextWriter()
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("HELP and TYPE once, then the samples, every line ending in a newline")
    func familyLayout() {
        let output = text { writer in
            writer.family("statuspage_service_status", help: "Status of monitored services", type: .gauge)
            writer.sample("statuspage_service_status", labels: [("service_name", "A")], value: 1)
            writer.sample(labels: [("service_name", "B")], value: 0)
        }
        #expect(
            output == """
                # HELP statuspage_service_status Status of monitored services
                # TYPE statuspage_service_status gauge
                statuspage_service_status{service_name="A"} 1
                statuspage_service_status{service_name="B"} 0

                """
        )
    }

    @Test("Label values escape backslash, double quote and newline like prometheus_client")
    func labelValueEscaping() throws {
        let output = text { writer in
            writer.family("statuspage_service_status", help: "x", type: .gauge)
            writer.sample(labels: [("service_name", "Example \"Svc\"\\x\nnext")], value: 1)
        }
        // The same label as prometheus_client wrote it in python-client-0.0.4.prom.
        let python = try TestFixtures.text("prometheus/python-client-0.0.4.prom")
        let pythonLine = try #require(
            python.split(separator: "\n").first { $0.hasPrefix("statuspage_service_status{") }
        )
        let ourLine = try #require(output.split(separator: "\n").last)
        #expect(ourLine.split(separator: "}").first == pythonLine.split(separator: "}").first)
        #expect(ourLine == #"statuspage_service_status{service_name="Example \"Svc\"\\x\nnext"} 1"#)
        // UTF-8 passes through untouched.
        let unicode = text { writer in
            writer.family("x", help: nil, type: .gauge)
            writer.sample(labels: [("name", "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice")], value: 1)
        }
        #expect(unicode.hasSuffix("x{name=\"(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice\"} 1\n"))
    }

    @Test("HELP escapes backslash and newline, not quotes")
    func helpEscaping() {
        let output = text { writer in
            writer.family("x_total", help: "a \\ b\nc \"d\"", type: .counter)
        }
        #expect(output == "# HELP x_total a \\\\ b\\nc \"d\"\n# TYPE x_total counter\n")
        #expect(text { $0.family("y", help: nil, type: .untyped) } == "# TYPE y untyped\n")
    }

    @Test(
        "Values: integers without a decimal point, shortest round-trip otherwise, NaN and ±Inf spelled as Prometheus does",
        arguments: [
            (0.0, "0"), (-0.0, "0"), (1.0, "1"), (-3.0, "-3"), (100.0, "100"), (0.5, "0.5"),
            (0.01471257209777832, "0.01471257209777832"), (1.795304133278e12, "1795304133278"),
            (1e-5, "1e-05"), (9_007_199_254_740_992.0, "9007199254740992.0"), (1e16, "1e+16"), (1e300, "1e+300"),
            (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
            (66.66666666666667, "66.66666666666667"),
        ]
    )
    func values(value: Double, expected: String) {
        let output = text { writer in
            writer.family("v", help: nil, type: .gauge)
            writer.sample(value: value)
        }
        #expect(output == "# TYPE v gauge\nv \(expected)\n")
        let parsed = Exposition.parseValue(expected)
        #expect(parsed == value || (value.isNaN && parsed?.isNaN == true))
    }

    @Test("Timestamps are integer milliseconds")
    func timestamps() {
        let output = text { writer in
            writer.family("t", help: nil, type: .gauge)
            writer.sample(value: 2, timestampMilliseconds: 1_715_683_327_123)
            writer.sample(labels: [("a", "b")], value: 3, timestampMilliseconds: -5)
        }
        #expect(output == "# TYPE t gauge\nt 2 1715683327123\nt{a=\"b\"} 3 -5\n")
    }

    @Test("Families come out in call order, histogram and summary samples under their suffixes")
    func familyOrdering() throws {
        let output = text { writer in
            writer.family("b_seconds", help: "second family first", type: .histogram)
            writer.sample("b_seconds_bucket", labels: [("le", "0.5")], value: 1)
            writer.sample("b_seconds_bucket", labels: [("le", "+Inf")], value: 2)
            writer.sample("b_seconds_sum", value: 0.75)
            writer.sample("b_seconds_count", value: 2)
            writer.family("a_seconds", help: "summary", type: .summary)
            writer.sample("a_seconds", labels: [("quantile", "0.5")], value: 0.1)
            writer.sample("a_seconds_sum", value: 1)
            writer.sample("a_seconds_count", value: 4)
            writer.family("c_total", help: "counter", type: .counter)
            writer.sample(value: 7)
        }
        let parsed = try Exposition(output)
        #expect(parsed.families == ["b_seconds", "a_seconds", "c_total"])
        #expect(parsed.types == ["b_seconds": "histogram", "a_seconds": "summary", "c_total": "counter"])
        #expect(
            parsed.samples.map(\.name) == [
                "b_seconds_bucket", "b_seconds_bucket", "b_seconds_sum", "b_seconds_count", "a_seconds",
                "a_seconds_sum",
                "a_seconds_count", "c_total",
            ]
        )
        try Promtool.expectClean(Array(output.utf8), "writer families")
    }

    @Test("Everything the writer can express passes promtool check metrics")
    func promtoolAcceptsSpecialValues() throws {
        var writer = PrometheusTextWriter(reservingCapacity: 1024)
        writer.family("edge_values", help: "Edge \\ values\nsecond line", type: .gauge)
        for (index, value) in [Double.nan, .infinity, -.infinity, 0, -0.0, 1e-5, 1e300, 1.795304133278e12].enumerated()
        {
            writer.sample(
                labels: [("case", "\(index)"), ("text", "q\"b\\n\nx")],
                value: value,
                timestampMilliseconds: 1_715_683_327_123
            )
        }
        writer.family("empty_family", help: "A family without series yet", type: .gauge)
        try Promtool.expectClean(writer.bytes, "special values")
    }

    @Test("Writing appends to a caller-owned buffer")
    func appendsToBuffer() {
        var writer = PrometheusTextWriter(appendingTo: Array("# preamble\n".utf8))
        writer.family("x", help: nil, type: .gauge)
        writer.sample(value: 1)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "# preamble\n# TYPE x gauge\nx 1\n")
        #expect(PrometheusTextWriter.contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test("Metric and label name rules")
    func names() {
        for valid in ["a", "_a", "a:b", "statuspage_service_status", "A9_:"] {
            #expect(PrometheusName.isValidMetricName(valid), "\(valid)")
        }
        for invalid in ["", "9a", "a.b", "a-b", "é", "a b"] {
            #expect(!PrometheusName.isValidMetricName(invalid), "\(invalid)")
        }
        for valid in ["a", "_a", "service_name", "le", "A9"] {
            #expect(PrometheusName.isValidLabelName(valid), "\(valid)")
        }
        for invalid in ["", "9a", "a:b", "__name__", "__x", "a.b", "a-b"] {
            #expect(!PrometheusName.isValidLabelName(invalid), "\(invalid)")
        }
    }

    @Test("Interleaving a family, a foreign sample or a bad label name stops the process")
    func misuseIsAProgrammerError() async {
        await #expect(processExitsWith: .failure) {
            var writer = PrometheusTextWriter()
            writer.family("a", help: nil, type: .gauge)
            writer.family("b", help: nil, type: .gauge)
            writer.family("a", help: nil, type: .gauge)
        }
        await #expect(processExitsWith: .failure) {
            var writer = PrometheusTextWriter()
            writer.family("a", help: nil, type: .gauge)
            writer.sample("b", value: 1)
        }
        await #expect(processExitsWith: .failure) {
            var writer = PrometheusTextWriter()
            writer.family("a", help: nil, type: .gauge)
            writer.sample(labels: [("bad-name", "x")], value: 1)
        }
    }
}
