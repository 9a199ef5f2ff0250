/// A table-driven router: the first route whose pattern and method fit wins.
struct Router: Sendable {
    /// The outcome of looking up a request.
    enum Match {
        case found(Route, [String: String])
        /// The path exists but not for this method.
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    let routes: [Route]

    init(_ tables: [[Route]]) {
        self.routes = tables.flatMap { $0 }
    }

    /// Every named route, for validating fault settings.
    var routeNames: Set<RouteName> {
        Set(routes.compactMap(\.name))
    }

    func match(method: String, path: String) -> Match {
        let segments = RoutePattern.segments(of: path)
        var allowed: Set<String> = []
        for route in routes {
            guard let captures = route.pattern.match(segments) else { continue }
            if route.methods.contains(method) { return .found(route, captures) }
            allowed.formUnion(route.methods)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed.sorted())
    }
}
