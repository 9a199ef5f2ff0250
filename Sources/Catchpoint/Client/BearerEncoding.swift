/// How the access token is written after `Authorization: Bearer`.
///
/// Catchpoint's own integrations and the Node clients send the token as received; the replaced
/// Python job (and krux's client) sent it base64-encoded. Catchpoint accepts both
/// (`pavan485/python-opentsDB` `request_handler.py`; Catchpoint REST API v1, `GET /ui/api/v1/performance/raw`).
public enum BearerEncoding: String, Sendable, Hashable, CaseIterable {
    /// `Bearer <access_token>`.
    case raw
    /// `Bearer base64(<access_token>)`, as the replaced Python job sent it.
    case base64
}
