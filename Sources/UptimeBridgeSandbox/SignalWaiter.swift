import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns SIGTERM/SIGINT into an awaitable event, so the server can shut down cleanly instead of
/// being killed mid-response by the default handler.
///
/// `@unchecked`: the Dispatch sources are only held to keep them alive and never touched after
/// `init`; the stream is Sendable.
final class SignalWaiter: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]
    private let stream: AsyncStream<Int32>

    /// Installs the handlers at once, before the server starts, so no signal slips through.
    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        self.stream = stream
        self.sources = signals.map { number in
            signal(number, SIG_IGN)  // let Dispatch, not the default action, see it
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    /// Waits for the first of the signals.
    func next() async -> Int32 {
        for await number in stream { return number }
        return SIGTERM
    }
}
