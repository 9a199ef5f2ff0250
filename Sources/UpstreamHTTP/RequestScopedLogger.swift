import Logging

extension Logger {
    /// The logger of the request this task is serving, else `fallback`.
    ///
    /// The router binds each request's logger (its request id in the metadata; under FastCGI also
    /// copied to nginx's error log) with swift-log's `withLogger` for everything the function
    /// causes, child tasks included. Clients log through this, so an upstream warning names the
    /// request it happened for. Outside a request — the push job, `check`, a sweep started
    /// without one — `Logger.current` is swift-log's unbound default (an empty label) and the
    /// client's own logger is used. A cache load shared by several requests runs in the task of
    /// the request that started it, and logs under that request's id.
    public static func requestScoped(or fallback: Logger) -> Logger {
        let current = Logger.current
        return current.label.isEmpty ? fallback : current
    }
}
