/// `GET /api/v2/monitors/{id}/response-times` read straight from the bytes (``StrictJSON``), with
/// the lenient rules of the `Decodable` path (``ResponseTimes/init(from:)``,
/// ``RegionResponseTimes``, ``ResponseTimePoint``, ``LenientObject``): a region or a point that
/// does not decode is dropped, numbers and numeric strings are both read, timestamps are ISO 8601
/// text or epoch numbers. Where the two paths could differ (a case this code is unsure of), it
/// answers `nil` and the caller uses `JSONDecoder`.
extension ResponseTimes {
    /// The `{"data": …}` document, or `nil` to let `JSONDecoder` decide.
    static func decodeDocument(strict bytes: [UInt8]) -> ResponseTimes? {
        guard let document = StrictJSON.parse(bytes), case .object = document,
            let data = document["data"], case .object = data
        else { return nil }
        do {
            guard let id = try LenientNode.string(data["id"]) else { return nil }
            var regions: [RegionResponseTimes] = []
            if let attributes = data["attributes"], case .object = attributes,
                let list = attributes["regions"], case .array(let elements) = list
            {
                for element in elements {
                    guard case .object = element else { continue }
                    regions.append(try region(element))
                }
            }
            return ResponseTimes(monitorID: id, regions: regions)
        } catch {
            return nil
        }
    }

    private static func region(_ node: StrictJSON.Node) throws -> RegionResponseTimes {
        var points: [ResponseTimePoint] = []
        if let list = node["response_times"], case .array(let elements) = list {
            points.reserveCapacity(elements.count)
            for element in elements {
                guard case .object = element, let at = LenientNode.timestamp(element["at"]),
                    let total = LenientNode.double(element["response_time"])
                else { continue }
                points.append(
                    ResponseTimePoint(
                        at: at,
                        responseTime: total,
                        nameLookupTime: LenientNode.double(element["name_lookup_time"]),
                        connectionTime: LenientNode.double(element["connection_time"]),
                        tlsHandshakeTime: LenientNode.double(element["tls_handshake_time"]),
                        dataTransferTime: LenientNode.double(element["data_transfer_time"])
                    )
                )
            }
        }
        // As RegionResponseTimes(from:) does: sorted only when upstream was not ascending.
        if !zip(points, points.dropFirst()).allSatisfy({ $0.at <= $1.at }) {
            points.sort { $0.at < $1.at }
        }
        return RegionResponseTimes(region: try LenientNode.string(node["region"]) ?? "", orderedPoints: points)
    }
}

/// ``LenientObject``'s conversions on a ``StrictJSON/Node``. A member that is absent is `nil`.
enum LenientNode {
    /// A case where `JSONDecoder`'s answer is not certain (an integral number written with a
    /// fraction or an exponent, read as text): the whole document goes to `JSONDecoder`.
    struct Unsure: Error {}

    /// ``LenientObject/string(_:)``: text, an integer's or a number's text, `true`/`false`.
    static func string(_ node: StrictJSON.Node?) throws -> String? {
        switch node {
        case .string(let text): return text
        case .number(let value, let integer, let integral):
            if let integer { return String(integer) }
            if !integral, value == value.rounded(.towardZero), abs(value) < 9.3e18 { throw Unsure() }
            return String(value)
        case .bool(let flag): return String(flag)
        default: return nil
        }
    }

    /// ``LenientObject/double(_:)``: a number, or numeric text.
    static func double(_ node: StrictJSON.Node?) -> Double? {
        switch node {
        case .number(let value, _, _): return value
        case .string(let text): return Double(text.trimmingASCIIWhitespace())
        default: return nil
        }
    }

    /// ``LenientObject/timestamp(_:)``: ISO 8601 text, or epoch seconds (milliseconds when too
    /// large to be seconds) within the years 0000–9999.
    static func timestamp(_ node: StrictJSON.Node?) -> Int64? {
        switch node {
        case .string(let text): return ISO8601Timestamp.parseMilliseconds(text)
        case .number(let number, _, _):
            let milliseconds = (number > 100_000_000_000 ? number : number * 1000).rounded(.towardZero)
            guard milliseconds >= LenientObject.earliestMilliseconds, milliseconds <= LenientObject.latestMilliseconds
            else { return nil }
            return Int64(milliseconds)
        default: return nil
        }
    }
}
