/// The name rules of the Prometheus data model, as the 0.0.4 text parser enforces them.
public enum PrometheusName {
    /// Whether `name` is a valid metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    ///
    /// Dots, dashes and UTF-8 are parse errors in 0.0.4 (Prometheus 3's quoted UTF-8 names need
    /// a newer format the scrapers only use when asked).
    public static func isValidMetricName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok =
                isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || (!first && isDigit(byte))
            guard ok else { return false }
            first = false
        }
        return !first
    }

    /// Whether `name` is a valid label name for exposition: `[a-zA-Z_][a-zA-Z0-9_]*`, and not
    /// starting with `__`, which Prometheus reserves for its own labels.
    public static func isValidLabelName(_ name: String) -> Bool {
        var first = true
        for byte in name.utf8 {
            let ok = isLetter(byte) || byte == UInt8(ascii: "_") || (!first && isDigit(byte))
            guard ok else { return false }
            first = false
        }
        return !first && !name.hasPrefix("__")
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
