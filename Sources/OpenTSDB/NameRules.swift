/// OpenTSDB's rules for metric names, tag keys and tag values (`Tags.validateString`): not
/// empty, and only `a-z A-Z 0-9 - _ . /` and Unicode letters.
///
/// VictoriaMetrics and InfluxDB accept more, but a point that OpenTSDB would refuse is refused
/// here for every receiver, so switching receivers never changes what gets stored.
public enum NameRules {
    /// Whether `name` is a valid metric name, tag key or tag value.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy(isAllowed)
    }

    /// The first character that breaks the rules, for error messages.
    public static func firstInvalidCharacter(_ name: String) -> Unicode.Scalar? {
        name.unicodeScalars.first { !isAllowed($0) }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/": true
        default: scalar.value > 127 && scalar.properties.isAlphabetic
        }
    }
}
