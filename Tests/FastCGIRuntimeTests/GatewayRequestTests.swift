import FastCGIRuntime
import Testing

struct GatewayRequestTests {
    let options = GatewayOptions(basePath: "/uptime/", maxBodyBytes: 100, maxQueryBytes: 64)

    @Test func stripsTheBasePathFromTheDocumentURI() throws {
        let parsed = try GatewayRequest.parse(
            environment: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/uptime/sla", "QUERY_STRING": "url=x"],
            options: options,
            isCGI: false
        )
        #expect(parsed.request.path == "/sla")
        #expect(parsed.request.queryValue("url") == "x")
    }

    @Test func basePathWithAndWithoutSlashIsTheRoot() throws {
        for uri in ["/uptime", "/uptime/"] {
            let parsed = try GatewayRequest.parse(
                environment: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": uri],
                options: options,
                isCGI: false
            )
            #expect(parsed.request.path == "/")
        }
    }

    @Test func pathOutsideTheBasePathIs404() {
        #expect(throws: HTTPError.self) {
            try GatewayRequest.parse(
                environment: ["REQUEST_METHOD": "GET", "DOCUMENT_URI": "/uptimex/sla"],
                options: options,
                isCGI: false
            )
        }
    }

    @Test func fallsBackToRequestURIWithoutItsQuery() throws {
        let parsed = try GatewayRequest.parse(
            environment: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/uptime/search%20x?a=1"],
            options: options,
            isCGI: false
        )
        #expect(parsed.request.path == "/search x")
    }

    @Test func pathInfoRoutesUnderCGI() throws {
        let parsed = try GatewayRequest.parse(
            environment: [
                "REQUEST_METHOD": "GET", "SCRIPT_NAME": "/cgi-bin/uptime-bridge.cgi", "PATH_INFO": "/response_time",
                "REQUEST_URI": "/cgi-bin/uptime-bridge.cgi/response_time",
            ],
            options: options,
            isCGI: true
        )
        #expect(parsed.request.path == "/response_time")
        let root = try GatewayRequest.parse(
            environment: ["REQUEST_METHOD": "GET", "REQUEST_URI": "/cgi-bin/uptime-bridge.cgi"],
            options: options,
            isCGI: true
        )
        #expect(root.request.path == "/")
    }

    @Test func headersComeFromHTTPVariables() throws {
        let parsed = try GatewayRequest.parse(
            environment: [
                "REQUEST_METHOD": "POST", "DOCUMENT_URI": "/uptime/query", "HTTP_X_REQUEST_ID": "abc",
                "HTTP_AUTHORIZATION": "Bearer t", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "12",
            ],
            options: options,
            isCGI: false
        )
        #expect(parsed.request.headers["Authorization"] == "Bearer t")
        #expect(parsed.request.headers["content-type"] == "application/json")
        #expect(parsed.forwardedRequestID == "abc")
        #expect(parsed.declaredLength == 12)
    }

    @Test func limitsGiveTheRightStatus() {
        func status(_ env: [String: String]) -> Int? {
            do {
                _ = try GatewayRequest.parse(environment: env, options: options, isCGI: false)
                return nil
            } catch {
                return error.status
            }
        }
        #expect(status(["DOCUMENT_URI": "/uptime/", "CONTENT_LENGTH": "101"]) == 413)
        #expect(status(["DOCUMENT_URI": "/uptime/", "CONTENT_LENGTH": "-1"]) == 400)
        #expect(status(["DOCUMENT_URI": "/uptime/", "CONTENT_LENGTH": "abc"]) == 400)
        #expect(status(["DOCUMENT_URI": "/uptime/", "QUERY_STRING": String(repeating: "a", count: 65)]) == 414)
        #expect(status(["DOCUMENT_URI": "/uptime/", "CONTENT_LENGTH": "100"]) == nil)
    }
}
