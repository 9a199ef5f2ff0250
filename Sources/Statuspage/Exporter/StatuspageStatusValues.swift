/// What `statuspage_service_status` says, and how (`statuspage.status_values`).
///
/// statuspage-prometheus-exporter documents three values in its README (`1` operational, `0`
/// maintenance, `-1` incident or down), while its published 2.5.0 and 2.6.0 packages emit two
/// (`1` operational, `0` anything else: `service_checker.py` sets `1 if status == "operational"
/// else 0`). The two-value behaviour of the packages is the default, so a migrated dashboard keeps
/// working; alerts written against the README's `-1` choose ``threeState``.
public enum StatuspageStatusValues: String, Sendable, CaseIterable {
    /// 2.6.0 as published: `1` when the effective indicator is `none`, else `0`.
    case exporter
    /// The exporter's README: `1` operational, `0` maintenance, `-1` incident or down (see
    /// ``StatuspageAssessment/threeStateStatus``).
    case threeState = "three_state"

    /// The config value's spellings, for messages.
    public static let names = allCases.map(\.rawValue).joined(separator: " or ")

    /// The sample for `assessment`.
    public func value(_ assessment: StatuspageAssessment) -> Double {
        switch self {
        case .exporter: assessment.isOperational ? 1 : 0
        case .threeState: Double(assessment.threeStateStatus)
        }
    }

    /// The family's HELP text.
    public var help: String {
        switch self {
        case .exporter: "Status of monitored services (1=operational, 0=incident/down)"
        case .threeState: "Status of monitored services (1=operational, 0=maintenance, -1=incident/down)"
        }
    }
}
