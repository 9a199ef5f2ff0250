import OpenTSDB
import UpstreamHTTP

/// An OAuth2 access token from `POST /ui/api/token` and when to stop using it.
public struct AccessToken: Sendable {
    /// The token as received.
    public let value: Secret
    /// Seconds the token endpoint said it lives (`expires_in`, 900 at Catchpoint).
    public let lifetimeSeconds: Int
    /// When it was received, on the client's clock.
    public let receivedAt: ContinuousClock.Instant

    /// Whether it is still worth sending at `now`, renewing `margin` early (but never earlier
    /// than half its life, so very short-lived tokens are still used).
    public func isUsable(at now: ContinuousClock.Instant, margin: Duration) -> Bool {
        let lifetime = Duration.seconds(lifetimeSeconds)
        let effectiveMargin = min(margin, lifetime / 2)
        return now < receivedAt + lifetime - effectiveMargin
    }
}

/// The token endpoint's answer: `{"access_token": "…", "token_type": "bearer", "expires_in": 900}`.
struct TokenResponse: Decodable {
    let accessToken: String
    let expiresIn: Int?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        accessToken = try container.decode(String.self, forKey: .accessToken)
        // Lenient: some servers send the lifetime as a string.
        if let number = try? container.decodeIfPresent(Int.self, forKey: .expiresIn) {
            expiresIn = number
        } else if let text = try? container.decodeIfPresent(String.self, forKey: .expiresIn) {
            expiresIn = Int(text)
        } else {
            expiresIn = nil
        }
    }
}
