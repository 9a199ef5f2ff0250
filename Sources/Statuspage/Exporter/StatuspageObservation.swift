/// One service's result of one monitoring run: which service, and what its probe got.
public struct StatuspageObservation: Sendable {
    public var service: StatuspageService
    public var probe: StatuspageProbe

    public init(service: StatuspageService, probe: StatuspageProbe) {
        self.service = service
        self.probe = probe
    }
}

/// What a run made of one service, for logs and for the bridge's own metrics.
public struct StatuspageServiceOutcome: Sendable {
    /// Where the series of this run came from.
    public enum Source: Sendable, Hashable {
        /// The probe succeeded.
        case live
        /// The probe failed and the last good answer stood in (the exporter's cache fallback:
        /// `statuspage_probe_check` 1, response time 0).
        case lastGoodAnswer
        /// The probe failed and there was nothing to fall back on: only `statuspage_probe_check`
        /// 0 and response time 0 for this service.
        case unavailable
    }

    public var service: StatuspageService
    public var source: Source
    /// The exporter's view of the page, when there is one.
    public var assessment: StatuspageAssessment?
    /// The failure of this run's probe, if it failed.
    public var failure: StatuspageProbeFailure?
}
