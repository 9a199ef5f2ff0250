/// Upstream's list pagination: `page` from 1, `per_page` clamped to `1...maxPerPage`, and a
/// `pagination` block of absolute URLs that repeat the request's query with `page=N`.
struct Pagination {
    let page: Int
    let perPage: Int
    let lastPage: Int
    private let linkPrefix: String

    /// Reads `page` and `per_page` from the request. Missing or unreadable values fall back to
    /// the defaults; out-of-range ones are clamped (upstream's behaviour is not documented).
    init(_ context: RouteContext, itemCount: Int, defaultPerPage: Int, maxPerPage: Int) {
        let request = context.request
        page = max(1, request.query("page").flatMap { Int($0) } ?? 1)
        perPage = min(maxPerPage, max(1, request.query("per_page").flatMap { Int($0) } ?? defaultPerPage))
        lastPage = max(1, (itemCount + perPage - 1) / perPage)
        // Everything but `page`, in the order and encoding the client sent, then `page=`.
        let kept = QueryString.pairs(request.rawQuery).filter { QueryString.decode($0.name) != "page" }
        let query = kept.map { "\($0.name)=\($0.value)" } + ["page="]
        linkPrefix = context.baseURL + request.path + "?" + query.joined(separator: "&")
    }

    /// The items on the requested page (empty beyond the last page).
    func slice<T>(_ items: [T]) -> ArraySlice<T> {
        let start = (page - 1) * perPage
        guard start < items.count else { return [] }
        return items[start..<min(items.count, start + perPage)]
    }

    /// `{"first", "last", "prev", "next"}`.
    var json: JSON {
        .object([
            ("first", .string(link(1))),
            ("last", .string(link(lastPage))),
            ("prev", page > 1 ? .string(link(page - 1)) : .null),
            ("next", page < lastPage ? .string(link(page + 1)) : .null),
        ])
    }

    private func link(_ page: Int) -> String { linkPrefix + String(page) }

    /// `{"data": [...], "pagination": {...}}` for the requested page of `items`.
    static func list<T>(
        _ items: [T],
        context: RouteContext,
        defaultPerPage: Int = 50,
        maxPerPage: Int = 250,
        render: (T) -> JSON
    ) -> SandboxResponse {
        let pagination = Pagination(
            context,
            itemCount: items.count,
            defaultPerPage: defaultPerPage,
            maxPerPage: maxPerPage
        )
        return .json(.object([("data", .array(pagination.slice(items).map(render))), ("pagination", pagination.json)]))
    }
}
