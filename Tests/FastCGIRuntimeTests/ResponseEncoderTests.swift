import FastCGIRuntime
import Testing

struct ResponseEncoderTests {
    @Test func writesStatusHeadersLengthAndBody() {
        var response = Response.json(Array(#"{"a":1}"#.utf8), cacheControl: "public, max-age=30")
        response.headers.add("x-extra", "v")
        let text = String(decoding: ResponseEncoder.encode(response, requestID: "r-1"), as: UTF8.self)
        #expect(
            text
                == "Status: 200 OK\r\nContent-Type: application/json\r\nCache-Control: public, max-age=30\r\n"
                + "X-Extra: v\r\nX-Request-Id: r-1\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
        )
    }

    @Test func defaultsToJSONAndIgnoresAFunctionsContentLength() {
        var response = Response(status: 404, body: Array("{}".utf8))
        response.headers.add("Content-Length", "999")
        let text = String(decoding: ResponseEncoder.encode(response, requestID: nil), as: UTF8.self)
        #expect(text == "Status: 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test func headerValuesCannotSplitTheResponse() {
        var response = Response()
        response.headers.add("X-Evil", "a\r\nStatus: 200")
        let text = String(decoding: ResponseEncoder.head(of: response, requestID: nil), as: UTF8.self)
        #expect(text.contains("X-Evil: aStatus: 200\r\n"))
    }
}
