/// The recorded raw answer for test ``CatchpointSandboxOptions/recordedTestID`` (142637):
/// `Tests/Fixtures/catchpoint/raw-reconstructed.json` as text (less its final newline). Mapped
/// as the replaced job did, it gives the 111 datapoints of its real log (`pavan485/python-opentsDB` `log/app.log`).
///
/// Kept as source rather than a resource so that the sandbox target needs no resource bundle;
/// `SandboxTests` checks it still equals the fixture.
enum CatchpointRecording {
    static let rawText = #"""
        {
          "start": "2022-01-28T09:54:31Z",
          "end": "2022-01-28T10:09:31Z",
          "detail": {
            "fields": {
              "breakdown_1": {
                "id": 1,
                "name": "Test"
              },
              "breakdown_2": {
                "id": 2,
                "name": "Node"
              },
              "synthetic_metrics": [
                {
                  "name": "DNS (ms)",
                  "index": 0
                },
                {
                  "name": "Connect (ms)",
                  "index": 1
                },
                {
                  "name": "SSL (ms)",
                  "index": 2
                },
                {
                  "name": "Send (ms)",
                  "index": 3
                },
                {
                  "name": "Wait (ms)",
                  "index": 4
                },
                {
                  "name": "Time To First Byte (ms)",
                  "index": 5
                },
                {
                  "name": "Load (ms)",
                  "index": 6
                },
                {
                  "name": "Response (ms)",
                  "index": 7
                },
                {
                  "name": "Redirect (ms)",
                  "index": 8
                },
                {
                  "name": "Server Response (ms)",
                  "index": 9
                },
                {
                  "name": "File Size",
                  "index": 10
                },
                {
                  "name": "Downloaded Bytes",
                  "index": 11
                },
                {
                  "name": "Total Downloaded Bytes",
                  "index": 12
                },
                {
                  "name": "Throughput",
                  "index": 13
                },
                {
                  "name": "Webpage Response (ms)",
                  "index": 14
                },
                {
                  "name": "Wire Time (ms)",
                  "index": 15
                },
                {
                  "name": "Client Time (ms)",
                  "index": 16
                },
                {
                  "name": "Webpage Throughput",
                  "index": 17
                },
                {
                  "name": "# Connections",
                  "index": 18
                },
                {
                  "name": "# Hosts",
                  "index": 19
                },
                {
                  "name": "# Items (Total)",
                  "index": 20
                },
                {
                  "name": "# Redirect",
                  "index": 21
                },
                {
                  "name": "# Html",
                  "index": 22
                },
                {
                  "name": "Html Bytes",
                  "index": 23
                },
                {
                  "name": "# Image",
                  "index": 24
                },
                {
                  "name": "# Script",
                  "index": 25
                },
                {
                  "name": "# Css",
                  "index": 26
                },
                {
                  "name": "# Flash",
                  "index": 27
                },
                {
                  "name": "# Xml",
                  "index": 28
                },
                {
                  "name": "# Media",
                  "index": 29
                },
                {
                  "name": "# Font",
                  "index": 30
                },
                {
                  "name": "# Other",
                  "index": 31
                },
                {
                  "name": "% Ping Packet Loss",
                  "index": 32
                },
                {
                  "name": "Ping Round Trip (ms)",
                  "index": 33
                },
                {
                  "name": "% Availability",
                  "index": 34
                },
                {
                  "name": "% Downtime",
                  "index": 35
                },
                {
                  "name": "% Adjusted Availability",
                  "index": 36
                },
                {
                  "name": "% Content Availability",
                  "index": 37
                },
                {
                  "name": "Test Time (ms)",
                  "index": 38
                },
                {
                  "name": "Apdex",
                  "index": 39
                },
                {
                  "name": "% Satisfied",
                  "index": 40
                },
                {
                  "name": "% Tolerating",
                  "index": 41
                },
                {
                  "name": "% Frustrated",
                  "index": 42
                },
                {
                  "name": "% Not Frustrated",
                  "index": 43
                },
                {
                  "name": "# Runs",
                  "index": 44
                },
                {
                  "name": "# Content Load Errors",
                  "index": 45
                },
                {
                  "name": "# Connection Failures",
                  "index": 46
                }
              ]
            },
            "items": [
              {
                "breakdown_1": {
                  "id": 142637,
                  "name": "Example API Test"
                },
                "breakdown_2": {
                  "id": 412,
                  "name": "Example Node A"
                },
                "dimension": {
                  "name": "2022-01-28T09:55:10Z"
                },
                "step": "1",
                "synthetic_metrics": [
                  37.0,
                  12.0,
                  23.0,
                  0.0,
                  664.0,
                  736.0,
                  101.0,
                  837.0,
                  56.0,
                  800.0,
                  224682.0,
                  228809.0,
                  228809.0,
                  299.0967320261438,
                  837.0,
                  836.0,
                  1.0,
                  273.3679808841099,
                  2.0,
                  2.0,
                  2.0,
                  1.0,
                  1.0,
                  228809.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  null,
                  null,
                  100.0,
                  0.0,
                  100.0,
                  100.0,
                  837.0,
                  0.5,
                  0.0,
                  100.0,
                  0.0,
                  100.0,
                  1.0,
                  0.0,
                  null
                ]
              },
              {
                "breakdown_1": {
                  "id": 142637,
                  "name": "Example API Test"
                },
                "breakdown_2": {
                  "id": 412,
                  "name": "Example Node A"
                },
                "dimension": {
                  "name": "2022-01-28T09:55:10Z"
                },
                "step": "3",
                "synthetic_metrics": [
                  21.0,
                  13.0,
                  null,
                  0.0,
                  254.0,
                  288.0,
                  13.0,
                  301.0,
                  null,
                  280.0,
                  39841.0,
                  40573.0,
                  40573.0,
                  151.95880149812734,
                  301.0,
                  301.0,
                  0.0,
                  134.7940199335548,
                  1.0,
                  1.0,
                  1.0,
                  0.0,
                  1.0,
                  40573.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  0.0,
                  null,
                  null,
                  100.0,
                  0.0,
                  100.0,
                  100.0,
                  301.0,
                  1.0,
                  100.0,
                  0.0,
                  0.0,
                  100.0,
                  1.0,
                  0.0,
                  null
                ]
              },
              {
                "breakdown_1": {
                  "id": 142637,
                  "name": "Example API Test"
                },
                "breakdown_2": {
                  "id": 2433,
                  "name": "Example Node B"
                },
                "dimension": {
                  "name": "2022-01-28T10:03:37Z"
                },
                "step": "5",
                "synthetic_metrics": [
                  0.0,
                  21009.0,
                  null,
                  null,
                  null,
                  21009.0,
                  null,
                  21009.0,
                  null,
                  21009.0,
                  null,
                  null,
                  null,
                  null,
                  21009.0,
                  21009.0,
                  0.0,
                  null,
                  null,
                  1.0,
                  1.0,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  0.0,
                  58.0,
                  0.0,
                  100.0,
                  0.0,
                  0.0,
                  21009.0,
                  0.0,
                  0.0,
                  0.0,
                  100.0,
                  0.0,
                  1.0,
                  1.0,
                  1.0
                ]
              }
            ]
          }
        }
        """#

    /// The parsed recording (the literal is valid JSON; the test above proves it).
    static let raw: JSON = (try? JSONParser.parse(rawText)) ?? .null
}
