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
    /// libfcgi's `FCGI_WEB_SERVER_ADDRS`: the IPv4 peers allowed on a TCP socket (nil: any).
    let allowedPeers: Set<UInt32>? = FastCGIServer.webServerAddresses(getenv("FCGI_WEB_SERVER_ADDRS").map { String(cString: $0) })

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
    /// - Parameters:
    ///   - sharedListener: true when the listening socket was inherited (systemd socket activation,
    ///     spawn-fcgi, a supervising master, mod_fcgid): the spawner and other workers may hold the same
    ///     socket, so stopping must not `shutdown()` it (a shut-down socket refuses every later
    ///     connection, for systemd's next activation and the other workers too). The accept threads are
    ///     then woken with a signal instead, and only ever while they wait in `accept()`.
    ///   - onReady: called once, on this thread, when every accept thread waits for connections (a
    ///     supervised worker tells its master with it).
    public func run(listenFD: Int32, sharedListener: Bool = false, onReady: (() -> Void)? = nil) {
        // libfcgi closes a connection with shutdown(SHUT_WR) and then polls up to 2 s for nginx to
        // close its side; on a task that would block a cooperative thread for an nginx round trip per
        // request. The runtime always reads the request's input to its end, so nothing unread is left
        // to turn the close into a reset, and the wait can be skipped. An operator's value wins.
        setenv("LIBFCGI_OS_CLOSE_POLL_TIMEOUT", "0", 0)
        FCGX_Init()
        if sharedListener { AcceptWakeup.install() }
        var threads: [AcceptThread] = []
        for index in 0..<configuration.acceptThreads {
            let state = AcceptThreadState(wakeable: sharedListener)
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
        if let onReady {
            // Each thread marks itself just before it unblocks the wake-up signal and calls accept().
            let deadline = ContinuousClock.now + .seconds(2)
            while threads.contains(where: { !$0.state.isInAccept }), ContinuousClock.now < deadline { usleep(500) }
            onReady()
        }
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

    /// Wakes every thread waiting in `accept()`. A socket of our own is shut down: every `accept()` then
    /// fails with `EINVAL`. A shared one is left intact and each thread still waiting in `accept()` gets
    /// ``AcceptWakeup/signal``: its `accept()` fails with `EINTR` and the thread sees the stop flag.
    /// The signal is repeated because it can land just before the thread enters `accept()`. It never
    /// interrupts anything else: the threads keep it blocked outside `accept()` (see
    /// ``acceptConnection(listenFD:state:wakeable:)``), so a connection already accepted is always
    /// read and answered, not dropped.
    func stop(listenFD: Int32, threads: [AcceptThread], sharedListener: Bool) {
        stopping.store(true, ordering: .sequentiallyConsistent)
        if !sharedListener { shutdown(listenFD, Int32(SHUT_RDWR)) }
        // Accept threads waiting for capacity are released so they can see the flag.
        for _ in 0..<configuration.acceptThreads { capacity.signal() }
        // Waits (up to the grace period) for every accept loop to return, signalling those of a shared
        // socket that are still waiting in accept().
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
    ///
    /// The thread accepts connections itself and hands each to libfcgi, which then only reads and
    /// writes it (`FCGX_Accept_r` on a request whose connection is already open does not call
    /// `accept()`). libfcgi's own accept path is never used: after accepting on a unix socket it polls
    /// the new connection for up to 2 s, and a wake-up signal landing there or in its first reads
    /// would drop a request that was already accepted.
    func acceptLoop(listenFD: Int32, state: AcceptThreadState) {
        defer { state.finished.store(true, ordering: .releasing) }
        let wakeable = state.wakeable
        if wakeable { AcceptWakeup.block() }
        while !stopping.load(ordering: .relaxed) {
            capacity.wait()
            if stopping.load(ordering: .relaxed) { break }
            guard let connection = acceptConnection(listenFD: listenFD, state: state, wakeable: wakeable) else {
                capacity.signal()
                continue
            }
            // Requests from this pool have no listening socket: were libfcgi ever to try accept() itself
            // (after a protocol error on the connection) it fails at once instead of blocking.
            let request = pool.take(listenFD: -1)
            request.pointer.pointee.ipcFd = connection
            // FCGX_Accept_r first finishes the request object it is given; kept, the connection
            // handed over here stays open and is read instead of accepting another one.
            request.pointer.pointee.keepConnection = 1
            guard FCGX_Accept_r(request.pointer) >= 0 else {
                // libfcgi closed the connection: the peer hung up before its parameters, or did not
                // speak FastCGI.
                pool.give(request)
                capacity.signal()
                continue
            }
            // Keep-alive FastCGI connections would pin this request object (and an accept thread) to
            // an idle nginx connection; closing after each request avoids that trap.
            request.pointer.pointee.keepConnection = 0
            inFlight.enter()
            accepted(request)
        }
    }

    /// Accepts one connection, or returns nil (stopping, a connection aborted by its peer, a
    /// transient failure after a short pause).
    ///
    /// On a shared listener the wake-up signal is unblocked only around `accept()`. A wake-up sent
    /// while the thread is elsewhere stays pending until the thread next gets here, where it sees
    /// the stop flag first; so the reads and writes of an accepted request are never interrupted.
    func acceptConnection(listenFD: Int32, state: AcceptThreadState, wakeable: Bool) -> Int32? {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        state.inAccept.store(true, ordering: .sequentiallyConsistent)
        if wakeable { AcceptWakeup.unblock() }
        var fd: Int32 = -1
        var failure: Int32 = 0
        if !stopping.load(ordering: .sequentiallyConsistent) {
            fd = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listenFD, $0, &length) }
            }
            failure = errno
            if fd < 0, failure == EAGAIN || failure == EWOULDBLOCK {
                // A non-blocking listening socket (set so by whoever shares it): wait until it is
                // readable (the wake-up signal interrupts poll as it does accept), then try again.
                var entry = pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, -1)
            }
        }
        if wakeable { AcceptWakeup.block() }
        state.inAccept.store(false, ordering: .releasing)
        guard fd >= 0 else {
            if stopping.load(ordering: .relaxed) { return nil }
            switch failure {
            case EINTR, ECONNABORTED, EPROTO, ECONNRESET, EAGAIN, ENETDOWN, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN:
                return nil
            default:
                // EMFILE, ENFILE, ENOBUFS, ENOMEM…: back off briefly instead of spinning.
                usleep(10_000)
                return nil
            }
        }
        // Not close-on-exec, as libfcgi left it: a worker executes nothing (one system call less).
        if Int32(address.ss_family) == AF_INET {
            // As libfcgi does for TCP: no replies to outgoing data, so no Nagle delay; and only the
            // web servers listed in FCGI_WEB_SERVER_ADDRS, when it is set.
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if let allowed = allowedPeers {
                let peer = withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                }
                guard allowed.contains(peer) else {
                    close(fd)
                    return nil
                }
            }
        }
        return fd
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
        // What needs no waiting (the health check, an unknown path, a wrong method) is answered on
        // this thread: a task hop would cost more than the answer.
        if let response = router.respondImmediately(to: gateway.request, context: context) {
            finish(request, response, requestID: requestID, path: gateway.request.path, started: started, logLines: sink.drain())
            return
        }
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
    /// Woken with ``AcceptWakeup/signal`` at shutdown (a shared listener), rather than by `shutdown()`.
    let wakeable: Bool
    /// About to wait, or waiting, in `accept()` (the only place a wake-up signal may interrupt).
    let inAccept = Atomic<Bool>(false)
    /// The accept loop has returned.
    let finished = Atomic<Bool>(false)

    init(wakeable: Bool) { self.wakeable = wakeable }

    var isFinished: Bool { finished.load(ordering: .acquiring) }
    var isInAccept: Bool { inAccept.load(ordering: .acquiring) }
}

/// The signal that interrupts `accept()` in an accept thread when the listening socket is shared and
/// must not be shut down. Its handler does nothing; it is installed without `SA_RESTART`, so the
/// interrupted `accept()` fails with `EINTR` instead of being restarted. Sent with `pthread_kill` to
/// accept threads only, which keep it blocked except while they wait in `accept()`.
enum AcceptWakeup {
    static let signal = SIGUSR2

    /// Installs the handler and blocks the signal in the calling thread, so that the accept threads
    /// it then creates start with it blocked whatever the spawner's mask was.
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(signal, &action, nil)
        block()
    }

    static func block() {
        var set = signalSet
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func unblock() {
        var set = signalSet
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    private static var signalSet: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, signal)
        return set
    }
}

extension FastCGIServer {
    /// Parses `FCGI_WEB_SERVER_ADDRS` (comma-separated IPv4 addresses) as libfcgi does.
    static func webServerAddresses(_ text: String?) -> Set<UInt32>? {
        guard let text, !text.isEmpty else { return nil }
        var result: Set<UInt32> = []
        for part in text.split(separator: ",") {
            var address = in_addr()
            let trimmed = String(part.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
            if inet_pton(AF_INET, trimmed, &address) == 1 { result.insert(address.s_addr) }
        }
        return result
    }
}

/// Carries a request across the hop from its accept thread to its task. The request object is used by
/// one thread at a time: the accept thread hands it over and never touches it again.
private struct Handoff: @unchecked Sendable {
    let request: FCGXRequest
    let gateway: GatewayRequest
}
