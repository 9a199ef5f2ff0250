import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The worker side of ``Supervisor``: a process the master started by executing its own binary.
///
/// The master marks it with `UPTIME_BRIDGE_WORKER=<slot>` in the environment and hands it three
/// descriptors: the listening socket as standard input (as spawn-fcgi and systemd do), the write end
/// of a readiness pipe as fd 3, and the read-only status file (``SupervisorStatusFile``) as fd 4
/// (`UPTIME_BRIDGE_WORKER_STATUS_FD=4`). A
/// worker serves exactly as a single process on an inherited socket does; it only announces when it
/// accepts, and stops if its master disappears.
public enum SupervisedWorker {
    public static let environmentKey = "UPTIME_BRIDGE_WORKER"
    /// Set when the master passes its status file (as fd 4).
    static let statusEnvironmentKey = "UPTIME_BRIDGE_WORKER_STATUS_FD"
    /// Set by the master on a worker that replaces one that died unasked: how it died, so that the
    /// new worker (which has threads and an HTTP client, unlike the master) reports it.
    public static let previousDeathEnvironmentKey = "UPTIME_BRIDGE_PREVIOUS_WORKER_DEATH"

    /// How this worker's predecessor in its slot died, when it died unasked.
    public static var previousDeath: String? {
        guard slot != nil, let text = getenv(previousDeathEnvironmentKey).map({ String(cString: $0) }), !text.isEmpty
        else { return nil }
        return text
    }
    static let readinessFD: Int32 = 3
    static let statusFD: Int32 = 4

    /// This worker's slot (0, 1, …) when a master started it: the marker is set and fd 3 is a pipe.
    /// A marker without the pipe (copied into some other environment by mistake) is ignored.
    public static let slot: Int? = {
        guard let text = getenv(environmentKey).map({ String(cString: $0) }), let slot = Int(text), slot >= 0 else {
            return nil
        }
        var info = stat()
        guard fstat(readinessFD, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { return nil }
        return slot
    }()

    /// Tells the master that the accept threads wait for connections (one byte on the readiness
    /// pipe), then watches the pipe: the master holds its read end for as long as it runs, so when the
    /// master is gone (killed with SIGKILL, say) the pipe reports an error and this worker stops the
    /// way SIGTERM stops it, draining its in-flight requests, instead of serving on as an orphan.
    public static func announceReady(logger: Logger) {
        guard slot != nil else { return }
        var byte: UInt8 = 1
        guard write(readinessFD, &byte, 1) == 1 else {
            logger.warning("cannot tell the master that this worker is ready: \(String(cString: strerror(errno)))")
            return
        }
        _ = fcntl(readinessFD, F_SETFD, FD_CLOEXEC)
        let box = Unmanaged.passRetained(MasterWatch(logger: logger))
        var thread = pthread_t()
        let rc = pthread_create(
            &thread,
            nil,
            { raw in
                let watch = Unmanaged<MasterWatch>.fromOpaque(raw!).takeRetainedValue()
                watch.run()
                return nil
            },
            box.toOpaque()
        )
        if rc == 0 {
            pthread_detach(thread)
        } else {
            box.release()
        }
    }
}

private final class MasterWatch: Sendable {
    let logger: Logger

    init(logger: Logger) { self.logger = logger }

    func run() {
        // No events asked: poll returns only on POLLERR (no reader left) or POLLHUP.
        var entry = pollfd(fd: SupervisedWorker.readinessFD, events: 0, revents: 0)
        while true {
            let rc = poll(&entry, 1, -1)
            if rc < 0 && errno == EINTR { continue }
            if rc < 0 || entry.revents & Int16(POLLNVAL) != 0 { return }
            if entry.revents & Int16(POLLERR | POLLHUP) != 0 { break }
        }
        logger.warning("the master process is gone; stopping this worker")
        kill(getpid(), SIGTERM)
    }
}
