@testable import FastCGIRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The master's decisions that need no process: the restart delays, how a death is described, the
/// status file the workers read, and libfcgi's FCGI_WEB_SERVER_ADDRS as the runtime's own accept
/// path reads it. (Processes, signals and nginx: IntegrationTests/SupervisorTests.)
struct SupervisorPolicyTests {
    @Test func quickDeathsAreRestartedAfterDoublingDelaysCappedAtFiveSeconds() {
        let options = SupervisorOptions(listenFD: 0, arguments: ["uptime-bridge"], environment: [:])
        #expect(options.backoff(afterQuickDeaths: 0) == .zero)
        let delays = (1...9).map { options.backoff(afterQuickDeaths: $0) }
        #expect(
            delays == [
                .milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600),
                .milliseconds(3200), .seconds(5), .seconds(5), .seconds(5),
            ])
        // However many in a row, no overflow and still the cap.
        #expect(options.backoff(afterQuickDeaths: 10_000) == .seconds(5))
    }

    @Test func deathsAreDescribedWithTheirSignalOrExitStatus() {
        #expect(Supervisor.describe(1 << 8) == "exited with status 1")
        #expect(Supervisor.describe(0) == "exited with status 0")
        #expect(Supervisor.describe(SIGSEGV) == "was killed by signal 11 (SIGSEGV)")
        #expect(Supervisor.describe(SIGABRT | 0x80) == "was killed by signal 6 (SIGABRT), core dumped")
        #expect(Supervisor.describe(SIGKILL) == "was killed by signal 9 (SIGKILL)")
        #expect(Supervisor.seconds(.milliseconds(1549)) == "1.5 s")
        #expect(Supervisor.seconds(.milliseconds(100)) == "0.1 s")
    }

    @Test func theStatusFileCarriesTheMastersCountersToAReadOnlyDescriptor() throws {
        let made = try #require(SupervisorStatusFile.create())
        defer {
            close(made.file.fd)
            close(made.readOnlyFD)
        }
        #expect(made.file.fd >= 10 && made.readOnlyFD >= 10)
        #expect(fcntl(made.readOnlyFD, F_GETFD) & FD_CLOEXEC != 0)
        let reader = SupervisorStatusFile(fd: made.readOnlyFD)
        #expect(reader.read() == nil, "nothing written yet")
        let status = SupervisorStatus(
            masterStartTime: 1_767_225_600.25,
            workers: 3,
            workerRestarts: 7,
            reloadsApplied: 2,
            reloadsRefused: 1
        )
        made.file.write(status)
        #expect(reader.read() == status)
        // The workers' copy cannot write.
        var byte: UInt8 = 0
        #expect(Glibc.write(made.readOnlyFD, &byte, 1) == -1)
    }

    @Test func webServerAddressesAreReadAsLibfcgiReadsThem() {
        #expect(FastCGIServer<TestContext>.webServerAddresses(nil) == nil)
        #expect(FastCGIServer<TestContext>.webServerAddresses("") == nil)
        let allowed = FastCGIServer<TestContext>.webServerAddresses("127.0.0.1, 10.0.0.2,bogus")
        var address = in_addr()
        inet_pton(AF_INET, "10.0.0.2", &address)
        #expect(allowed?.count == 2)
        #expect(allowed?.contains(address.s_addr) == true)
    }
}
