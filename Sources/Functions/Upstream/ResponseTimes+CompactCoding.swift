import BetterStack
import TTLCache

/// A monitor's response times in the CGI file cache: the largest entry most requests read
/// (24 hours × regions; ~300 KB as Better Stack's JSON). Per region its code and points; per point
/// the time, the total and a bit set of the phases present, then those phases.
extension ResponseTimes: FileCacheCompactCodable {
    /// A point takes at least its time, its total and its phase bits.
    private static let minimumPointBytes = 8 + 8 + 1

    public func writeCompact(to writer: inout CompactWriter) {
        writer.string(monitorID)
        writer.count(regions.count)
        for region in regions {
            writer.string(region.region)
            writer.count(region.points.count)
            for point in region.points {
                writer.int64(point.at)
                writer.double(point.responseTime)
                let phases = [point.nameLookupTime, point.connectionTime, point.tlsHandshakeTime, point.dataTransferTime]
                var bits: UInt8 = 0
                for (index, phase) in phases.enumerated() where phase != nil { bits |= 1 << UInt8(index) }
                writer.byte(bits)
                for case let phase? in phases { writer.double(phase) }
            }
        }
    }

    public init?(compact reader: inout CompactReader) {
        // A region takes at least its name's length and its point count.
        guard let monitorID = reader.string(), let regionCount = reader.count(minimumItemBytes: 8) else { return nil }
        var regions: [RegionResponseTimes] = []
        regions.reserveCapacity(regionCount)
        for _ in 0..<regionCount {
            guard let code = reader.string(), let pointCount = reader.count(minimumItemBytes: Self.minimumPointBytes)
            else { return nil }
            var points: [ResponseTimePoint] = []
            points.reserveCapacity(pointCount)
            for _ in 0..<pointCount {
                guard let at = reader.int64(), let total = reader.double(), let bits = reader.byte(), bits < 16
                else { return nil }
                var phases: [Double?] = [nil, nil, nil, nil]
                for index in 0..<4 where bits & (1 << UInt8(index)) != 0 {
                    guard let phase = reader.double() else { return nil }
                    phases[index] = phase
                }
                points.append(
                    ResponseTimePoint(
                        at: at,
                        responseTime: total,
                        nameLookupTime: phases[0],
                        connectionTime: phases[1],
                        tlsHandshakeTime: phases[2],
                        dataTransferTime: phases[3]
                    )
                )
            }
            // Written in time order; the initializer keeps that invariant for anything else.
            regions.append(RegionResponseTimes(region: code, points: points))
        }
        self.init(monitorID: monitorID, regions: regions)
    }
}
