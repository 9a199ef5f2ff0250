/// One check's timing. All durations are seconds; the four phases, when present, add up to
/// ``responseTime``.
public struct ResponseTimePoint: Sendable, Hashable, Codable {
    /// When the check ran, in milliseconds since the Unix epoch.
    public var at: Int64
    /// Total response time in seconds.
    public var responseTime: Double
    /// DNS lookup, seconds.
    public var nameLookupTime: Double?
    /// TCP connect, seconds.
    public var connectionTime: Double?
    /// TLS handshake, seconds.
    public var tlsHandshakeTime: Double?
    /// Time to receive the response, seconds.
    public var dataTransferTime: Double?

    /// A point.
    public init(
        at: Int64,
        responseTime: Double,
        nameLookupTime: Double? = nil,
        connectionTime: Double? = nil,
        tlsHandshakeTime: Double? = nil,
        dataTransferTime: Double? = nil
    ) {
        self.at = at
        self.responseTime = responseTime
        self.nameLookupTime = nameLookupTime
        self.connectionTime = connectionTime
        self.tlsHandshakeTime = tlsHandshakeTime
        self.dataTransferTime = dataTransferTime
    }

    /// Fails for points without a parseable `at` or a `response_time`; ``RegionResponseTimes``
    /// drops those instead of failing the whole payload.
    public init(from decoder: any Decoder) throws {
        let object = LenientObject(try decoder.container(keyedBy: JSONKey.self))
        guard let at = object.timestamp("at"), let responseTime = object.double("response_time") else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "response time point without at/response_time")
            )
        }
        self.init(
            at: at,
            responseTime: responseTime,
            nameLookupTime: object.double("name_lookup_time"),
            connectionTime: object.double("connection_time"),
            tlsHandshakeTime: object.double("tls_handshake_time"),
            dataTransferTime: object.double("data_transfer_time")
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        try container.encode(ISO8601Timestamp.format(milliseconds: at), forKey: "at")
        try container.encode(responseTime, forKey: "response_time")
        try container.encodeIfPresent(nameLookupTime, forKey: "name_lookup_time")
        try container.encodeIfPresent(connectionTime, forKey: "connection_time")
        try container.encodeIfPresent(tlsHandshakeTime, forKey: "tls_handshake_time")
        try container.encodeIfPresent(dataTransferTime, forKey: "data_transfer_time")
    }
}
