import BridgeConfiguration
import FastCGIRuntime
import Functions
import Logging

#if canImport(Glibc)
import Glibc
#endif

extension BridgeComposition {
    /// Serves until told to stop (FastCGI: a resident worker's accept loop on ``address``) or
    /// answers the one request on standard input (CGI, when ``address`` is nil). The exit status.
    func serve(configuration: Configuration, logger: Logger) -> Int32 {
        let services = services
        guard let address else {
            // The functions' own deadline answers first (a JSON 504 naming it); the runner's is the
            // backstop for a process that stopped answering altogether.
            return CGIRunner.run(router: router, options: gateway, logger: logger, deadline: limits.deadline + .seconds(5)) { info in
                FunctionContext(info: info, services: services)
            }
        }
        guard let listenFD = address.bindLogging(to: logger) else { return 1 }
        let server = FastCGIServer(
            configuration: FastCGIConfiguration(
                acceptThreads: configuration.int(.serverThreads),
                maxInFlight: configuration.int(.serverMaxInFlight),
                gateway: gateway
            ),
            router: router,
            logger: logger,
            observer: services.telemetry.requestObserver(functions: router.paths)
        ) { info in
            FunctionContext(info: info, services: services)
        }
        logger.info("listening", metadata: ["address": "\(address)", "version": "\(BridgeVersion.current)"])
        // An inherited socket may be systemd's, or shared with the master's other workers: it must keep
        // working for the next activation and for them.
        server.run(listenFD: listenFD, sharedListener: address == .inherited) {
            SupervisedWorker.announceReady(logger: logger)
        }
        if case .unix(let path) = address { unlink(path) }
        logger.info("stopped")
        return 0
    }
}
