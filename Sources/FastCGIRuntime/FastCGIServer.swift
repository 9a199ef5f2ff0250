import CFastCGI
import Dispatch
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Settings of the FastCGI responder.
public struct FastCGIConfiguration: Sendable {
    /// Threads blocked in `FCGX_Accept_r`. They only accept and read requests; functions run as tasks,
    /// so a few threads serve many slow requests at once.
    public var acceptThreads: Int
    /// Requests accepted but not yet answered, at most. Past it the accept threads wait and new
    /// connections queue in the listen backlog instead of growing memory.
    public var maxInFlight: Int
    /// How long a stopping process waits for in-flight requests before it exits anyway.
    public var shutdownGrace: Duration
    public var gateway: GatewayOptions

    public init(
        acceptThreads: Int = 4,
        maxInFlight: Int = 512,
        shutdownGrace: Duration = .seconds(10),
        gateway: GatewayOptions = GatewayOptions()
    ) {
        self.acceptThreads = max(1, acceptThreads)
        self.maxInFlight = max(1, maxInFlight)
        self.shutdownGrace = shutdownGrace
        self.gateway = gateway
    }
}

/// Called once per answered request with the route path, the status and the time taken, for metrics.
public typealias RequestObserver = @Sendable (_ path: String, _ status: Int, _ seconds: Double) -> Void

/// A threaded libfcgi responder that serves a ``Router``.
///
/// Each accept thread loops on `FCGX_Accept_r`, reads the parameters and the body, and hands the request
/// to a task; the task runs the function, writes the answer and finishes the request. A function that
/// waits on an upstream therefore holds no thread, and other requests keep being accepted and served.
public final class FastCGIServer<Context: RequestContext>: Sendable {
    let configuration: FastCGIConfiguration
    let router: Router<Context>
    let logger: Logger
    let makeContext: @Sendable (RequestInfo) -> Context
    let observer: RequestObserver?
    let requestIDs: RequestIDGenerator
    let pool = RequestPool()
    let capacity: DispatchSemaphore
    let inFlight = DispatchGroup()
    let stopping = Atomic<Bool>(false)

    public init(
        configuration: FastCGIConfiguration,
        router: Router<Context>,
        logger: Logger,
        observer: RequestObserver? = nil,
        makeContext: @escaping @Sendable (RequestInfo) -> Context
    ) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.makeContext = makeContext
        self.observer = observer
        self.requestIDs = RequestIDGenerator()
        self.capacity = DispatchSemaphore(value: configuration.maxInFlight)
    }

    /// Serves on `listenFD` until SIGTERM or SIGINT, then stops accepting, lets in-flight requests finish
    /// (up to the grace period) and returns.
    ///
    /// Call ``TerminationSignals/block()`` before anything starts threads (the HTTP client's event loops
    /// included), so that the signals reach this thread's `sigwait`.
    ///
    /// - Parameter sharedListener: true when the listening socket was inherited (systemd socket
    ///   activation, spawn-fcgi, mod_fcgid): the spawner may keep its own descriptor of the same
    ///   socket and hand it to the next process, so stopping must not `shutdown()` it (a shut-down
    ///   socket refuses every later connection, for systemd's next activation too). The accept
    ///   threads are then woken with a signal instead.
    public func run(listenFD: Int32, sharedListener: Bool = false) {
        // libfcgi closes a connection with shutdown(SHUT_WR) and then polls up to 2 s for nginx to
        // close its side; on a task that would block a cooperative thread for an nginx round trip per
        // request. The runtime always reads the request's input to its end, so nothing unread is left
        // to turn the close into a reset, and the wait can be skipped. An operator's value wins.
        setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0)
        FCGX_Init()
        if sharedListener { AcceptWakeup.install() }
        var threads: [AcceptThread] = []
        for index in 0..<configuration.acceptThreads {
            let state = AcceptThreadState()
            let id = startAcceptThread(index: index, listenFD: listenFD, state: state)
            threads.append(AcceptThread(id: id, state: state))
        }
        logger.info(
            "serving FastCGI",
            metadata: [
                "threads": "\(configuration.acceptThreads)", "max_in_flight": "\(configuration.maxInFlight)",
                "base_path": "\(configuration.gateway.basePath)",
            ]
        )
        let signal = TerminationSignals.wait()
        logger.info("stopping", metadata: ["signal": "\(signal)"])
        stop(listenFD: listenFD, threads: threads, sharedListener: sharedListener)
        // A thread still blocked in accept() after the grace period (it never saw the wake-up) is left
        // behind rather than joined: the process exits anyway instead of hanging.
        for thread in threads where thread.state.isFinished { pthread_join(thread.id, nil) }
        if threads.contains(where: { !$0.state.isFinished }) {
            logger.warning("an accept thread did not stop; exiting without it")
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(configuration.shutdownGrace.components.seconds) * 1_000_000_000)
        if inFlight.wait(timeout: deadline) == .timedOut {
            logger.warning("in-flight requests did not finish within the grace period; exiting anyway")
        }
    }

    /// Wakes every thread blocked in `accept()`. A socket of our own is shut down: every `accept()` then
    /// fails with `EINVAL`. A shared one is left intact and each thread still in `FCGX_Accept_r` gets
    /// ``AcceptWakeup/signal``: its `accept()` fails with `EINTR` and, with libfcgi's shutdown flag
    /// set, returns. The signal is repeated because it can land just before the thread enters
    /// `accept()` (libfcgi checks the flag, then calls `accept()`).
    func stop(listenFD: Int32, threads: [AcceptThread], sharedListener: Bool) {
        stopping.store(true, ordering: .sequentiallyConsistent)
        FCGX_ShutdownPending()
        if !sharedListener { shutdown(listenFD, Int32(SHUT_RDWR)) }
        // Accept threads waiting for capacity are released so they can see the flag.
        for _ in 0..<configuration.acceptThreads { capacity.signal() }
        // Waits (up to the grace period) for every accept loop to return, signalling those of a shared
        // socket that are still inside FCGX_Accept_r.
        let deadline = ContinuousClock.now + configuration.shutdownGrace
        while threads.contains(where: { !$0.state.isFinished }), ContinuousClock.now < deadline {
            if sharedListener {
                for thread in threads where !thread.state.isFinished && thread.state.isInAccept {
                    pthread_kill(thread.id, AcceptWakeup.signal)
                }
            }
            usleep(1_000)
        }
    }

    /// The accept loop of one thread. Runs until the responder stops.
    func acceptLoop(listenFD: Int32, state: AcceptThreadState) {
        defer { state.finished.store(true, ordering: .releasing) }
        while !stopping.load(ordering: .relaxed) {
            capacity.wait()
            if stopping.load(ordering: .relaxed) { break }
            let request = pool.take(listenFD: listenFD)
            // Only a thread inside FCGX_Accept_r is ever signalled at shutdown, never one reading a body.
            state.inAccept.store(true, ordering: .releasing)
            let status = FCGX_Accept_r(request.pointer)
            state.inAccept.store(false, ordering: .releasing)
            guard status >= 0 else {
                pool.give(request)
                capacity.signal()
                if stopping.load(ordering: .relaxed) { break }
                // A failed accept that is not a shutdown (EMFILE, ECONNABORTED…): back off briefly.
                usleep(10_000)
                continue
            }
            // Keep-alive FastCGI connections would pin this request object (and an accept thread) to
            // an idle nginx connection; closing after each request avoids that trap.
            request.pointer.pointee.keepConnection = 0
            inFlight.enter()
            accepted(request)
        }
    }

    private func accepted(_ request: FCGXRequest) {
        let started = ContinuousClock.now
        let environment = request.environment()
        let parsed: GatewayRequest
        do {
            parsed = try GatewayRequest.parse(environment: environment, options: configuration.gateway, isCGI: false)
        } catch {
            request.drainInput()
            finish(request, error.response(requestID: nil), requestID: nil, path: "-", started: started, logLines: [])
            return
        }
        var gateway = parsed
        switch request.readBody(declared: gateway.declaredLength, limit: configuration.gateway.maxBodyBytes) {
        case .success(let body):
            gateway.request.body = body
        case .failure(let error):
            request.drainInput()
            finish(request, error.response(requestID: nil), requestID: nil, path: gateway.request.path, started: started, logLines: [])
            return
        }
        let requestID = gateway.forwardedRequestID.flatMap(RequestIDGenerator.sanitized) ?? requestIDs.next()
        let sink = RequestLogSink()
        var requestLogger = logger
        requestLogger[metadataKey: "request-id"] = "\(requestID)"
        let context = makeContext(RequestInfo(requestID: requestID, logger: requestLogger.teeing(into: sink)))
        let handoff = Handoff(request: request, gateway: gateway)
        Task {
            let response = await self.router.respond(to: handoff.gateway.request, context: context)
            self.finish(
                handoff.request,
                response,
                requestID: requestID,
                path: handoff.gateway.request.path,
                started: started,
                logLines: sink.drain()
            )
        }
    }

    private func finish(
        _ request: FCGXRequest,
        _ response: Response,
        requestID: String?,
        path: String,
        started: ContinuousClock.Instant,
        logLines: [String]
    ) {
        request.write(ResponseEncoder.head(of: response, requestID: requestID))
        if !response.body.isEmpty { request.write(response.body) }
        for line in logLines { request.writeError(line + "\n") }
        // The input was read to its end (readBody, drainInput), so nothing is left unread and the
        // connection can simply be closed. Detached, libfcgi skips its lingering close (shutdown,
        // then poll and read for the peer's EOF): two system calls less per request.
        _ = FCGX_Detach(request.pointer)
        FCGX_Finish_r(request.pointer)
        pool.give(request)
        capacity.signal()
        if let observer {
            let elapsed = ContinuousClock.now - started
            observer(path, response.status, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        inFlight.leave()
    }
}

/// An accept thread and what ``FastCGIServer/stop(listenFD:threads:sharedListener:)`` needs to know of it.
struct AcceptThread {
    let id: pthread_t
    let state: AcceptThreadState
}

final class AcceptThreadState: Sendable {
    /// Inside `FCGX_Accept_r` (waiting in `accept()` or reading the parameters).
    let inAccept = Atomic<Bool>(false)
    /// The accept loop has returned.
    let finished = Atomic<Bool>(false)

    var isFinished: Bool { finished.load(ordering: .acquiring) }
    var isInAccept: Bool { inAccept.load(ordering: .acquiring) }
}

/// The signal that interrupts `accept()` in an accept thread when the listening socket is shared and
/// must not be shut down. Its handler does nothing; it is installed without `SA_RESTART`, so the
/// interrupted `accept()` fails with `EINTR` instead of being restarted. Sent with `pthread_kill` to
/// accept threads only.
enum AcceptWakeup {
    static let signal = SIGUSR2

    /// Installs the handler and unblocks the signal in the calling thread, so that the accept threads
    /// it then creates inherit an unblocked mask whatever the spawner's was (a process started from a
    /// libdispatch thread, for example, starts with most signals blocked).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

/// Carries a request across the hop from its accept thread to its task. The request object is used by
/// one thread at a time: the accept thread hands it over and never touches it again.
private struct Handoff: @unchecked Sendable {
    let request: FCGXRequest
    let gateway: GatewayRequest
}
