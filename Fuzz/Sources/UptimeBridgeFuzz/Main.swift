// libFuzzer entry points. libFuzzer (linked by `-sanitize=fuzzer`) provides `main`; this module is
// compiled with `-parse-as-library` so Swift does not emit one of its own.
//
// The fuzz target is chosen once, in LLVMFuzzerInitialize, from the FUZZ_TARGET environment
// variable (see `FuzzTargets.all`). Every target is `(UnsafeRawBufferPointer) -> Void`: it feeds
// the bytes to a parser and ignores thrown errors; a crash, trap, hang or sanitizer report is a
// finding.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

typealias FuzzTarget = @Sendable (UnsafeRawBufferPointer) -> Void

/// Set once before the first input; read-only afterwards (libFuzzer runs inputs on one thread).
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzerInitialize(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>
) -> CInt {
    let names = FuzzTargets.all.map(\.name).joined(separator: " ")
    guard let raw = getenv("FUZZ_TARGET") else {
        printError("UptimeBridgeFuzz: set FUZZ_TARGET to one of: \(names)")
        exit(2)
    }
    let name = String(cString: raw)
    guard let target = FuzzTargets.all.first(where: { $0.name == name }) else {
        printError("UptimeBridgeFuzz: unknown FUZZ_TARGET '\(name)'; known: \(names)")
        exit(2)
    }
    FuzzTargets.prepare()
    selected = target.run
    return 0
}

/// One line on standard error (`stderr` itself is a C global that Swift 6 will not touch).
private func printError(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let run = selected else { return 0 }
    run(UnsafeRawBufferPointer(start: size > 0 ? data : nil, count: size))
    return 0
}
