/// An availability summary (`monitor_sla`, `heartbeat_availability`) computed from incidents,
/// so that it always agrees with what the incidents endpoints list.
struct Availability: Sendable, Equatable {
    /// Percent, two decimals.
    let availability: Double
    /// Seconds (rounded) of downtime inside the range.
    let totalDowntime: Int
    /// Incidents overlapping the range.
    let numberOfIncidents: Int
    /// Seconds (rounded) of the longest overlap.
    let longestIncident: Int
    /// Seconds (rounded) of the average overlap.
    let averageIncident: Int

    /// How `from`/`to` (`YYYY-MM-DD`) translate to a time range, upstream's way.
    ///
    /// `from` defaults to the creation time, `to` to now; `to` is inclusive (its whole day
    /// counts); the range is clipped to `[created, now]`. `nil` means the 400 answer: a date that
    /// does not parse, a start after today, or an end before the start.
    static func range(from: String?, to: String?, createdAt: Int64, now: Int64) -> (start: Int64, end: Int64)? {
        let today = now - now % Timestamp.dayMilliseconds
        var start = createdAt
        var end = now
        var fromDay: Int64?
        if let from {
            guard let day = Timestamp.parseDay(from), day <= today else { return nil }
            fromDay = day
            start = max(start, day)
        }
        if let to {
            guard let day = Timestamp.parseDay(to) else { return nil }
            if let fromDay, day < fromDay { return nil }
            end = min(end, day + Timestamp.dayMilliseconds)
        }
        return (start, max(start, end))
    }

    /// The summary of `incidents` over `start..<end`.
    init(incidents: [Incident], start: Int64, end: Int64, now: Int64) {
        let overlaps = incidents.map { $0.downtime(from: start, to: end, now: now) }.filter { $0 > 0 }
        let total = overlaps.reduce(0, +)
        let span = end - start
        let fraction = span > 0 ? 1 - Double(total) / Double(span) : 1
        availability = (fraction * 10_000).rounded() / 100
        totalDowntime = Self.seconds(total)
        numberOfIncidents = overlaps.count
        longestIncident = Self.seconds(overlaps.max() ?? 0)
        averageIncident = overlaps.isEmpty ? 0 : Self.seconds(total / Int64(overlaps.count))
    }

    private static func seconds(_ milliseconds: Int64) -> Int {
        Int((milliseconds + 500) / 1000)
    }

    /// `{"data": {"id": …, "type": …, "attributes": {…}}}`.
    func payload(id: Int, type: String) -> JSON {
        .object([
            (
                "data",
                .object([
                    ("id", .string(String(id))),
                    ("type", .string(type)),
                    (
                        "attributes",
                        .object([
                            ("availability", .double(availability)),
                            ("total_downtime", .int(totalDowntime)),
                            ("number_of_incidents", .int(numberOfIncidents)),
                            ("longest_incident", .int(longestIncident)),
                            ("average_incident", .int(averageIncident)),
                        ])
                    ),
                ])
            )
        ])
    }
}
