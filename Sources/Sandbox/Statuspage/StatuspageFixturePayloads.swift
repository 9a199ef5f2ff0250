// The Statuspage fixture payloads, byte for byte, so that the sandbox binary serves them from a
// fresh clone without reading `Tests/`. Copied from `Tests/Fixtures/statuspage/` (provenance in
// `Tests/Fixtures/README.md`):
//
// - `discord-2022-02-*.json`: real captures of discordstatus.com's v2 API (Feb 2022), from
//   `Dziurwa14/discord-undoc.github.io` `src/status_api.md`; arrays trimmed by the capturer.
// - `summary-incident-example.json`: synthetic page with every field (group component, active
//   incident, in-progress maintenance), written from the field lists of Atlassian's public
//   Statuspage API documentation (https://developer.statuspage.io, "Summary").
//
// `SandboxTests/StatuspageRoutesTests` checks that these stay identical to the fixture files.
// swift-format-ignore-file

/// The fixture payloads as served (see the file comment for provenance).
enum StatuspageFixturePayloads {
    /// `discord-2022-02-summary.json`
    static let discordSummary = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "components": [
    {
      "id": "qk867vbbh84x",
      "name": "South Korea",
      "status": "operational",
      "created_at": "2020-08-30T03:42:44.139-07:00",
      "updated_at": "2020-08-30T09:16:24.968-07:00",
      "position": 9,
      "description": null,
      "showcase": false,
      "start_date": null,
      "group_id": "jk03xttfcz9b",
      "page_id": "srhpyqt94yxb",
      "group": false,
      "only_show_if_degraded": false
    }
  ],
  "incidents": [],
  "scheduled_maintenances": [],
  "status": {
    "indicator": "none",
    "description": "All Systems Operational"
  }
}
"""#

    /// `discord-2022-02-status.json`
    static let discordStatus = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "status": {
    "indicator": "none",
    "description": "All Systems Operational"
  }
}
"""#

    /// `discord-2022-02-components.json`
    static let discordComponents = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "components": [
    {
      "id": "rhznvxg4v7yh",
      "name": "API",
      "status": "operational",
      "created_at": "2015-07-30T18:55:43.739-07:00",
      "updated_at": "2022-02-15T13:21:55.150-08:00",
      "position": 1,
      "description": "The API is responsible for sending and receiving messages, and general operations on the platform. If this is down, chances are you'll have trouble connecting and/or sending messages.",
      "showcase": true,
      "start_date": null,
      "group_id": null,
      "page_id": "srhpyqt94yxb",
      "group": false,
      "only_show_if_degraded": false
    }
  ]
}
"""#

    /// `discord-2022-02-incidents.json`
    static let discordIncidents = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "incidents": [
    {
      "id": "n4njzfn1mqy0",
      "name": "Messaging issues",
      "status": "resolved",
      "created_at": "2022-02-15T13:14:17.744-08:00",
      "updated_at": "2022-02-15T13:37:37.404-08:00",
      "monitoring_at": "2022-02-15T13:21:55.183-08:00",
      "resolved_at": "2022-02-15T13:37:37.388-08:00",
      "impact": "minor",
      "shortlink": "https://stspg.io/y1w39cblgvhz",
      "started_at": "2022-02-15T13:14:17.737-08:00",
      "page_id": "srhpyqt94yxb",
      "incident_updates": [
        {
          "id": "g93t2s4f10jh",
          "status": "resolved",
          "body": "This incident has been resolved.",
          "incident_id": "n4njzfn1mqy0",
          "created_at": "2022-02-15T13:37:37.388-08:00",
          "updated_at": "2022-02-15T13:37:37.388-08:00",
          "display_at": "2022-02-15T13:37:37.388-08:00",
          "affected_components": [
            {
              "code": "rhznvxg4v7yh",
              "name": "API",
              "old_status": "operational",
              "new_status": "operational"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "2shj4d01hc9g",
          "status": "monitoring",
          "body": "We believe we have mitigated the root cause and are continuing to monitor.",
          "incident_id": "n4njzfn1mqy0",
          "created_at": "2022-02-15T13:21:55.183-08:00",
          "updated_at": "2022-02-15T13:21:55.183-08:00",
          "display_at": "2022-02-15T13:21:55.183-08:00",
          "affected_components": [
            {
              "code": "rhznvxg4v7yh",
              "name": "API",
              "old_status": "degraded_performance",
              "new_status": "operational"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "8tkvrgqxbpr0",
          "status": "investigating",
          "body": "We are continuing to investigate this issue.",
          "incident_id": "n4njzfn1mqy0",
          "created_at": "2022-02-15T13:21:31.892-08:00",
          "updated_at": "2022-02-15T13:21:31.892-08:00",
          "display_at": "2022-02-15T13:21:31.892-08:00",
          "affected_components": [
            {
              "code": "rhznvxg4v7yh",
              "name": "API",
              "old_status": "degraded_performance",
              "new_status": "degraded_performance"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "7gv6pn1zyz2n",
          "status": "investigating",
          "body": "We're investigating high latency related to channels and messages.",
          "incident_id": "n4njzfn1mqy0",
          "created_at": "2022-02-15T13:14:17.849-08:00",
          "updated_at": "2022-02-15T13:14:17.849-08:00",
          "display_at": "2022-02-15T13:14:17.849-08:00",
          "affected_components": [
            {
              "code": "rhznvxg4v7yh",
              "name": "API",
              "old_status": "operational",
              "new_status": "degraded_performance"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        }
      ],
      "components": [
        {
          "id": "rhznvxg4v7yh",
          "name": "API",
          "status": "operational",
          "created_at": "2015-07-30T18:55:43.739-07:00",
          "updated_at": "2022-02-15T13:21:55.150-08:00",
          "position": 1,
          "description": "The API is responsible for sending and receiving messages, and general operations on the platform. If this is down, chances are you'll have trouble connecting and/or sending messages.",
          "showcase": true,
          "start_date": null,
          "group_id": null,
          "page_id": "srhpyqt94yxb",
          "group": false,
          "only_show_if_degraded": false
        }
      ]
    }
  ]
}
"""#

    /// `discord-2022-02-incidents-unresolved.json`
    static let discordUnresolvedIncidents = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "incidents": []
}
"""#

    /// `discord-2022-02-scheduled-maintenances.json`
    static let discordScheduledMaintenances = #"""
{
  "page": {
    "id": "srhpyqt94yxb",
    "name": "Discord",
    "url": "https://discordstatus.com",
    "time_zone": "America/Tijuana",
    "updated_at": "2022-02-15T13:37:37.407-08:00"
  },
  "scheduled_maintenances": [
    {
      "id": "chkt3cr0jf7b",
      "name": "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Server Juice",
      "status": "completed",
      "created_at": "2015-09-18T18:20:40.535-07:00",
      "updated_at": "2015-09-22T02:25:20.086-07:00",
      "monitoring_at": "2015-09-22T01:07:50.805-07:00",
      "resolved_at": "2015-09-22T02:25:20.034-07:00",
      "impact": "major",
      "shortlink": "http://stspg.io/1UdW",
      "started_at": "2015-09-18T18:20:00.000-07:00",
      "page_id": "srhpyqt94yxb",
      "incident_updates": [
        {
          "id": "m4nqbp4s5jxj",
          "status": "completed",
          "body": "Everything seems to be working! \r\nSorry for the brief interruption.",
          "incident_id": "chkt3cr0jf7b",
          "created_at": "2015-09-22T02:25:20.034-07:00",
          "updated_at": "2015-09-22T02:25:20.034-07:00",
          "display_at": "2015-09-22T02:25:20.034-07:00",
          "affected_components": null,
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "l44j4c4st6mh",
          "status": "verifying",
          "body": "New updates are deployed. Monitoring it.",
          "incident_id": "chkt3cr0jf7b",
          "created_at": "2015-09-22T01:07:50.805-07:00",
          "updated_at": "2015-09-22T01:07:50.805-07:00",
          "display_at": "2015-09-22T01:07:50.805-07:00",
          "affected_components": null,
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "qx6z06wkmsfd",
          "status": "in_progress",
          "body": "Maintenance has started! We will be back as soon as possible.",
          "incident_id": "chkt3cr0jf7b",
          "created_at": "2015-09-22T00:55:02.284-07:00",
          "updated_at": "2015-09-22T00:55:02.284-07:00",
          "display_at": "2015-09-22T00:55:02.284-07:00",
          "affected_components": null,
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "1nz6l9z9fbyc",
          "status": "scheduled",
          "body": "(ﾉ◕ヮ◕)ﾉ*:･ﾟ✧ Wow our servers wow. They're getting so much juice wow. Please wait while we give them juice (ﾉ◕ヮ◕)ﾉ*:･ﾟ✧\r\n\r\nWe're powering up our servers to handle more fabulous Discord people 〜(￣▽￣〜)\r\n\r\nOn a serious note, we worked hard to attempt to do this without downtime, but have come to the conclusion it would be impossible.",
          "incident_id": "chkt3cr0jf7b",
          "created_at": "2015-09-18T18:20:40.794-07:00",
          "updated_at": "2015-09-19T15:45:59.626-07:00",
          "display_at": "2015-09-18T18:20:00.000-07:00",
          "affected_components": null,
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        }
      ],
      "components": [],
      "scheduled_for": "2015-09-22T01:00:00.000-07:00",
      "scheduled_until": "2015-09-22T01:30:00.000-07:00"
    }
  ]
}
"""#

    /// `summary-incident-example.json`
    static let incidentExampleSummary = #"""
{
  "page": {
    "id": "kctbh9vrtdwd",
    "name": "Example Cloud",
    "url": "https://status.example.com",
    "time_zone": "Etc/UTC",
    "updated_at": "2024-05-14T10:42:07.123Z"
  },
  "components": [
    {
      "id": "b13yz5g2cw10",
      "name": "API",
      "status": "partial_outage",
      "created_at": "2019-03-01T12:00:00.000Z",
      "updated_at": "2024-05-14T10:31:55.418Z",
      "position": 1,
      "description": "Public REST API",
      "showcase": true,
      "start_date": "2019-03-01",
      "group_id": null,
      "page_id": "kctbh9vrtdwd",
      "group": false,
      "only_show_if_degraded": false
    },
    {
      "id": "jk03xttfcz9b",
      "name": "Regions",
      "status": "degraded_performance",
      "created_at": "2019-03-01T12:00:00.000Z",
      "updated_at": "2024-05-14T10:31:55.418Z",
      "position": 2,
      "description": null,
      "showcase": false,
      "start_date": null,
      "group_id": null,
      "page_id": "kctbh9vrtdwd",
      "group": true,
      "only_show_if_degraded": false,
      "components": ["0cwvg0jp5cbg", "fc8y53dfg85y"]
    },
    {
      "id": "0cwvg0jp5cbg",
      "name": "EU West",
      "status": "degraded_performance",
      "created_at": "2019-03-01T12:00:00.000Z",
      "updated_at": "2024-05-14T10:31:55.418Z",
      "position": 1,
      "description": null,
      "showcase": false,
      "start_date": null,
      "group_id": "jk03xttfcz9b",
      "page_id": "kctbh9vrtdwd",
      "group": false,
      "only_show_if_degraded": false
    },
    {
      "id": "fc8y53dfg85y",
      "name": "US East",
      "status": "under_maintenance",
      "created_at": "2019-03-01T12:00:00.000Z",
      "updated_at": "2024-05-14T10:00:02.001Z",
      "position": 2,
      "description": null,
      "showcase": false,
      "start_date": null,
      "group_id": "jk03xttfcz9b",
      "page_id": "kctbh9vrtdwd",
      "group": false,
      "only_show_if_degraded": false
    }
  ],
  "incidents": [
    {
      "id": "2gztsrksff0v",
      "name": "Elevated API error rates",
      "status": "identified",
      "created_at": "2024-05-14T10:25:10.666Z",
      "updated_at": "2024-05-14T10:42:07.100Z",
      "monitoring_at": null,
      "resolved_at": null,
      "impact": "major",
      "shortlink": "https://stspg.io/abcd1234",
      "started_at": "2024-05-14T10:25:10.659Z",
      "page_id": "kctbh9vrtdwd",
      "incident_updates": [
        {
          "id": "xxqwgv42dnx5",
          "status": "identified",
          "body": "The issue has been identified and a fix is being implemented.",
          "incident_id": "2gztsrksff0v",
          "created_at": "2024-05-14T10:42:07.090Z",
          "updated_at": "2024-05-14T10:42:07.090Z",
          "display_at": "2024-05-14T10:42:07.090Z",
          "affected_components": [
            {
              "code": "b13yz5g2cw10",
              "name": "API",
              "old_status": "degraded_performance",
              "new_status": "partial_outage"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        },
        {
          "id": "jvrfncktc4yp",
          "status": "investigating",
          "body": "We are investigating elevated error rates on the API.",
          "incident_id": "2gztsrksff0v",
          "created_at": "2024-05-14T10:25:10.700Z",
          "updated_at": "2024-05-14T10:25:10.700Z",
          "display_at": "2024-05-14T10:25:10.700Z",
          "affected_components": null,
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        }
      ],
      "components": [
        {
          "id": "b13yz5g2cw10",
          "name": "API",
          "status": "partial_outage",
          "created_at": "2019-03-01T12:00:00.000Z",
          "updated_at": "2024-05-14T10:31:55.418Z",
          "position": 1,
          "description": "Public REST API",
          "showcase": true,
          "start_date": "2019-03-01",
          "group_id": null,
          "page_id": "kctbh9vrtdwd",
          "group": false,
          "only_show_if_degraded": false
        }
      ]
    }
  ],
  "scheduled_maintenances": [
    {
      "id": "ymm0202y77k6",
      "name": "US East database upgrade",
      "status": "in_progress",
      "created_at": "2024-05-10T16:57:33.416Z",
      "updated_at": "2024-05-14T10:00:02.100Z",
      "monitoring_at": null,
      "resolved_at": null,
      "impact": "maintenance",
      "shortlink": "https://stspg.io/efgh5678",
      "started_at": "2024-05-14T10:00:00.000Z",
      "page_id": "kctbh9vrtdwd",
      "incident_updates": [
        {
          "id": "jd5jjsflj0x5",
          "status": "in_progress",
          "body": "Scheduled maintenance is currently in progress.",
          "incident_id": "ymm0202y77k6",
          "created_at": "2024-05-14T10:00:02.090Z",
          "updated_at": "2024-05-14T10:00:02.090Z",
          "display_at": "2024-05-14T10:00:02.090Z",
          "affected_components": [
            {
              "code": "fc8y53dfg85y",
              "name": "Regions - US East",
              "old_status": "operational",
              "new_status": "under_maintenance"
            }
          ],
          "deliver_notifications": true,
          "custom_tweet": null,
          "tweet_id": null
        }
      ],
      "components": [
        {
          "id": "fc8y53dfg85y",
          "name": "US East",
          "status": "under_maintenance",
          "created_at": "2019-03-01T12:00:00.000Z",
          "updated_at": "2024-05-14T10:00:02.001Z",
          "position": 2,
          "description": null,
          "showcase": false,
          "start_date": null,
          "group_id": "jk03xttfcz9b",
          "page_id": "kctbh9vrtdwd",
          "group": false,
          "only_show_if_degraded": false
        }
      ],
      "scheduled_for": "2024-05-14T10:00:00.000Z",
      "scheduled_until": "2024-05-14T12:00:00.000Z"
    }
  ],
  "status": {
    "indicator": "major",
    "description": "Partial System Outage"
  }
}

"""#
}
