extension RouteName {
    /// `GET /statuspage/{slug}/api/v2/summary.json`
    public static let statuspageSummary: RouteName = "statuspage_summary"
    /// `GET /statuspage/{slug}/api/v2/status.json`
    public static let statuspageStatus: RouteName = "statuspage_status"
    /// `GET /statuspage/{slug}/api/v2/components.json`
    public static let statuspageComponents: RouteName = "statuspage_components"
    /// `GET /statuspage/{slug}/api/v2/incidents.json` and `…/incidents/unresolved.json`
    public static let statuspageIncidents: RouteName = "statuspage_incidents"
    /// `GET /statuspage/{slug}/api/v2/scheduled-maintenances.json` and its `upcoming` and `active`
    public static let statuspageScheduledMaintenances: RouteName = "statuspage_scheduled_maintenances"
}
