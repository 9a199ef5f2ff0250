import BridgeConfiguration
import Testing

/// The replaced Catchpoint → OpenTSDB job's config files (`pavan485/python-opentsDB`,
/// `config/config_catchpoint.yaml` and `config/config_opents.yaml`), read as they are.
struct CatchpointJobFilesTests {
    /// The shape of the job's shipped example: spaces before the colons, quoted values, a flow
    /// mapping of test ids by type with commented-out types inside it, and the job's own keys.
    static let jobConfig = """
        client_id :  'consumer-key-1'
        client_secret : 'consumer-secret-1'
        refresh_token : 'None'
        protocol : 'https'
        domain : 'io.catchpoint.com/ui/api'
        token_endpoint: 'token'
        version : 'v1'
        rawdata_endpoint : 'performance/raw?tests'
        test_ids: {
                    #   web : ['142613','142614'],
                        api : ['142637', '142638'],
                        dns : ['142639'],
                    #   smtp : ['142604'],
                        ping : []
                  }
        # get_logger
        batch_size : 10
        log_file : 'app.log'
        log_level : 'debug'

        """

    @Test func theJobsExampleShapeIsReadAsItIs() throws {
        let job = try CatchpointJobConfig.parse(Self.jobConfig)
        #expect(job.clientID == "consumer-key-1" && job.clientSecret == "consumer-secret-1")
        #expect(job.apiURL == "https://io.catchpoint.com")
        #expect(job.groups.map(\.type) == ["api", "dns", "ping"])
        #expect(job.groups.map(\.testIDs) == [[142637, 142638], [142639], []])
        #expect(job.batchSize == 10)
        #expect(job.summary == "API https://io.catchpoint.com, 3 test(s) (api 2, dns 1), 10 per request")
        #expect(!job.summary.contains("consumer-secret-1"))
    }

    @Test func aTestUnderTwoTypesIsPulledOnceAndBatchesAreCappedAt50() throws {
        let job = try CatchpointJobConfig.parse(
            """
            client_id: a
            client_secret: b
            domain: 127.0.0.1:9000/ui/api/
            protocol: http
            test_ids: {web: [1, 2], api: [2, 3]}
            batch_size: 500
            """
        )
        #expect(job.apiURL == "http://127.0.0.1:9000")
        #expect(job.groups.map(\.testIDs) == [[1, 2], [3]])
        #expect(job.batchSize == 50)
    }

    @Test(arguments: [
        ("client_secret: b\ntest_ids: {api: [1]}", "client_id is missing"),
        ("client_id: a\nclient_secret: b\ntest_ids: {api: [1]}\nversion: v2", "version is v2"),
        ("client_id: a\nclient_secret: b\ntest_ids: {api: [1]}\ndomain: io.catchpoint.com", "domain must be"),
        ("client_id: a\nclient_secret: b\ntest_ids: [1, 2]", "test_ids must be a dictionary"),
        ("client_id: a\nclient_secret: b\ntest_ids: {api: ['x1']}", "test_ids.api holds"),
        ("client_id: a\nclient_secret: b\ntest_ids: {api: []}", "test_ids lists no test"),
        ("client_id: a\nclient_secret: top-secret\ntest_ids: {api: [1]}\nbatch_size: -1", "batch_size must be"),
        ("client_id: [a\nclient_secret: top-secret", "not valid YAML"),
    ])
    func mistakesAreNamedWithoutQuotingTheFile(text: String, expected: String) {
        #expect {
            _ = try CatchpointJobConfig.parse(text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(expected) && !description.contains("top-secret")
        }
    }

    @Test func theOpenTSDBFileGivesHostAndPort() throws {
        #expect(try OpenTSDBJobConfig.parse("tsdb_host : 'http://localhost'\ntsdb_port : 4242").url == "http://localhost:4242")
        #expect(try OpenTSDBJobConfig.parse("tsdb_host: https://tsdb.example.com/\n").url == "https://tsdb.example.com:4242")
        #expect(throws: JobConfigError.self) { try OpenTSDBJobConfig.parse("tsdb_host: tsdb.example.com") }
        #expect(throws: JobConfigError.self) { try OpenTSDBJobConfig.parse("tsdb_host: http://a\ntsdb_port: 99999") }
    }
}
