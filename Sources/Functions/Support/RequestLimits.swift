import FastCGIRuntime
import Synchronization
import TTLCache
import UpstreamHTTP

/// Every bound one request lives within, enforced in one place: ``guarding(_:isExpensive:)`` wraps
/// every function the router serves (docs/limits-and-security.md, "Limits", lists them with their config keys).
///
/// - a deadline: the function's task is cancelled at it (its upstream calls with it) and the client
///   gets a 504;
/// - an upstream call budget: loads that are not cache hits, counted by ``RequestBudget``, which
///   the caches consult before each load they would start for this request;
/// - output bounds decided before the work: targets per `/query`, points per answer, and a last
///   check of the answer's bytes;
/// - a cap on expensive requests running at once per worker, so cheap ones (`GET /`) keep flowing
///   while expensive ones queue (within their deadline).
///
/// Parser bounds (target length, JSON depth, filter count, time values) are constants next to
/// the parsers: see ``InputBounds``.
public struct RequestLimits: Sendable {
    /// `limits.deadline_seconds`.
    public var deadline: Duration
    /// `limits.upstream_calls`: upstream loads one request may cause that are not cache hits.
    public var upstreamCalls: Int
    /// `limits.max_targets`: targets in one `/query`.
    public var maxTargets: Int
    /// `limits.max_points`: data points (or table rows) in one answer, over every series.
    public var maxPoints: Int
    /// `limits.max_answer_bytes`: the largest answer body.
    public var maxAnswerBytes: Int
    /// `limits.max_concurrent`: expensive requests running at once in this worker.
    public var maxConcurrent: Int

    public init(
        deadline: Duration = .seconds(30),
        upstreamCalls: Int = 40,
        maxTargets: Int = 20,
        maxPoints: Int = 200_000,
        maxAnswerBytes: Int = 16 << 20,
        maxConcurrent: Int = 4
    ) {
        self.deadline = deadline
        self.upstreamCalls = max(1, upstreamCalls)
        self.maxTargets = max(1, maxTargets)
        self.maxPoints = max(1, maxPoints)
        self.maxAnswerBytes = max(1024, maxAnswerBytes)
        self.maxConcurrent = max(1, maxConcurrent)
    }

    /// The refusal a client gets past a bound: a JSON 422 naming the limit, its value and, where it
    /// can be said, what would fit.
    static func refusal(
        _ message: String,
        key: String,
        limit: Int,
        fits: String? = nil,
        extra: [(String, JSONWriter.Scalar)] = []
    ) -> HTTPError {
        var fields: [(String, JSONWriter.Scalar)] = [("limit", .string(key)), ("limit_value", .int(Int64(limit)))]
        if let fits { fields.append(("fits", .string(fits))) }
        return HTTPError(422, message, extra: fields + extra)
    }

    /// Wraps a function with the deadline, the upstream budget, the concurrency cap and the answer
    /// bound. `isExpensive` functions (everything that can reach an upstream or build a large
    /// answer) take one of ``maxConcurrent`` permits.
    func guarding(
        _ handler: @escaping Handler<FunctionContext>,
        gate: ConcurrencyGate?
    ) -> Handler<FunctionContext> {
        let limits = self
        return { request, context in
            let budget = RequestBudget(limits: limits)
            let deadline = ContinuousClock.now + limits.deadline
            let run: @Sendable () async throws -> Response = {
                try await UpstreamDeadline.$current.withValue(deadline) {
                try await RequestBudget.$current.withValue(budget) {
                    try await CacheLoadAdmission.$current.withValue(budget) {
                        if let gate { try await gate.acquire() }
                        defer { gate?.release() }
                        return try await handler(request, context)
                    }
                }
                }
            }
            var response: Response
            do {
                response = try await Deadline.run(limits.deadline, run)
            } catch is DeadlineExceeded {
                context.logger.warning(
                    "function passed its deadline",
                    metadata: ["path": "\(request.path)", "deadline_seconds": "\(limits.deadline.components.seconds)"]
                )
                response = HTTPError(
                    504,
                    "the request did not finish within its deadline",
                    extra: [
                        ("limit", .string("limits.deadline_seconds")),
                        ("limit_value", .int(limits.deadline.components.seconds)),
                    ]
                ).response(requestID: context.requestID)
            } catch is LoadNotAdmitted {
                response = Self.budgetRefusal(limits).response(requestID: context.requestID)
            } catch is CancellationError {
                // Abandoned (the client left, the worker is stopping): answered like the rest.
                response = HTTPError(503, "request cancelled").response(requestID: context.requestID)
            } catch let answer as any HTTPResponseError {
                // Rendered here rather than by the router, so refusals carry the budget header too.
                let error = answer.httpError
                if error.status >= 500 {
                    context.logger.warning("function failed", metadata: ["path": "\(request.path)", "status": "\(error.status)"])
                }
                response = error.response(requestID: context.requestID)
            }
            if response.body.count > limits.maxAnswerBytes {
                context.logger.notice(
                    "answer over limits.max_answer_bytes refused",
                    metadata: ["path": "\(request.path)", "bytes": "\(response.body.count)"]
                )
                response = refusal(
                    "the answer would be \(response.body.count) bytes, over the limit; narrow the time range, "
                        + "select fewer monitors or lower maxDataPoints",
                    key: "limits.max_answer_bytes",
                    limit: limits.maxAnswerBytes
                ).response(requestID: context.requestID)
            }
            response.headers.set("X-Uptime-Bridge-Upstream-Calls", String(budget.upstreamCallsMade))
            // A cache that cannot keep what it loads (an unwritable CGI cache directory) is visible
            // on every answer, not only in the log and the health check.
            if let problem = context.services.uptime?.cache.problem {
                response.headers.set("X-Uptime-Bridge-Cache-Problem", problem)
            }
            return response
        }
    }

    func refusal(_ message: String, key: String, limit: Int, fits: String? = nil) -> HTTPError {
        Self.refusal(message, key: key, limit: limit, fits: fits)
    }

    static func budgetRefusal(_ limits: RequestLimits) -> HTTPError {
        refusal(
            "the request needs more upstream calls than one request may make; narrow the time range or "
                + "select fewer monitors (cached data costs nothing, so a repeat may fit)",
            key: "limits.upstream_calls",
            limit: limits.upstreamCalls
        )
    }
}

/// What one request has spent of its upstream budget. Task-local for everything the request causes
/// (``current``), and the caches' ``LoadAdmission`` for it.
public final class RequestBudget: LoadAdmission {
    @TaskLocal public static var current: RequestBudget?

    public let limits: RequestLimits
    private let calls = Atomic<Int>(0)

    public init(limits: RequestLimits) {
        self.limits = limits
    }

    /// Admits a load while calls are left, counting it.
    public func admitLoad(key: String) -> Bool {
        var current = calls.load(ordering: .relaxed)
        while current < limits.upstreamCalls {
            let (exchanged, original) = calls.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .relaxed
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Upstream loads admitted so far.
    public var upstreamCallsMade: Int { calls.load(ordering: .relaxed) }

    /// Loads still allowed.
    public var upstreamCallsLeft: Int { max(0, limits.upstreamCalls - upstreamCallsMade) }
}

/// A FIFO counting semaphore for async tasks: at most `permits` holders; the rest wait in order.
/// A waiter cancelled (its deadline passed) leaves the queue without taking a permit.
final class ConcurrencyGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    init(permits: Int) {
        state = Mutex(State(available: max(1, permits)))
    }

    func acquire() async throws {
        let id: UInt64 = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resume: Bool = state.withLock { state in
                    if Task.isCancelled { return false }
                    if state.available > 0, state.waiters.isEmpty {
                        state.available -= 1
                        return true
                    }
                    state.waiters.append((id, continuation))
                    return false
                }
                if resume {
                    continuation.resume()
                } else if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            let waiter: CheckedContinuation<Void, any Error>? = state.withLock { state in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func release() {
        let next: CheckedContinuation<Void, any Error>? = state.withLock { state in
            if state.waiters.isEmpty {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst().continuation
        }
        next?.resume()
    }
}

struct DeadlineExceeded: Error {}

/// Runs an operation against a deadline without waiting for it past the deadline: the operation runs
/// in its own task (task-local values travel with it), which is cancelled at the deadline (kept by
/// ``DeadlineWatch``, not by a sleeping task per request); the
/// caller is answered at once, whatever the cancelled work still has to unwind (a shared cache load
/// it was waiting for, for example, goes on for the other requests waiting for it).
enum Deadline {
    static func run<T: Sendable>(
        _ deadline: Duration,
        watch: DeadlineWatch = .shared,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        let work = Task { race.finish(with: await Result { try await operation() }) }
        let timer = watch.watch(until: .now + deadline) {
            race.finish(with: .failure(DeadlineExceeded()))
        }
        let result = await withTaskCancellationHandler {
            await race.value()
        } onCancel: {
            race.finish(with: .failure(CancellationError()))
        }
        watch.cancel(timer)
        if case .failure = result { work.cancel() }
        return try result.get()
    }

    /// The first of several results; later ones are dropped.
    private final class Race<T: Sendable>: Sendable {
        private struct State {
            var result: Result<T, any Error>?
            var waiter: CheckedContinuation<Result<T, any Error>, Never>?
        }

        private let state = Mutex(State())

        func finish(with result: Result<T, any Error>) {
            let waiter: CheckedContinuation<Result<T, any Error>, Never>? = state.withLock { state in
                guard state.result == nil else { return nil }
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: result)
        }

        func value() async -> Result<T, any Error> {
            await withCheckedContinuation { continuation in
                let ready: Result<T, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
