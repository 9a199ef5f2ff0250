@testable import Statuspage
import Testing

@Suite("services.json")
struct ServicesFileTests {
    @Test("The exporter's example file: _ keys ignored, services in file order")
    func exampleFile() throws {
        let json = """
            {
              "_comment": "This is an example services.json file. {not: [a service]}",
              "zeta": {"url": "https://status.zeta.example/api/v2/summary.json", "name": "Zeta"},
              "alpha": {"url": "https://status.alpha.example", "name": "Alpha \\"A\\"", "type": "status_page"},
              "_disabled": {"url": "x"},
              "mid": {"name": "Mid", "url": "https://mid.example/api/v2/summary.json?x=1"}
            }
            """
        let services = try StatuspageServicesFile.parse(Array(json.utf8))
        #expect(services.map(\.key) == ["zeta", "alpha", "mid"])
        #expect(services[1].name == "Alpha \"A\"")
        #expect(services[0].summaryURL == "https://status.zeta.example/api/v2/summary.json")
        #expect(services[1].summaryURL == "https://status.alpha.example/api/v2/summary.json")
        #expect(services[2].summaryURL == "https://mid.example/api/v2/summary.json?x=1")
        #expect(services[0].pageBaseURL == "https://status.zeta.example")
        #expect(services[1].pageBaseURL == "https://status.alpha.example")
    }

    @Test(
        "A service without string url and name, or a file that is not an object, is refused",
        arguments: [
            #"{"a": {"url": "https://x"}}"#, #"{"a": {"name": "A", "url": 5}}"#, #"{"a": "https://x"}"#, "[]", "",
        ]
    )
    func refused(json: String) {
        #expect(throws: StatuspageServicesFile.ParseError.self) { try StatuspageServicesFile.parse(Array(json.utf8)) }
    }

    @Test("Base URLs with trailing slashes and full summary URLs give the same page")
    func urls() {
        let full = StatuspageService(key: "a", name: "A", url: "https://status.example.com/api/v2/summary.json")
        let base = StatuspageService(key: "a", name: "A", url: "https://status.example.com//")
        #expect(full.summaryURL == base.summaryURL)
        #expect(full.pageBaseURL == base.pageBaseURL)
        #expect(full.pageBaseURL == "https://status.example.com")
    }
}
