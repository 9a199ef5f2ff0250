import OpenTSDB

/// The datapoints of a raw answer, and the items that could not be mapped.
public struct RawPerformanceMapping: Sendable {
    /// In the replaced job's order: item by item, field by field.
    public var points: [DataPoint]
    /// One line per item left out (no test or node id, unreadable time), for the log.
    public var skippedItems: [String]
}

extension RawPerformance {
    /// Maps the answer to OpenTSDB datapoints exactly as the replaced job did (`pavan485/python-opentsDB` `utils.py`),
    /// except that tag values are strings and timestamps integers.
    ///
    /// One point per item and non-null value: metric from ``MetricName/forField(_:)``, tags
    /// `TestId` (`breakdown_1.id`), `NodeId` (`breakdown_2.id`), plus `StepNumber` (`step`)
    /// and `HopNumber` (`hop_number`) when present. Values past the last named field are
    /// ignored (the Python job crashed on them).
    public func dataPoints(precision: TimestampPrecision = .seconds) -> RawPerformanceMapping {
        var mapping = RawPerformanceMapping(points: [], skippedItems: [])
        guard let detail else { return mapping }
        let metrics = detail.metricFields.map(MetricName.forField)
        mapping.points.reserveCapacity(detail.items.count * metrics.count)
        for (position, item) in detail.items.enumerated() {
            guard let testID = item.test?.id, let nodeID = item.node?.id else {
                mapping.skippedItems.append("item \(position): no test or node id")
                continue
            }
            guard let time = item.time, let milliseconds = RunTime.milliseconds(time) else {
                mapping.skippedItems.append("item \(position): unreadable time '\(item.time ?? "")'")
                continue
            }
            var tags = ["TestId": testID, "NodeId": nodeID]
            if let step = item.step { tags["StepNumber"] = step }
            if let hop = item.hopNumber { tags["HopNumber"] = hop }
            let timestamp = precision.timestamp(fromMilliseconds: milliseconds)
            for (metric, value) in zip(metrics, item.values) {
                guard let value else { continue }
                mapping.points.append(
                    DataPoint(metric: metric, timestamp: timestamp, precision: precision, value: value, tags: tags)
                )
            }
            if item.values.count > metrics.count {
                mapping.skippedItems.append(
                    "item \(position): \(item.values.count - metrics.count) values beyond the named fields ignored"
                )
            }
        }
        return mapping
    }
}
