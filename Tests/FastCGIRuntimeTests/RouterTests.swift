import FastCGIRuntime
import FastCGITesting
import Logging
import Testing

struct TestContext: RequestContext {
    var requestID: String
    var logger: Logger
}

struct RouterTests {
    struct Secret: Error { let path = "/etc/secret-token" }

    func driver() -> TestDriver<TestContext> {
        var router = Router<TestContext>()
        router.get("/") { _, _ in .json(Array(#"{"ok":true}"#.utf8)) }
        router.get("/sla") { request, _ in
            guard request.queryValue("url") != nil else { throw HTTPError(400, "url is required") }
            return .json(Array(#"{"availability":99.9}"#.utf8))
        }
        router.post("/query") { request, _ in .json(Array("{\"bytes\":\(request.body.count)}".utf8)) }
        router.get("/boom") { _, _ in throw Secret() }
        return TestDriver(router: router, options: GatewayOptions(basePath: "/uptime", maxBodyBytes: 10)) { info in
            TestContext(requestID: info.requestID, logger: info.logger)
        }
    }

    @Test func unknownPathIs404JSON() async {
        let response = await driver().send(method: "GET", uri: "/uptime/nope")
        #expect(response.status == 404)
        #expect(response.headers["content-type"] == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self).contains(#""error":"no such endpoint""#))
    }

    @Test func wrongMethodIs405WithAllow() async {
        let response = await driver().send(method: "POST", uri: "/uptime/sla")
        #expect(response.status == 405)
        #expect(response.headers["allow"] == "GET, HEAD")
        let put = await driver().send(method: "PUT", uri: "/uptime/query")
        #expect(put.status == 405)
        #expect(put.headers["allow"] == "POST")
    }

    @Test func thrownHTTPErrorKeepsItsStatusAndMessage() async {
        let response = await driver().send(method: "GET", uri: "/uptime/sla")
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"url is required","request_id":"test"}"#)
    }

    @Test func unexpectedErrorIs500WithRequestIDAndNoInternals() async {
        let response = await driver().send(method: "GET", uri: "/uptime/boom")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 500)
        #expect(body == #"{"error":"internal error","request_id":"test"}"#)
        #expect(!body.contains("secret"))
        #expect(!body.contains("Secret"))
    }

    @Test func oversizedBodyIs413() async {
        let response = await driver().send(method: "POST", uri: "/uptime/query", body: Array(repeating: 1, count: 11))
        #expect(response.status == 413)
        let ok = await driver().send(method: "POST", uri: "/uptime/query", body: Array(repeating: 1, count: 10))
        #expect(String(decoding: ok.body, as: UTF8.self) == #"{"bytes":10}"#)
    }

    @Test func headIsServedByGetWithoutBody() async {
        let response = await driver().send(method: "HEAD", uri: "/uptime/")
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
    }

    @Test func trailingSlashIsTheSameRoute() async {
        let response = await driver().send(method: "GET", uri: "/uptime/sla/?url=x")
        #expect(response.status == 200)
    }
}
