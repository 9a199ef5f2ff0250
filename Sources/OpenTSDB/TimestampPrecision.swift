/// Whether a ``DataPoint``'s timestamp counts seconds or milliseconds since the epoch.
///
/// OpenTSDB takes either (10 or 13 digits); VictoriaMetrics decides by magnitude and InfluxDB
/// 1.x does too, but InfluxDB loses the milliseconds (`influxdata/influxdb` 1.x `services/opentsdb/handler.go`). Seconds is the default
/// because that is what the replaced Catchpoint job stored.
public enum TimestampPrecision: String, Sendable, Hashable, Codable, CaseIterable {
    case seconds
    case milliseconds

    /// The range every receiver reads unambiguously at this precision: seconds below 2^32 (the
    /// magnitude test VictoriaMetrics uses), milliseconds from 2^32 to 13 digits (OpenTSDB's limit).
    public var validRange: ClosedRange<Int64> {
        switch self {
        case .seconds: 1...4_294_967_295
        case .milliseconds: 4_294_967_296...9_999_999_999_999
        }
    }

    /// Converts milliseconds since the epoch to this precision (seconds truncate).
    public func timestamp(fromMilliseconds milliseconds: Int64) -> Int64 {
        switch self {
        case .seconds: milliseconds / 1000
        case .milliseconds: milliseconds
        }
    }
}
