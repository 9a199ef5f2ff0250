/// The replaced job's metric naming (`pavan485/python-opentsDB` `utils.py`): `catchpoint.testdata.` plus the field
/// name with `#`→`numOf`, `%`→`percent`, `(`→`.`, `)`→``, space→`` applied in that order.
///
/// `DNS (ms)` → `catchpoint.testdata.DNS.ms`, `# Items (Total)` →
/// `catchpoint.testdata.numOfItems.Total`, `% Availability` → `catchpoint.testdata.percentAvailability`.
/// Existing dashboards query these names, so they must not change.
public enum MetricName {
    /// The prefix every Catchpoint metric carries.
    public static let prefix = "catchpoint.testdata."

    /// The OpenTSDB metric name for a Catchpoint field name.
    public static func forField(_ field: String) -> String {
        var name = field
        for (character, replacement) in [("#", "numOf"), ("%", "percent"), ("(", "."), (")", ""), (" ", "")] {
            name = name.replacingAll(character, with: replacement)
        }
        return prefix + name
    }
}

extension String {
    /// Every occurrence of `target` replaced, without Foundation.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
