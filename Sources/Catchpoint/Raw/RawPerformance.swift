/// The answer of `GET /ui/api/v1/performance/raw?tests=…` (Catchpoint REST API v1, as `pavan485/python-opentsDB` `request_handler.py` reads it).
///
/// Read leniently: unknown keys are ignored, ids may be numbers or strings, values may be
/// numbers, `null` or numeric strings. "No data" is an answer without `detail`.
public struct RawPerformance: Sendable, Decodable, Equatable {
    /// Start of the period the answer covers, as sent (`2022-01-28T09:54:31Z`).
    public var start: String?
    /// End of the period, as sent.
    public var end: String?
    /// The data; absent when Catchpoint has none for these tests and period.
    public var detail: Detail?
    /// An `error` text some answers carry (logged by the historic clients).
    public var error: String?

    /// Whether Catchpoint had nothing for the request.
    public var hasData: Bool { detail != nil }

    /// `detail`: the field names and one item per test run (and step, or hop).
    public struct Detail: Sendable, Decodable, Equatable {
        /// Names of the positional values, in order.
        public var metricFields: [String]
        /// The runs.
        public var items: [Item]

        enum CodingKeys: String, CodingKey { case fields, items }
        enum FieldsKeys: String, CodingKey { case syntheticMetrics = "synthetic_metrics" }
        struct Field: Decodable { let name: String? }

        public init(metricFields: [String], items: [Item]) {
            self.metricFields = metricFields
            self.items = items
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let fields = try? container.nestedContainer(keyedBy: FieldsKeys.self, forKey: .fields)
            metricFields = ((try? fields?.decodeIfPresent([Field].self, forKey: .syntheticMetrics)) ?? [])
                .map { $0.name ?? "" }
            items = (try container.decodeIfPresent([Item].self, forKey: .items)) ?? []
        }
    }

    /// One run of one test on one node (one step of a multi-step test, or one traceroute hop).
    public struct Item: Sendable, Decodable, Equatable {
        /// `breakdown_1`: the test.
        public var test: Breakdown?
        /// `breakdown_2`: the node.
        public var node: Breakdown?
        /// `dimension.name`: when the run happened, e.g. `2022-01-28T09:55:10Z`.
        public var time: String?
        /// `step`, for transaction and API tests (a JSON string upstream, e.g. `"1"`).
        public var step: String?
        /// `hop_number`, for traceroute tests.
        public var hopNumber: String?
        /// `synthetic_metrics`: one value per metric field, `nil` where Catchpoint has none.
        public var values: [Double?]

        enum CodingKeys: String, CodingKey {
            case test = "breakdown_1"
            case node = "breakdown_2"
            case dimension
            case step
            case hopNumber = "hop_number"
            case values = "synthetic_metrics"
        }
        enum DimensionKeys: String, CodingKey { case name }

        public init(
            test: Breakdown?,
            node: Breakdown?,
            time: String?,
            step: String? = nil,
            hopNumber: String? = nil,
            values: [Double?]
        ) {
            self.test = test
            self.node = node
            self.time = time
            self.step = step
            self.hopNumber = hopNumber
            self.values = values
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            test = try? container.decodeIfPresent(Breakdown.self, forKey: .test)
            node = try? container.decodeIfPresent(Breakdown.self, forKey: .node)
            let dimension = try? container.nestedContainer(keyedBy: DimensionKeys.self, forKey: .dimension)
            time = try? dimension?.decodeIfPresent(String.self, forKey: .name)
            step = (try? container.decodeIfPresent(ScalarText.self, forKey: .step))?.text
            hopNumber = (try? container.decodeIfPresent(ScalarText.self, forKey: .hopNumber))?.text
            values = ((try? container.decodeIfPresent([ScalarText].self, forKey: .values)) ?? []).map(\.number)
        }
    }

    /// `breakdown_1` / `breakdown_2`: an id and a display name.
    public struct Breakdown: Sendable, Decodable, Equatable {
        /// The id as text (`142637`), however the JSON typed it.
        public var id: String?
        /// The display name.
        public var name: String?

        enum CodingKeys: String, CodingKey { case id, name }

        public init(id: String?, name: String? = nil) {
            self.id = id
            self.name = name
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = (try? container.decodeIfPresent(ScalarText.self, forKey: .id))?.text
            name = try? container.decodeIfPresent(String.self, forKey: .name)
        }
    }

    enum CodingKeys: String, CodingKey { case start, end, detail, error }
}

extension RawPerformance {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        start = try? container.decodeIfPresent(String.self, forKey: .start)
        end = try? container.decodeIfPresent(String.self, forKey: .end)
        // `"detail": null` means no data too (the Node client tolerates it; Python would crash).
        detail = try container.decodeIfPresent(Detail.self, forKey: .detail)
        error = try? container.decodeIfPresent(String.self, forKey: .error)
    }
}

/// A JSON scalar read as text (`142637` → `"142637"`, `"1"` → `"1"`) and as a number.
struct ScalarText: Decodable {
    let text: String?
    let number: Double?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = nil
            number = nil
        } else if let value = try? container.decode(Int64.self) {
            text = String(value)
            number = Double(value)
        } else if let value = try? container.decode(Double.self) {
            // An integral double is an id or a step written as 1.0: keep it an integer in text.
            text = value.rounded(.towardZero) == value && abs(value) < 9e15 ? String(Int64(value)) : String(value)
            number = value
        } else if let value = try? container.decode(String.self) {
            text = value
            number = Double(value).flatMap { $0.isFinite ? $0 : nil }
        } else if let value = try? container.decode(Bool.self) {
            text = String(value)
            number = nil
        } else {
            text = nil
            number = nil
        }
    }
}
