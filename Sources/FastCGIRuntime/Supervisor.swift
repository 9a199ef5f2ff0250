import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What the master takes from the configuration; read again on SIGHUP.
public struct SupervisorSettings: Sendable, Equatable {
    /// Worker processes to keep running (at least 1).
    public var workers: Int
    /// The master's own log level.
    public var logLevel: Logger.Level

    public init(workers: Int, logLevel: Logger.Level = .info) {
        self.workers = max(1, workers)
        self.logLevel = logLevel
    }
}

/// How the master starts and watches its workers.
public struct SupervisorOptions: Sendable {
    /// The listening socket every worker gets as standard input (0 when it was inherited).
    public var listenFD: Int32
    /// What a worker executes: this binary, through /proc/self/exe (no fork without exec: forking a
    /// process that runs threads is unsafe).
    public var executable: String
    /// A worker's arguments, argv[0] included: the master's own, so it reads the same configuration.
    public var arguments: [String]
    /// A worker's environment, before the master adds its marker.
    public var environment: [String: String]
    /// How long stopping workers may take (they drain for up to 10 s) before they are killed.
    public var stopGrace: Duration
    /// How long a new worker may take to accept before it is given up.
    public var readinessTimeout: Duration
    /// A worker that dies sooner than this after it started (or before it accepted) died "right
    /// after start": it is restarted with a growing delay instead of at once.
    public var quickDeath: Duration
    public var backoffBase: Duration
    public var backoffCap: Duration

    public init(
        listenFD: Int32,
        executable: String = "/proc/self/exe",
        arguments: [String],
        environment: [String: String],
        stopGrace: Duration = .seconds(12),
        readinessTimeout: Duration = .seconds(30),
        quickDeath: Duration = .seconds(1),
        backoffBase: Duration = .milliseconds(100),
        backoffCap: Duration = .seconds(5)
    ) {
        self.listenFD = listenFD
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.stopGrace = stopGrace
        self.readinessTimeout = readinessTimeout
        self.quickDeath = quickDeath
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// The wait before restarting a worker that died right after start for the `count`th time in a
    /// row: base, 2×base, 4×base… at most the cap.
    public func backoff(afterQuickDeaths count: Int) -> Duration {
        guard count > 0 else { return .zero }
        let exponent = min(count - 1, 30)
        let delay = Supervisor.nanoseconds(backoffBase) * (Int64(1) << exponent)
        return .nanoseconds(min(delay, Supervisor.nanoseconds(backoffCap)))
    }
}

/// The master process: owns the listening socket, keeps N workers running on it, and never serves
/// a request itself.
///
/// A plain loop on `sigtimedwait` with every signal it handles blocked — no handlers, no threads, no
/// Swift concurrency — so there is little in it that could fail:
///
/// - a worker that dies is logged with its signal or exit status and started again at once; one that
///   dies right after start (before it accepted, or within ``SupervisorOptions/quickDeath``) again
///   after 0.1 s, 0.2 s, 0.4 s… at most ``SupervisorOptions/backoffCap``, and the log says so;
/// - SIGTERM or SIGINT: SIGTERM to every worker, which stops accepting and finishes its requests;
///   the master exits when all are gone (SIGKILL for those still there after the grace period). It
///   never shuts the socket down: an inherited one is systemd's or spawn-fcgi's to keep;
/// - SIGHUP: the reload closure validates the configuration again; if it is refused the workers go on
///   as they are. Otherwise the workers are replaced one at a time: a new worker starts, and once it
///   accepts, the old one of its slot gets SIGTERM and drains. All share the one listening socket, so
///   the kernel hands each connection to whichever accepts and none is refused meanwhile.
public final class Supervisor {
    struct Worker {
        let slot: Int
        let pid: pid_t
        let started: Int64
        /// The master's end of the readiness pipe; held until the worker is reaped (the worker
        /// watches it to notice a master that is gone).
        let pipe: Int32
        var ready = false
        /// The pipe ended without the readiness byte: nothing more to read from it.
        var pipeEnded = false
    }

    let options: SupervisorOptions
    var logger: Logger
    var desired: Int
    var serving: [Int: Worker] = [:]
    /// The new worker of a reload, not yet accepting; it takes over `slot` when it is.
    var candidate: Worker?
    /// Workers asked to stop (old ones of a reload, slots removed), until they exit.
    var retiring: [pid_t: Worker] = [:]
    var restartAt: [Int: Int64] = [:]
    var quickDeaths: [Int: Int] = [:]
    /// How the last worker of a slot died unasked, handed to its replacement to report
    /// (``SupervisedWorker/previousDeathEnvironmentKey``).
    var lastDeaths: [Int: String] = [:]
    /// Slots still to replace in the reload under way (nil: none under way).
    var reloadQueue: [Int]?
    var reloadAgain = false
    var stopping = false
    var stopDeadline: Int64 = 0
    var status: SupervisorStatus
    let statusFile: SupervisorStatusFile?
    let statusReadFD: Int32

    public init(options: SupervisorOptions, settings: SupervisorSettings, logger: Logger) {
        var options = options
        if options.listenFD > 0 {
            // Out of the way of the numbers a worker's descriptors get (0, 3, 4), and close-on-exec:
            // only the dup2 of each spawn passes it on.
            let moved = SupervisorStatusFile.moveHigh(options.listenFD)
            if moved >= 0 { options.listenFD = moved }
        }
        self.options = options
        self.logger = logger
        self.logger.logLevel = settings.logLevel
        self.desired = settings.workers
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        status = SupervisorStatus(
            masterStartTime: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9,
            workers: settings.workers
        )
        if let made = SupervisorStatusFile.create() {
            statusFile = made.file
            statusReadFD = made.readOnlyFD
        } else {
            statusFile = nil
            statusReadFD = -1
        }
    }

    /// Runs until SIGTERM or SIGINT and the last worker is gone; returns the exit status (0).
    /// `reload` is called on SIGHUP: new settings, or why the configuration is refused.
    public func run(reload: () -> Result<SupervisorSettings, SupervisorRefusal>) -> Int32 {
        var handled = Self.signalSet
        // Blocked signals wait for sigtimedwait whatever their disposition; default dispositions make
        // sure none was inherited as ignored (nohup) and that SIGCHLD leaves children to be reaped.
        for number in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { signal(number, SIG_DFL) }
        // A write to a closed stderr (journald restarting) must not kill the master.
        signal(SIGPIPE, SIG_IGN)
        pthread_sigmask(SIG_BLOCK, &handled, nil)
        if statusFile == nil {
            logger.warning("no status file for the workers (no writable TMPDIR, /tmp or /dev/shm): /metrics leaves out the master's counters")
        }
        publish()
        logger.info("master serving with \(desired) worker(s)", metadata: ["pid": "\(getpid())"])
        for slot in 0..<desired { start(slot: slot) }

        while true {
            reap()
            readReadiness()
            if stopping {
                if everyWorker.isEmpty { break }
                if Self.now() >= stopDeadline {
                    killRemaining()
                    break
                }
            } else {
                fillEmptySlots()
                startDueRestarts()
                checkReadinessDeadlines()
                advanceReload(reload)
            }
            var info = siginfo_t()
            let wait = nextTimeout()
            var timeout = timespec(tv_sec: Int(wait / 1_000_000_000), tv_nsec: Int(wait % 1_000_000_000))
            let received = sigtimedwait(&handled, &info, &timeout)
            switch received {
            case SIGTERM, SIGINT: beginStop(signal: received)
            case SIGHUP: beginReload(reload)
            default: break  // SIGCHLD, a timeout or EINTR: the loop looks at everything again.
            }
        }
        for worker in everyWorker { close(worker.pipe) }
        logger.info("master stopped")
        return 0
    }

    // MARK: - Starting

    @discardableResult
    func start(slot: Int) -> Bool {
        guard let worker = spawn(slot: slot) else {
            quickDeaths[slot, default: 0] += 1
            let delay = options.backoff(afterQuickDeaths: quickDeaths[slot] ?? 1)
            logger.error("cannot start worker \(slot); trying again in \(Self.seconds(delay))")
            restartAt[slot] = Self.now() + Self.nanoseconds(delay)
            return false
        }
        serving[slot] = worker
        logger.debug("started worker \(slot) (pid \(worker.pid))")
        return true
    }

    /// Executes the binary as a worker: the listening socket as fd 0, the readiness pipe as fd 3, the
    /// status file as fd 4, no signal blocked, and `UPTIME_BRIDGE_WORKER=<slot>` in its environment.
    func spawn(slot: Int) -> Worker? {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            logger.error("pipe(): \(String(cString: strerror(errno)))")
            return nil
        }
        let readEnd = SupervisorStatusFile.moveHigh(ends[0])
        let writeEnd = SupervisorStatusFile.moveHigh(ends[1])
        guard readEnd >= 0, writeEnd >= 0 else {
            if readEnd >= 0 { close(readEnd) }
            if writeEnd >= 0 { close(writeEnd) }
            logger.error("fcntl(F_DUPFD_CLOEXEC): \(String(cString: strerror(errno)))")
            return nil
        }
        defer { close(writeEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if options.listenFD != 0 { posix_spawn_file_actions_adddup2(&actions, options.listenFD, 0) }
        posix_spawn_file_actions_adddup2(&actions, writeEnd, SupervisedWorker.readinessFD)
        if statusReadFD >= 0 { posix_spawn_file_actions_adddup2(&actions, statusReadFD, SupervisedWorker.statusFD) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = Self.signalSet
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var environment = options.environment
        environment[SupervisedWorker.environmentKey] = String(slot)
        if let death = lastDeaths.removeValue(forKey: slot) {
            environment[SupervisedWorker.previousDeathEnvironmentKey] = death
        }
        if statusReadFD >= 0 { environment[SupervisedWorker.statusEnvironmentKey] = String(SupervisedWorker.statusFD) }
        let argv: [UnsafeMutablePointer<CChar>?] = options.arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let rc = posix_spawn(&pid, options.executable, &actions, &attributes, argv, envp)
        guard rc == 0 else {
            close(readEnd)
            logger.error("posix_spawn(\(options.executable)): \(String(cString: strerror(rc)))")
            return nil
        }
        return Worker(slot: slot, pid: pid, started: Self.now(), pipe: readEnd)
    }

    /// Every slot has a worker, a restart planned, or a reload's new worker on its way. (After an
    /// abandoned reload, a slot whose old worker died while the new one was starting has none.)
    func fillEmptySlots() {
        let pending = Set(reloadQueue ?? [])
        for slot in 0..<desired where serving[slot] == nil && restartAt[slot] == nil && candidate?.slot != slot {
            guard !pending.contains(slot) else { continue }
            restartAt[slot] = Self.now()
        }
    }

    func startDueRestarts() {
        let now = Self.now()
        for (slot, at) in restartAt where at <= now {
            restartAt[slot] = nil
            guard slot < desired, serving[slot] == nil, candidate?.slot != slot else { continue }
            start(slot: slot)
        }
    }

    /// Marks workers that wrote their readiness byte.
    func readReadiness() {
        var waiting: [(pid: pid_t, isCandidate: Bool)] = serving.values.filter { !$0.ready && !$0.pipeEnded }.map { ($0.pid, false) }
        if let candidate, !candidate.ready, !candidate.pipeEnded { waiting.append((candidate.pid, true)) }
        guard !waiting.isEmpty else { return }
        for (pid, isCandidate) in waiting {
            guard var worker = isCandidate ? candidate : serving.values.first(where: { $0.pid == pid }) else { continue }
            var entry = pollfd(fd: worker.pipe, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 0) > 0 else { continue }
            var byte: UInt8 = 0
            let count = read(worker.pipe, &byte, 1)
            if count == 1 {
                worker.ready = true
                logger.info("worker \(worker.slot) (pid \(worker.pid)) is accepting\(isCandidate ? " (new configuration)" : "")")
            } else if count == 0 || (count < 0 && errno != EINTR && errno != EAGAIN) {
                worker.pipeEnded = true
            }
            if isCandidate { candidate = worker } else { serving[worker.slot] = worker }
        }
    }

    /// A worker that never becomes ready is killed; its death is then handled as one right after start.
    func checkReadinessDeadlines() {
        let now = Self.now()
        let limit = Self.nanoseconds(options.readinessTimeout)
        for worker in serving.values where !worker.ready && now - worker.started > limit {
            logger.error("worker \(worker.slot) (pid \(worker.pid)) did not accept within \(Self.seconds(options.readinessTimeout)); killing it")
            kill(worker.pid, SIGKILL)
        }
    }

    // MARK: - Deaths

    func reap() {
        while true {
            var raw: Int32 = 0
            let pid = waitpid(-1, &raw, WNOHANG)
            if pid <= 0 { return }
            exited(pid: pid, status: raw)
        }
    }

    func exited(pid: pid_t, status raw: Int32) {
        let how = Self.describe(raw)
        if let worker = retiring.removeValue(forKey: pid) {
            close(worker.pipe)
            let signalled = raw & 0x7f
            if signalled == 0 || signalled == SIGTERM || signalled == SIGKILL {
                logger.info("worker \(worker.slot) (pid \(pid)) stopped: \(how)")
            } else {
                logger.warning("stopping worker \(worker.slot) (pid \(pid)) \(how)")
            }
            return
        }
        if let worker = candidate, worker.pid == pid {
            candidate = nil
            close(worker.pipe)
            if !stopping {
                abandonReload("the new worker \(worker.slot) (pid \(pid)) \(how) before it accepted")
            }
            return
        }
        guard let worker = serving.values.first(where: { $0.pid == pid }) else { return }
        serving[worker.slot] = nil
        close(worker.pipe)
        if stopping {
            logger.info("worker \(worker.slot) (pid \(pid)) stopped: \(how)")
            return
        }
        status.workerRestarts += 1
        publish()
        let lived = Self.now() - worker.started
        let quick = !worker.ready || lived < Self.nanoseconds(options.quickDeath)
        let age = Self.seconds(.nanoseconds(lived))
        lastDeaths[worker.slot] = "worker \(worker.slot) (pid \(pid)) \(how) after \(age)"
        if worker.slot >= desired || candidate?.slot == worker.slot {
            // Its slot is going away, or a reload's new worker is about to take it over.
            logger.error("worker \(worker.slot) (pid \(pid)) \(how) after \(age)")
            return
        }
        if quick {
            let count = quickDeaths[worker.slot, default: 0] + 1
            quickDeaths[worker.slot] = count
            let delay = options.backoff(afterQuickDeaths: count)
            restartAt[worker.slot] = Self.now() + Self.nanoseconds(delay)
            let when = worker.ready ? "\(age) after it started" : "before it accepted"
            logger.error(
                "worker \(worker.slot) (pid \(pid)) \(how) \(when) (\(count) time(s) in a row); backing off: restarting it in \(Self.seconds(delay))"
            )
        } else {
            quickDeaths[worker.slot] = nil
            logger.error("worker \(worker.slot) (pid \(pid)) \(how) after \(age); restarting it now")
            start(slot: worker.slot)
        }
    }

    // MARK: - Stopping

    func beginStop(signal number: Int32) {
        guard !stopping else {
            logger.info("\(Self.signalName(number)) again: already stopping")
            return
        }
        stopping = true
        stopDeadline = Self.now() + Self.nanoseconds(options.stopGrace)
        restartAt = [:]
        reloadQueue = nil
        reloadAgain = false
        let workers = everyWorker
        logger.notice("\(Self.signalName(number)): stopping \(workers.count) worker(s); they finish their requests first")
        for worker in workers { kill(worker.pid, SIGTERM) }
    }

    func killRemaining() {
        let remaining = everyWorker
        logger.warning("\(remaining.count) worker(s) still running after \(Self.seconds(options.stopGrace)); killing them")
        for worker in remaining { kill(worker.pid, SIGKILL) }
        // SIGKILL cannot be caught: they are gone in a moment.
        let deadline = Self.now() + 2_000_000_000
        while !everyWorker.isEmpty, Self.now() < deadline {
            reap()
            usleep(5_000)
        }
    }

    var everyWorker: [Worker] {
        Array(serving.values) + Array(retiring.values) + (candidate.map { [$0] } ?? [])
    }

    // MARK: - Reloading

    func beginReload(_ reload: () -> Result<SupervisorSettings, SupervisorRefusal>) {
        guard !stopping else { return }
        guard reloadQueue == nil else {
            reloadAgain = true
            logger.notice("SIGHUP during a reload: another one follows it")
            return
        }
        logger.notice("SIGHUP: reading the configuration again")
        switch reload() {
        case .failure(let refusal):
            status.reloadsRefused += 1
            publish()
            logger.error("reload refused: \(refusal.description); the workers keep the previous configuration")
        case .success(let settings):
            logger.logLevel = settings.logLevel
            let slots = max(desired, settings.workers)
            desired = settings.workers
            status.workers = desired
            publish()
            reloadQueue = Array(0..<slots)
            logger.notice("replacing the workers one at a time (\(desired) worker(s))")
        }
    }

    /// One step of the rolling replacement: start the next slot's new worker, or hand its slot over
    /// once it accepts (the old worker then drains), or finish.
    func advanceReload(_ reload: () -> Result<SupervisorSettings, SupervisorRefusal>) {
        guard var queue = reloadQueue else { return }
        if let worker = candidate {
            if worker.ready {
                candidate = nil
                if let old = serving[worker.slot] { retire(old) }
                serving[worker.slot] = worker
                restartAt[worker.slot] = nil
                quickDeaths[worker.slot] = nil
                if !queue.isEmpty { queue.removeFirst() }
            } else if Self.now() - worker.started > Self.nanoseconds(options.readinessTimeout) {
                candidate = nil
                retiring[worker.pid] = worker
                kill(worker.pid, SIGKILL)
                abandonReload("the new worker \(worker.slot) did not accept within \(Self.seconds(options.readinessTimeout))")
                return
            } else {
                return
            }
        }
        while let slot = queue.first, slot >= desired {
            // A slot the new configuration no longer has.
            queue.removeFirst()
            restartAt[slot] = nil
            if let old = serving.removeValue(forKey: slot) { retire(old) }
        }
        if let slot = queue.first {
            guard let worker = spawn(slot: slot) else {
                reloadQueue = queue
                abandonReload("cannot start a new worker \(slot)")
                return
            }
            candidate = worker
            reloadQueue = queue
            return
        }
        reloadQueue = nil
        status.reloadsApplied += 1
        publish()
        logger.notice("reload done: \(desired) worker(s) on the new configuration")
        if reloadAgain {
            reloadAgain = false
            beginReload(reload)
        }
    }

    func retire(_ worker: Worker) {
        retiring[worker.pid] = worker
        kill(worker.pid, SIGTERM)
    }

    func abandonReload(_ why: String) {
        reloadQueue = nil
        reloadAgain = false
        status.reloadsRefused += 1
        publish()
        logger.error("reload abandoned: \(why); workers not yet replaced keep the previous configuration")
    }

    // MARK: - Helpers

    func publish() {
        statusFile?.write(status)
    }

    /// Nanoseconds until the loop must look again: soon while a worker is starting (its readiness is
    /// polled), else at the next restart or the stop deadline, at most a second.
    func nextTimeout() -> Int64 {
        let now = Self.now()
        var next: Int64 = 1_000_000_000
        let starting = serving.values.contains { !$0.ready && !$0.pipeEnded } || (candidate.map { !$0.ready } ?? false)
        if starting { next = 5_000_000 }
        for at in restartAt.values { next = min(next, max(0, at - now)) }
        if stopping { next = min(next, max(0, stopDeadline - now), 50_000_000) }
        return max(next, 1_000_000)
    }

    static var signalSet: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&set, number) }
        return set
    }

    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000
    }

    /// "0.4 s", "12.0 s".
    static func seconds(_ duration: Duration) -> String {
        let tenths = (max(0, nanoseconds(duration)) + 50_000_000) / 100_000_000
        return "\(tenths / 10).\(tenths % 10) s"
    }

    /// What a wait status says: "exited with status 1", "was killed by signal 11 (SIGSEGV), core dumped".
    public static func describe(_ status: Int32) -> String {
        let number = status & 0x7f
        if number == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let core = status & 0x80 != 0 ? ", core dumped" : ""
        return "was killed by signal \(number) (\(signalName(number)))\(core)"
    }

    public static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGTRAP: "SIGTRAP",
            SIGABRT: "SIGABRT", SIGBUS: "SIGBUS", SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGUSR1: "SIGUSR1",
            SIGSEGV: "SIGSEGV", SIGUSR2: "SIGUSR2", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM", SIGTERM: "SIGTERM",
            SIGCHLD: "SIGCHLD", SIGSYS: "SIGSYS", SIGXCPU: "SIGXCPU", SIGXFSZ: "SIGXFSZ",
        ]
        return names[number] ?? "signal \(number)"
    }
}

/// Why a reload was refused (what the configuration check found).
public struct SupervisorRefusal: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
