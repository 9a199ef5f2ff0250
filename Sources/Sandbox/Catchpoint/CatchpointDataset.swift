/// Deterministic synthetic Catchpoint raw data for any test id, shaped exactly like the
/// recorded answer: the same 47 API-test fields in the same order, `breakdown_1`/`breakdown_2`/
/// `dimension`/`step`/`synthetic_metrics` items, `null` where Catchpoint has no value.
///
/// Every run's values depend only on the seed, the test, node, step and run time, never on the
/// window asked, so overlapping windows agree on the points they share.
struct CatchpointDataset: Sendable {
    /// The field names of a Catchpoint API test, in Catchpoint's order (as `pavan485/python-opentsDB` `log/app.log` shows them).
    static let metricNames = [
        "DNS (ms)", "Connect (ms)", "SSL (ms)", "Send (ms)", "Wait (ms)", "Time To First Byte (ms)", "Load (ms)",
        "Response (ms)", "Redirect (ms)", "Server Response (ms)", "File Size", "Downloaded Bytes",
        "Total Downloaded Bytes", "Throughput", "Webpage Response (ms)", "Wire Time (ms)", "Client Time (ms)",
        "Webpage Throughput", "# Connections", "# Hosts", "# Items (Total)", "# Redirect", "# Html", "Html Bytes",
        "# Image", "# Script", "# Css", "# Flash", "# Xml", "# Media", "# Font", "# Other", "% Ping Packet Loss",
        "Ping Round Trip (ms)", "% Availability", "% Downtime", "% Adjusted Availability",
        "% Content Availability", "Test Time (ms)", "Apdex", "% Satisfied", "% Tolerating", "% Frustrated",
        "% Not Frustrated", "# Runs", "# Content Load Errors", "# Connection Failures",
    ]

    /// Nodes tests run from: (id, name). The first two are the recorded answer's nodes.
    static let nodes: [(id: Int, name: String)] = [
        (412, "Example Node A"), (2433, "Example Node B"), (1507, "Example Node C"), (3096, "Example Node D"),
        (88, "Example Node E"), (761, "Example Node F"),
    ]

    /// How one test behaves.
    struct TestProfile {
        let id: Int
        let name: String
        /// Seconds between runs on each node: 300, 600 or 900.
        let frequency: Int64
        /// Nodes, each with its offset in seconds within the period.
        let nodes: [(id: Int, name: String, offset: Int64)]
        /// Steps per run (transaction/API tests report each step as an item).
        let steps: Int
        /// Ids divisible by 1000 never have data (a paused test).
        var hasData: Bool { id % 1000 != 0 }
    }

    let seed: UInt64

    /// The profile of `testID`, from the seed.
    func profile(_ testID: Int) -> TestProfile {
        var random = SplitMix64(seed: seed, stream: "catchpoint-test", index: testID)
        let frequency = Int64([300, 600, 900][random.int(in: 0...2)])
        let nodeCount = random.int(in: 1...3)
        var pool = Array(Self.nodes.indices)
        var chosen: [(id: Int, name: String, offset: Int64)] = []
        for _ in 0..<nodeCount {
            let node = Self.nodes[pool.remove(at: random.int(in: 0...(pool.count - 1)))]
            chosen.append((node.id, node.name, Int64(random.int(in: 0...Int(frequency - 1)))))
        }
        return TestProfile(
            id: testID,
            name: "Sandbox API Test \(testID)",
            frequency: frequency,
            nodes: chosen.sorted { $0.id < $1.id },
            steps: random.int(in: 1...3)
        )
    }

    /// The items of `testIDs` whose run time (whole seconds) is in `[from, to]` (ms), ordered by
    /// time, then test (in the order asked), node and step.
    func items(testIDs: [Int], from: Int64, to: Int64) -> [JSON] {
        struct Run {
            let time: Int64
            let testIndex: Int
            let node: (id: Int, name: String, offset: Int64)
            let step: Int
        }
        let firstSecond = (from + 999) / 1000
        let lastSecond = to / 1000
        guard firstSecond <= lastSecond else { return [] }
        var runs: [Run] = []
        let profiles = testIDs.map(profile)
        for (testIndex, test) in profiles.enumerated() where test.hasData {
            for node in test.nodes {
                // Runs happen at k * frequency + offset.
                var k = Self.ceilDiv(firstSecond - node.offset, test.frequency)
                while k * test.frequency + node.offset <= lastSecond {
                    let time = k * test.frequency + node.offset
                    for step in 1...test.steps {
                        runs.append(Run(time: time, testIndex: testIndex, node: node, step: step))
                    }
                    k += 1
                }
            }
        }
        runs.sort {
            ($0.time, $0.testIndex, $0.node.id, $0.step) < ($1.time, $1.testIndex, $1.node.id, $1.step)
        }
        return runs.map { run in
            let test = profiles[run.testIndex]
            return .object([
                ("breakdown_1", .object([("id", .int(test.id)), ("name", .string(test.name))])),
                ("breakdown_2", .object([("id", .int(run.node.id)), ("name", .string(run.node.name))])),
                ("dimension", .object([("name", .string(Self.runTimeText(run.time)))])),
                ("step", .string(String(run.step))),
                (
                    "synthetic_metrics",
                    .array(values(test: test.id, node: run.node.id, step: run.step, time: run.time).map(Self.number))
                ),
            ])
        }
    }

    /// The `detail.fields` object of every answer.
    static var fields: JSON {
        .object([
            ("breakdown_1", .object([("id", .int(1)), ("name", .string("Test"))])),
            ("breakdown_2", .object([("id", .int(2)), ("name", .string("Node"))])),
            (
                "synthetic_metrics",
                .array(
                    metricNames.enumerated().map { index, name in
                        .object([("name", .string(name)), ("index", .int(index))])
                    }
                )
            ),
        ])
    }

    /// One run's 47 values: an API call that mostly succeeds (about 2 % fail to connect), later
    /// steps reusing the connection (no DNS, connect or SSL time).
    func values(test: Int, node: Int, step: Int, time: Int64) -> [Double?] {
        let index = test &* 1_000_003 ^ node &* 7919 ^ step &* 131 ^ Int(truncatingIfNeeded: time)
        var random = SplitMix64(seed: seed, stream: "catchpoint-run", index: index)
        if random.chance(0.02) {
            // The recorded answer's third item: a connection that never completed.
            let timeout = Double(random.int(in: 20_000...30_000))
            return [
                0, timeout, nil, nil, nil, timeout, nil, timeout, nil, timeout, nil, nil, nil, nil, timeout, timeout, 0,
                nil, nil, 1, 1, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, 0,
                Double(random.int(in: 20...90)), 0, 100, 0, 0, timeout, 0, 0, 0, 100, 0, 1, 1, 1,
            ]
        }
        let fresh = step == 1
        let dns = fresh ? Double(random.int(in: 5...60)) : 0
        let connect = fresh ? Double(random.int(in: 5...40)) : Double(random.int(in: 0...15))
        let ssl: Double? = fresh ? Double(random.int(in: 10...60)) : nil
        let wait = Double(random.int(in: 80...900))
        let firstByte = dns + connect + (ssl ?? 0) + wait
        let load = Double(random.int(in: 5...150))
        let response = firstByte + load
        let redirect: Double? = random.chance(0.1) ? Double(random.int(in: 20...80)) : nil
        let size = Double(random.int(in: 1_000...250_000))
        let downloaded = size + Double(random.int(in: 300...5_000))
        let apdex = response < 500 ? 1.0 : (response < 2000 ? 0.5 : 0.0)
        let satisfied = apdex == 1 ? 100.0 : 0
        let tolerating = apdex == 0.5 ? 100.0 : 0
        let frustrated = apdex == 0 ? 100.0 : 0
        return [
            dns, connect, ssl, 0, wait, firstByte, load, response, redirect, wait + Double(random.int(in: 0...40)),
            size, downloaded, downloaded, downloaded / max(1, response - dns), response, response - 1,
            Double(random.int(in: 0...1)), downloaded / response, fresh ? 2 : 1, fresh ? 2 : 1,
            fresh ? 2 : 1, redirect == nil ? 0 : 1, 1, downloaded, 0, 0, 0, 0, 0, 0, 0, 0, nil, nil, 100, 0, 100,
            100, response, apdex, satisfied, tolerating, frustrated, 100 - frustrated, 1, 0, nil,
        ]
    }

    /// `2022-01-28T09:55:10Z`: whole seconds, as the recorded answer writes run times.
    static func runTimeText(_ seconds: Int64) -> String {
        let text = Timestamp.iso8601(seconds * 1000)
        return String(text.dropLast(5)) + "Z"
    }

    private static func number(_ value: Double?) -> JSON {
        value.map(JSON.double) ?? .null
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? (a + b - 1) / b : -((-a) / b)
    }
}
