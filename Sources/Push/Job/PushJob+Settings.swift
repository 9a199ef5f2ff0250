import Catchpoint
import Logging
import OpenTSDB
import UpstreamHTTP

extension PushJob {
    /// Builds a job from operator settings; throws a one-line ``PushConfigurationError`` naming
    /// the first thing that cannot work (never quoting a secret).
    public static func make(
        settings: PushSettings,
        transport: any HTTPTransport = AsyncHTTPClientTransport.push,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep,
        now: (@Sendable () -> Int64)? = nil,
        logger: Logger
    ) throws(PushConfigurationError) -> PushJob {
        let receiverURL: BaseURL
        do {
            receiverURL = try BaseURL(settings.receiver.url, what: "the receiver URL")
        } catch {
            throw PushConfigurationError(error.reason)
        }
        let writer: OpenTSDBWriter
        do {
            writer = try OpenTSDBWriter(
                configuration: OpenTSDBConfiguration(
                    baseURL: receiverURL,
                    putPath: settings.receiver.putPath,
                    batchSize: settings.receiver.batchSize,
                    timeout: settings.receiver.timeout,
                    retry: settings.receiver.retry,
                    authorization: settings.receiver.authorization
                ),
                transport: transport,
                sleep: sleep,
                logger: logger
            )
        } catch {
            throw PushConfigurationError(error.description)
        }

        var sources: [any PushSource] = []
        if let catchpoint = settings.catchpoint {
            let baseURL: BaseURL
            do {
                baseURL = try BaseURL(catchpoint.baseURL, what: "the Catchpoint URL")
            } catch {
                throw PushConfigurationError(error.reason)
            }
            guard !catchpoint.testIDs.isEmpty else { throw PushConfigurationError("no Catchpoint test ids") }
            if let bad = catchpoint.testIDs.first(where: { $0 <= 0 }) {
                throw PushConfigurationError("Catchpoint test id \(bad) is not a positive number")
            }
            let client: CatchpointClient
            do {
                client = try CatchpointClient(
                    configuration: CatchpointConfiguration(
                        baseURL: baseURL,
                        clientID: catchpoint.clientID,
                        clientSecret: catchpoint.clientSecret,
                        bearerEncoding: catchpoint.bearerEncoding,
                        tokenRequestForm: catchpoint.tokenRequestForm
                    ),
                    transport: transport,
                    sleep: sleep,
                    logger: logger
                )
            } catch {
                throw PushConfigurationError(error.description)
            }
            sources.append(
                CatchpointSource(
                    client: client,
                    testIDs: catchpoint.testIDs,
                    requestGroups: catchpoint.requestGroups,
                    precision: catchpoint.precision
                )
            )
        }
        sources += settings.additionalSources
        guard !sources.isEmpty else { throw PushConfigurationError("no sources configured") }

        let configuration = PushJobConfiguration(
            checkpointPath: settings.checkpointPath,
            lookback: settings.lookback,
            maxCatchUp: settings.maxCatchUp,
            checkpointRetention: settings.checkpointRetention
        )
        if let problem = configuration.problems.first { throw PushConfigurationError(problem) }
        return PushJob(configuration: configuration, sources: sources, writer: writer, now: now, logger: logger)
    }

    /// Builds the job from `settings` and runs it; a configuration problem becomes a failed
    /// report (exit code 78) instead of an error, so callers handle one outcome type.
    public static func run(
        settings: PushSettings,
        transport: any HTTPTransport = AsyncHTTPClientTransport.push,
        sleep: @escaping UpstreamSleep = UpstreamPipeline.taskSleep,
        now: (@Sendable () -> Int64)? = nil,
        logger: Logger
    ) async -> PushReport {
        do {
            let job = try make(settings: settings, transport: transport, sleep: sleep, now: now, logger: logger)
            return await job.run()
        } catch {
            let report = PushReport(failure: .configuration(error.reason))
            logger.error("\(report.summary)")
            return report
        }
    }
}

/// Settings that cannot work. One line, never quoting a secret.
public struct PushConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "configuration: \(reason)" }
}
