#if canImport(Glibc)
import Glibc
#endif

/// Starts one accept thread. Lives outside any `main.swift` on purpose: a closure written in top-level
/// code is inferred `@MainActor`, and Swift 6 traps when it then runs on another thread.
extension FastCGIServer {
    func startAcceptThread(index: Int, listenFD: Int32, state: AcceptThreadState) -> pthread_t {
        let box = Unmanaged.passRetained(
            AcceptThreadArgument(start: { [self] in self.acceptLoop(listenFD: listenFD, state: state) })
        )
        var thread = pthread_t()
        let rc = pthread_create(
            &thread,
            nil,
            { raw in
                let argument = Unmanaged<AcceptThreadArgument>.fromOpaque(raw!).takeRetainedValue()
                argument.start()
                return nil
            },
            box.toOpaque()
        )
        precondition(rc == 0, "pthread_create failed: \(rc)")
        return thread
    }
}

final class AcceptThreadArgument: Sendable {
    let start: @Sendable () -> Void
    init(start: @escaping @Sendable () -> Void) { self.start = start }
}
