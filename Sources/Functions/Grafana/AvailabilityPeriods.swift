import BetterStack

/// The periods an availability series is built from: one SLA call per monitor and period, so the
/// period is chosen to keep a request within its upstream call budget. Days while they fit, then
/// ISO weeks (Monday to Sunday, UTC), then calendar months, then the whole range as one period;
/// Better Stack's SLA endpoint takes any `from`/`to`. Each point is stamped at the start of its
/// period (clipped to the range); finished periods never change and are cached long.
enum AvailabilityPeriod: String, CaseIterable, Sendable {
    case day, week, month, range

    /// How many periods of this kind `[first, last]` touches.
    func count(first: UTCDay, last: UTCDay) -> Int64 {
        guard first <= last else { return 0 }
        switch self {
        case .day:
            return last.daysSinceEpoch - first.daysSinceEpoch + 1
        case .week:
            return (Self.weekStart(last).daysSinceEpoch - Self.weekStart(first).daysSinceEpoch) / 7 + 1
        case .month:
            let (y1, m1) = Self.yearMonth(first)
            let (y2, m2) = Self.yearMonth(last)
            return Int64((y2 * 12 + m2) - (y1 * 12 + m1) + 1)
        case .range:
            return 1
        }
    }

    /// The periods as inclusive day ranges, clipped to `[first, last]`, in order.
    func spans(first: UTCDay, last: UTCDay) -> [(first: UTCDay, last: UTCDay)] {
        guard first <= last else { return [] }
        var spans: [(first: UTCDay, last: UTCDay)] = []
        var start = first
        while start <= last {
            let end: UTCDay
            switch self {
            case .day: end = start
            case .week: end = Self.weekStart(start).adding(days: 6)
            case .month:
                let (year, month) = Self.yearMonth(start)
                let next = month == 12 ? UTCDay(year: year + 1, month: 1, day: 1) : UTCDay(year: year, month: month + 1, day: 1)
                end = (next ?? last.adding(days: 1)).adding(days: -1)
            case .range: end = last
            }
            let clipped = min(end, last)
            spans.append((start, clipped))
            start = clipped.adding(days: 1)
        }
        return spans
    }

    /// The finest period whose calls (`monitors` × periods) fit in `calls`; nil when even one call
    /// per monitor does not.
    static func finest(first: UTCDay, last: UTCDay, monitors: Int, calls: Int) -> AvailabilityPeriod? {
        allCases.first { period in
            period.count(first: first, last: last).multipliedReportingOverflow(by: Int64(max(1, monitors))).partialValue
                <= Int64(calls)
        }
    }

    /// Monday of the ISO week holding `day` (1970-01-01 was a Thursday).
    static func weekStart(_ day: UTCDay) -> UTCDay {
        let weekday = ((day.daysSinceEpoch + 3) % 7 + 7) % 7  // 0 = Monday
        return day.adding(days: -Int(weekday))
    }

    /// Year and month (1–12) of `day`, from its `YYYY-MM-DD` form.
    static func yearMonth(_ day: UTCDay) -> (Int, Int) {
        let text = Array(day.description.utf8)
        func number(_ range: Range<Int>) -> Int {
            text[range].reduce(0) { $0 * 10 + Int($1) - 48 }
        }
        return text.count >= 7 ? (number(0..<4), number(5..<7)) : (1970, 1)
    }
}
