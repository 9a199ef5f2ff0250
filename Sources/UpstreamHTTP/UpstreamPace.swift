import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The deadline of the work the current task does for someone waiting (a request), set by whoever
/// owns the request scope. Upstream calls made without one (the push job, background sweeps) may
/// wait longer for their turn and sit out a rate-limit cool-down.
public enum UpstreamDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?
}

/// One pace for every call a deployment makes to a rate-limited upstream (Better Stack): a token
/// bucket kept as a GCRA ("virtual scheduling": each call reserves the next free slot, so waiters
/// leave in order and never stampede), plus a cool-down after a 429.
///
/// - Rate and burst: calls are spaced `1/rate` apart; up to `burst` may go at once after a quiet
///   spell. Better Stack publishes no limit; its own Terraform provider keeps to about 8/s.
/// - A call waits for its slot while that is before the caller's ``UpstreamDeadline``; otherwise it
///   is refused at once (``PaceRefusal``) so the caller can answer from its cache.
/// - A 429 starts a cool-down: `Retry-After` when the upstream gives one, else 10 s doubling per
///   consecutive 429 up to 300 s (the vendor's provider waits 10–300 s). During it, callers with a
///   deadline are refused at once — no storm of retries from a storm of viewers — and callers
///   without one (push) wait it out, up to ``Settings/longestWait``.
///
/// The state lives in a ``PaceStore``: in memory for one process, or in a small lock-protected file
/// shared by every process using it (CGI processes of one cache directory).
public final class UpstreamPace: Sendable {
    public struct Settings: Sendable, Equatable {
        /// Calls per second.
        public var rate: Double
        /// Calls allowed at once after a quiet spell (at least 1).
        public var burst: Int
        /// The first cool-down after a 429 without `Retry-After`; it doubles per consecutive 429.
        public var coolDownBase: Duration
        /// The longest cool-down.
        public var coolDownMax: Duration
        /// The longest a caller without a deadline waits for its turn.
        public var longestWait: Duration

        public init(
            rate: Double = 8,
            burst: Int = 4,
            coolDownBase: Duration = .seconds(10),
            coolDownMax: Duration = .seconds(300),
            longestWait: Duration = .seconds(330)
        ) {
            self.rate = max(0.001, rate)
            self.burst = max(1, burst)
            self.coolDownBase = coolDownBase
            self.coolDownMax = coolDownMax
            self.longestWait = longestWait
        }

        /// The same total rate split among `parts` processes (each at least one call per ten
        /// seconds and a burst of one).
        public func divided(by parts: Int) -> Settings {
            guard parts > 1 else { return self }
            var settings = self
            settings.rate = max(0.1, rate / Double(parts))
            settings.burst = max(1, burst / parts)
            return settings
        }
    }

    /// What the pace remembers between calls; wall-clock milliseconds so that several processes
    /// can share it.
    public struct State: Sendable, Equatable {
        /// Theoretical arrival time of the next call (GCRA).
        public var nextSlot: Int64 = 0
        /// No call before this time (a 429's cool-down).
        public var coolDownUntil: Int64 = 0
        /// 429s in a row (reset by a success), for the doubling cool-down.
        public var consecutiveRateLimits: Int = 0

        public init() {}
    }

    /// Counters for `/metrics`.
    public struct Statistics: Sendable, Equatable {
        public var rateLimited = 0
        public var coolDowns = 0
        public var refused = 0
        public var waits = 0
    }

    public let settings: Settings
    private let store: any PaceStore
    private let clock: @Sendable () -> Int64
    private let counters = Mutex(Statistics())

    public init(settings: Settings = Settings(), store: any PaceStore = MemoryPaceStore(), clock: @escaping @Sendable () -> Int64 = UpstreamPace.wallClock) {
        self.settings = settings
        self.store = store
        self.clock = clock
    }

    public static let wallClock: @Sendable () -> Int64 = {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// Waits for this call's turn. Throws ``PaceRefusal`` when the turn would come after the
    /// caller's deadline (or, during a cool-down, at once for a caller with a deadline), and
    /// `CancellationError` when the task is cancelled while waiting.
    public func acquire() async throws {
        let deadline = UpstreamDeadline.current
        let now = clock()
        let interval = Int64((1000 / settings.rate).rounded(.up))
        let tolerance = interval * Int64(settings.burst - 1)
        // The latest start this caller accepts, in wall milliseconds.
        let latest: Int64
        if let deadline {
            let left = ContinuousClock.now.duration(to: deadline)
            latest = now + max(0, Int64(left.components.seconds) * 1000 + Int64(left.components.attoseconds / 1_000_000_000_000_000))
        } else {
            latest = now + Int64(settings.longestWait.components.seconds) * 1000
        }
        let decision: Result<Int64, PaceRefusal> = store.withState { state in
            if state.coolDownUntil > now, deadline != nil {
                return .failure(PaceRefusal(retryAfterMilliseconds: state.coolDownUntil - now, coolingDown: true))
            }
            let base = max(state.nextSlot, now)
            let start = max(base - tolerance, now, state.coolDownUntil)
            guard start <= latest else {
                return .failure(PaceRefusal(retryAfterMilliseconds: start - now, coolingDown: state.coolDownUntil > now))
            }
            state.nextSlot = max(base, start) + interval
            return .success(start)
        }
        switch decision {
        case .failure(let refusal):
            counters.withLock { $0.refused += 1 }
            throw refusal
        case .success(let start):
            if start > now {
                counters.withLock { $0.waits += 1 }
                try await Task.sleep(for: .milliseconds(start - now))
            }
        }
    }

    /// A 429: starts (or extends) the cool-down and returns its length.
    @discardableResult
    public func rateLimited(retryAfter: Duration?) -> Duration {
        let now = clock()
        let length: Int64 = store.withState { state in
            let wait: Int64
            if let retryAfter {
                wait = max(1000, Int64(retryAfter.components.seconds) * 1000)
            } else {
                let doubling = min(state.consecutiveRateLimits, 10)
                let base = Int64(settings.coolDownBase.components.seconds) * 1000
                wait = min(base << doubling, Int64(settings.coolDownMax.components.seconds) * 1000)
            }
            state.consecutiveRateLimits += 1
            state.coolDownUntil = max(state.coolDownUntil, now + wait)
            return state.coolDownUntil - now
        }
        counters.withLock {
            $0.rateLimited += 1
            $0.coolDowns += 1
        }
        return .milliseconds(length)
    }

    /// A call that was not rate-limited: the next 429 starts from the base cool-down again.
    public func succeeded() {
        store.withState { state in
            if state.consecutiveRateLimits != 0 { state.consecutiveRateLimits = 0 }
        }
    }

    /// The cool-down still to run, if any.
    public var coolDownRemaining: Duration? {
        let now = clock()
        let until = store.withState { $0.coolDownUntil }
        return until > now ? .milliseconds(until - now) : nil
    }

    public var statistics: Statistics { counters.withLock { $0 } }
}

/// A call the pace did not let through in time.
public struct PaceRefusal: Error, Sendable, CustomStringConvertible {
    /// When a call could go at the earliest.
    public var retryAfterMilliseconds: Int64
    /// Refused because of a 429 cool-down (rather than the rate).
    public var coolingDown: Bool

    public var retryAfter: Duration { .milliseconds(max(0, retryAfterMilliseconds)) }

    public var description: String {
        coolingDown
            ? "cooling down after a 429 for \(retryAfterMilliseconds / 1000 + 1) s"
            : "no upstream call slot before the deadline (next in \(retryAfterMilliseconds) ms)"
    }
}

/// Where a pace keeps its ``UpstreamPace/State``.
public protocol PaceStore: Sendable {
    /// Runs `body` on the state, exclusively (across processes for a shared store).
    func withState<T: Sendable>(_ body: (inout UpstreamPace.State) -> T) -> T
}

/// The state in this process's memory.
public final class MemoryPaceStore: PaceStore {
    private let state = Mutex(UpstreamPace.State())

    public init() {}

    public func withState<T: Sendable>(_ body: (inout UpstreamPace.State) -> T) -> T {
        state.withLock { body(&$0) }
    }
}

/// The state in a small file shared by every process that opens it (`flock`, then read, update,
/// write in place): the CGI processes of one cache directory keep one pace between them. Opened
/// with `O_NOFOLLOW`; a file that cannot be used degrades to this process's memory (the pace then
/// holds per process), never to no pace.
public final class FilePaceStore: PaceStore {
    public let path: String
    private let fallback = MemoryPaceStore()
    private let lock = Mutex(())

    public init(path: String) {
        self.path = path
    }

    public func withState<T: Sendable>(_ body: (inout UpstreamPace.State) -> T) -> T {
        lock.withLock { _ in
            let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return fallback.withState(body) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid() else {
                return fallback.withState(body)
            }
            while flock(fd, LOCK_EX) != 0 {
                if errno != EINTR { return fallback.withState(body) }
            }
            defer { _ = flock(fd, LOCK_UN) }
            var raw = [Int64](repeating: 0, count: 3)
            let read = raw.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            var state = UpstreamPace.State()
            if read == 24 {
                state.nextSlot = raw[0]
                state.coolDownUntil = raw[1]
                state.consecutiveRateLimits = Int(clamping: raw[2])
            }
            let before = state
            let result = body(&state)
            if state != before {
                raw = [state.nextSlot, state.coolDownUntil, Int64(state.consecutiveRateLimits)]
                _ = raw.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            }
            return result
        }
    }
}
