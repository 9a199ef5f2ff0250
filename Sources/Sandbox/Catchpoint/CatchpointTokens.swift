/// Access tokens the fake has issued and when each expires (wall-clock ms).
///
/// Tokens are unguessable enough for a loopback fake and never repeat within a run.
final class CatchpointTokens: Sendable {
    enum Check: Equatable {
        case valid
        case expired
        case unknown
    }

    private struct Store {
        var expiries: [String: Int64] = [:]
        var issued = 0
    }

    private let store = Locked(Store())
    private let seed: UInt64

    init(seed: UInt64) {
        self.seed = seed
    }

    /// A new token living `lifetimeSeconds` from `now`.
    func issue(now: Int64, lifetimeSeconds: Int) -> String {
        store.withLock { store in
            store.issued += 1
            var random = SplitMix64(
                seed: seed ^ UInt64(bitPattern: now),
                stream: "catchpoint-token",
                index: store.issued
            )
            let token =
                "cp.sandbox.\(store.issued).\(String(random.next(), radix: 36))\(String(random.next(), radix: 36))"
            // Forget long-dead tokens so a long benchmark does not grow the table forever.
            if store.expiries.count > 10_000 { store.expiries = store.expiries.filter { $0.value > now } }
            store.expiries[token] = now + Int64(lifetimeSeconds) * 1000
            return token
        }
    }

    /// Whether `presented` (the token, or its base64 encoding as the replaced Python job sent
    /// it) is a live token at `now`.
    func check(_ presented: String, now: Int64) -> Check {
        store.withLock { store in
            for candidate in [presented, Base64.decode(presented)].compactMap({ $0 }) {
                if let expiry = store.expiries[candidate] { return now < expiry ? .valid : .expired }
            }
            return .unknown
        }
    }

    /// Makes every issued token expired; returns how many were live.
    func expireAll(now: Int64) -> Int {
        store.withLock { store in
            var live = 0
            for (token, expiry) in store.expiries where expiry > now {
                live += 1
                store.expiries[token] = now
            }
            return live
        }
    }
}

/// Standard base64 decoding (RFC 4648, padding optional), enough to read a bearer token.
enum Base64 {
    static func decode(_ text: String) -> String? {
        var values: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - 65)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - 71)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte + 4)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): continue
            default: return nil
            }
        }
        guard values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var bits: UInt32 = 0
            for value in chunk { bits = bits << 6 | UInt32(value) }
            bits <<= UInt32(6 * (4 - chunk.count))
            let bytes = [UInt8(bits >> 16 & 0xFF), UInt8(bits >> 8 & 0xFF), UInt8(bits & 0xFF)]
            out.append(contentsOf: bytes.prefix(chunk.count - 1))
            index += 4
        }
        return String(validating: out, as: UTF8.self)
    }
}
