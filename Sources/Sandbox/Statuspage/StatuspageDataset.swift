/// The sandbox's status pages: the two fixture pages (`discord`, `incident-example`) and the
/// generated `page-1…page-N`. Generated pages are built when first asked for and their
/// payloads cached (the data never changes during a run).
final class StatuspageDataset: Sendable {
    /// Slugs of the fixture pages, in listing order.
    static let fixtureSlugs = ["discord", "incident-example"]

    let generatedCount: Int
    let seed: UInt64
    let now: Int64
    private let fixtures: [String: StatuspageSite]
    private let rendered = RenderedCache<String>(budgetBytes: 16 * 1024 * 1024)

    init(generatedCount: Int, seed: UInt64, now: Int64) {
        self.generatedCount = max(0, generatedCount)
        self.seed = seed
        self.now = now
        self.fixtures = ["discord": .discord(), "incident-example": .incidentExample()]
    }

    /// Every slug served: the fixture pages, then `page-1…page-N`.
    var slugs: [String] {
        Self.fixtureSlugs + (0..<generatedCount).map { "page-\($0 + 1)" }
    }

    /// The page behind `slug`, or `nil` when there is none.
    func site(_ slug: String) -> StatuspageSite? {
        if let fixture = fixtures[slug] { return fixture }
        return generatedIndex(slug).map { StatuspageGenerator.site(index: $0, seed: seed, now: now) }
    }

    /// The body of `endpoint` for `slug`, or `nil` for an unknown page.
    func payload(_ slug: String, _ endpoint: StatuspageSite.Endpoint) -> [UInt8]? {
        guard fixtures[slug] != nil || generatedIndex(slug) != nil else { return nil }
        return rendered.bytes(for: "\(slug)/\(endpoint.rawValue)") { site(slug)?.payload(endpoint) ?? [] }
    }

    /// `n` for `page-n` with 1 ≤ n ≤ N, spelled without leading zeros.
    private func generatedIndex(_ slug: String) -> Int? {
        guard slug.hasPrefix("page-"), let index = Int(slug.dropFirst(5)), index >= 1, index <= generatedCount,
            slug == "page-\(index)"
        else { return nil }
        return index
    }
}
