/// The last 24 hours of a monitor's checks, grouped by region, as
/// `GET /api/v2/monitors/{id}/response-times` returns them.
///
/// Points run every `check_frequency` seconds per region up to the anchor time, ascending, with
/// a second or two of jitter and the odd missing check. All values are whole multiples of
/// 0.00001 s, and the four phases add up to `response_time` exactly at that precision.
enum ResponseTimes {
    /// One check: the time and the four phases in units of 10 µs.
    struct Point: Sendable, Equatable {
        let at: Int64
        let nameLookup: Int
        let connection: Int
        let tlsHandshake: Int
        let dataTransfer: Int

        var total: Int { nameLookup + connection + tlsHandshake + dataTransfer }
    }

    /// The points of one region, oldest first.
    static func points(for monitor: Monitor, profile: Monitor.RegionProfile, seed: UInt64, now: Int64) -> [Point] {
        // Pending monitors have never been checked.
        guard monitor.status != "pending" else { return [] }
        var random = SplitMix64(seed: seed, stream: "response-times/\(profile.region)", index: monitor.index)
        let frequency = Int64(monitor.checkFrequency) * 1000
        let latest = now - now % 1000 - Int64(profile.offsetSeconds) * 1000
        let cutoff = now - Timestamp.dayMilliseconds
        let end = monitor.pausedAt ?? Int64.max
        let maxJitter = min(2, monitor.checkFrequency / 10)

        var times: [Int64] = []
        var step: Int64 = 0
        while true {
            var at = latest - step * frequency
            if step > 0 { at += Int64(random.int(in: 0...maxJitter)) * 1000 }
            guard at > cutoff else { break }
            // The latest check is never dropped, so it matches the monitor's `last_checked_at`.
            if at <= end, step == 0 || !random.chance(0.01) { times.append(at) }
            step += 1
        }
        times.reverse()

        let unitsPerMillisecond = 100.0
        return times.map { at in
            let roundTrip = profile.roundTripMilliseconds * random.double(in: 0.85...1.25)
            // Mostly a cached lookup (20 µs, as in upstream's examples), sometimes a real one.
            let nameLookup = random.chance(0.9) ? 2 : random.int(in: 80...2_500)
            let connection = Int((roundTrip * unitsPerMillisecond).rounded())
            let tls =
                monitor.usesTLS ? Int((roundTrip * random.double(in: 1.6...2.4) * unitsPerMillisecond).rounded()) : 0
            var transfer = profile.serverMilliseconds * random.double(in: 0.7...1.6) + roundTrip
            if random.chance(0.01) { transfer *= random.double(in: 3...10) }  // the odd slow response
            return Point(
                at: at,
                nameLookup: nameLookup,
                connection: connection,
                tlsHandshake: tls,
                dataTransfer: Int((transfer * unitsPerMillisecond).rounded())
            )
        }
    }

    /// The whole payload for `monitor`.
    static func payload(for monitor: Monitor, seed: UInt64, now: Int64) -> JSON {
        let regions = monitor.profiles.map { profile -> JSON in
            let points = points(for: monitor, profile: profile, seed: seed, now: now)
            return .object([
                ("region", .string(profile.region)),
                ("response_times", .array(points.map(json))),
            ])
        }
        return .object([
            (
                "data",
                .object([
                    ("id", .string(String(monitor.id))),
                    ("type", .string("monitor_response_times")),
                    ("attributes", .object([("regions", .array(regions))])),
                ])
            )
        ])
    }

    private static func json(_ point: Point) -> JSON {
        func seconds(_ units: Int) -> JSON { .double(Double(units) / 100_000) }
        return .object([
            ("at", .string(Timestamp.iso8601(point.at))),
            ("response_time", seconds(point.total)),
            ("name_lookup_time", seconds(point.nameLookup)),
            ("connection_time", seconds(point.connection)),
            ("tls_handshake_time", seconds(point.tlsHandshake)),
            ("data_transfer_time", seconds(point.dataTransfer)),
        ])
    }
}
