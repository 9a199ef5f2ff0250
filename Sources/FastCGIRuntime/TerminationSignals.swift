#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM/SIGINT handling for a threaded libfcgi process.
///
/// libfcgi's own SIGTERM handler only sets a flag that is read after the *next* request, so an idle
/// process never stops. Instead the signals are blocked in every thread (call ``block()`` before any
/// thread is created, so all of them inherit the mask) and the main thread takes them with `sigwait`.
public enum TerminationSignals {
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks the calling thread until SIGTERM or SIGINT arrives; returns the signal number.
    public static func wait() -> Int32 {
        var set = signalSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }
}
