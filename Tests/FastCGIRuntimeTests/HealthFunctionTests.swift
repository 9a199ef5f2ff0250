import FastCGIRuntime
import FastCGITesting
import Functions
import Logging
@testable import Statuspage
import Testing

struct HealthFunctionTests {
    func driver(debug: Bool = false) -> TestDriver<FunctionContext> {
        let settings = BridgeSettings(version: "9.9.9", debugRoutes: debug)
        // Configured: one Statuspage page (nothing is probed by the health check).
        let services = Services(
            settings: settings,
            statuspage: StatuspageData(
                services: [StatuspageService(key: "p", name: "P", url: "http://127.0.0.1:9")],
                client: StatuspageClient(logger: Logger(label: "health-test"))
            )
        )
        return TestDriver(router: Routes.router(settings: settings), options: GatewayOptions(basePath: "/uptime")) {
            FunctionContext(info: $0, services: services)
        }
    }

    @Test func healthAnswersUnderTheBasePathWithAndWithoutSlash() async {
        for uri in ["/uptime", "/uptime/"] {
            let response = await driver().send(method: "GET", uri: uri)
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"status":"ok","version":"9.9.9"}"#)
        }
    }

    @Test("nothing to serve (no token, no pages): 503 naming what is missing and which file was read")
    func healthTellsTheTruth() async {
        for file in [nil, "/etc/uptime-bridge/config.yaml"] as [String?] {
            var settings = BridgeSettings(version: "9.9.9")
            settings.configurationFile = file
            let services = Services(settings: settings)
            let driver = TestDriver(router: Routes.router(settings: settings), options: GatewayOptions(basePath: "/uptime")) {
                FunctionContext(info: $0, services: services)
            }
            let response = await driver.send(method: "GET", uri: "/uptime/")
            #expect(response.status == 503)
            let body = String(decoding: response.body, as: UTF8.self)
            #expect(body.hasPrefix(#"{"status":"unavailable","problems":["Better Stack is not configured: "#), "\(body)")
            #expect(body.contains(file == nil ? "no configuration file was read" : "/etc/uptime-bridge/config.yaml sets no API token"))
        }
    }

    @Test func debugFunctionsExistOnlyWhenEnabled() async {
        #expect(await driver().send(method: "GET", uri: "/uptime/_debug/sleep?ms=1").status == 404)
        #expect(await driver(debug: true).send(method: "GET", uri: "/uptime/_debug/sleep?ms=1").status == 200)
        #expect(await driver(debug: true).send(method: "GET", uri: "/uptime/_debug/sleep?ms=abc").status == 400)
    }
}
