import FastCGIRuntime
import Functions
import Testing

struct HealthFunctionTests {
    func driver(debug: Bool = false) -> TestDriver<FunctionContext> {
        let settings = BridgeSettings(version: "9.9.9", debugRoutes: debug)
        let services = Services(settings: settings)
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

    @Test func debugFunctionsExistOnlyWhenEnabled() async {
        #expect(await driver().send(method: "GET", uri: "/uptime/_debug/sleep?ms=1").status == 404)
        #expect(await driver(debug: true).send(method: "GET", uri: "/uptime/_debug/sleep?ms=1").status == 200)
        #expect(await driver(debug: true).send(method: "GET", uri: "/uptime/_debug/sleep?ms=abc").status == 400)
    }
}
