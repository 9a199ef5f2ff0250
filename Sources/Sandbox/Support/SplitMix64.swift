/// SplitMix64: a tiny, fast, seedable generator.
///
/// The sandbox needs the same bytes for the same seed on every platform and Swift version,
/// which the standard library's generators do not promise.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) {
        self.state = seed
    }

    /// A generator for one independent stream, e.g. one monitor's response times,
    /// so that its data does not depend on how many other things were generated before it.
    init(seed: UInt64, stream: String, index: Int = 0) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for byte in stream.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        var mixer = SplitMix64(seed: seed ^ hash)
        mixer.state ^= UInt64(bitPattern: Int64(index)) &* 0x9e37_79b9_7f4a_7c15
        self.state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform double in `0..<1` (53 random bits).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in `range`, without modulo bias worth caring about for test data.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// A uniform double in `range`.
    mutating func double(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * unit()
    }

    /// True with probability `probability`.
    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element chosen by weight.
    mutating func weighted<T>(_ choices: [(T, Double)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var pick = unit() * total
        for (value, weight) in choices {
            pick -= weight
            if pick < 0 { return value }
        }
        return choices[choices.count - 1].0
    }
}
