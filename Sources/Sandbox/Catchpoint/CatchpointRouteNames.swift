extension RouteName {
    /// `POST /ui/api/token` (Catchpoint OAuth2 client credentials)
    public static let catchpointToken: RouteName = "catchpoint_token"
    /// `GET /ui/api/v1/performance/raw?tests=…` (Catchpoint raw performance)
    public static let catchpointRaw: RouteName = "catchpoint_raw"
}
