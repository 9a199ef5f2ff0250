/// A word a status page sends for a status, an impact or an indicator, kept as sent: each
/// vocabulary's documented words are constants (below), and anything else a page sends survives
/// decoding. `Vocabulary` only keeps the kinds apart (a component status is not an impact).
public struct StatuspageTerm<Vocabulary>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}

/// The vocabularies of ``StatuspageTerm``.
public enum StatuspageVocabulary {
    public enum ComponentStatus {}
    public enum IncidentImpact: Severity {}
    public enum IncidentStatus {}
    public enum StatusIndicator: Severity {}

    /// Statuspage's one severity scale, which both an incident's `impact` and the page-wide
    /// `status.indicator` use.
    public protocol Severity {}
}

/// A component's `status`, kept as sent: the documented values are constants here, and anything
/// else a page sends survives decoding.
public typealias StatuspageComponentStatus = StatuspageTerm<StatuspageVocabulary.ComponentStatus>

extension StatuspageTerm where Vocabulary == StatuspageVocabulary.ComponentStatus {
    public static var operational: Self { Self(rawValue: "operational") }
    public static var degradedPerformance: Self { Self(rawValue: "degraded_performance") }
    public static var partialOutage: Self { Self(rawValue: "partial_outage") }
    public static var majorOutage: Self { Self(rawValue: "major_outage") }
    /// Not in the public v2 docs but sent during maintenance (seen in Discord's status API captures, `Dziurwa14/discord-undoc.github.io` `src/status_api.md`).
    public static var underMaintenance: Self { Self(rawValue: "under_maintenance") }

    /// `operational`, compared without case as the exporter does.
    public var isOperational: Bool { rawValue.lowercased() == "operational" }
}

/// An incident's or maintenance's `impact`, kept as sent.
public typealias StatuspageIncidentImpact = StatuspageTerm<StatuspageVocabulary.IncidentImpact>

/// The page-wide `status.indicator`, kept as sent.
public typealias StatuspageStatusIndicator = StatuspageTerm<StatuspageVocabulary.StatusIndicator>

extension StatuspageTerm where Vocabulary: StatuspageVocabulary.Severity {
    public static var none: Self { Self(rawValue: "none") }
    public static var minor: Self { Self(rawValue: "minor") }
    public static var major: Self { Self(rawValue: "major") }
    public static var critical: Self { Self(rawValue: "critical") }
    /// Usual on scheduled maintenances; as an indicator not in the public v2 docs but widely seen
    /// ("Service Under Maintenance").
    public static var maintenance: Self { Self(rawValue: "maintenance") }
}

/// An incident's or maintenance's `status`, kept as sent.
public typealias StatuspageIncidentStatus = StatuspageTerm<StatuspageVocabulary.IncidentStatus>

extension StatuspageTerm where Vocabulary == StatuspageVocabulary.IncidentStatus {
    // Incidents.
    public static var investigating: Self { Self(rawValue: "investigating") }
    public static var identified: Self { Self(rawValue: "identified") }
    public static var monitoring: Self { Self(rawValue: "monitoring") }
    public static var resolved: Self { Self(rawValue: "resolved") }
    public static var postmortem: Self { Self(rawValue: "postmortem") }
    // Scheduled maintenances.
    public static var scheduled: Self { Self(rawValue: "scheduled") }
    public static var inProgress: Self { Self(rawValue: "in_progress") }
    public static var verifying: Self { Self(rawValue: "verifying") }
    public static var completed: Self { Self(rawValue: "completed") }
    /// Not documented for v2 payloads, but the exporter treats it as finished.
    public static var cancelled: Self { Self(rawValue: "cancelled") }
}
