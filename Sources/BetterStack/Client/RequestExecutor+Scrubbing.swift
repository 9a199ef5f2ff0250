extension RequestExecutor {
    /// The same executor, additionally scrubbing these secrets from errors and logs.
    func scrubbing(_ secrets: [Secret]) -> RequestExecutor {
        RequestExecutor(
            transport: transport,
            retryPolicy: retryPolicy,
            timeout: timeout,
            userAgent: userAgent,
            logger: logger,
            observer: observer,
            sleep: sleep,
            scrubber: SecretScrubber(secrets),
            nowMilliseconds: nowMilliseconds,
            unitRandom: unitRandom
        )
    }
}
