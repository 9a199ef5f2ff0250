import FastCGIRuntime
import Functions

#if canImport(Glibc)
import Glibc
#endif

/// Writes a response straight to fd 1 (stdout is the CGI response; nothing else may go there).
enum CGIRunnerFailure {
    static func answer(status: Int, message: String) {
        let bytes = ResponseEncoder.encode(Response.error(status, message), requestID: nil)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// A CGI process that cannot start answers every request (health included) with a 500 naming
    /// each problem, because on shared hosting the site user often cannot read the web server's
    /// error log: `{"error":"uptime-bridge is misconfigured…","problems":["betterstack.api_token:
    /// the file …/betterstack.token is not readable by this process (uid 33, gid 33)…"]}`. The
    /// problems never hold a secret (they name keys and files, never values); directories are cut
    /// from paths (``shortenPaths(_:)``), so an anonymous caller learns the file's name and the
    /// reason but not the account's layout. The log has the whole text. Never served without the
    /// access control the unreadable configuration may carry.
    static func answerMisconfigured(_ problems: [String]) {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.member("error", "uptime-bridge is misconfigured (the web server's error log has the details)")
        json.key("problems")
        json.beginArray()
        for problem in problems { json.string(shortenPaths(problem)) }
        json.endArray()
        json.endObject()
        let bytes = ResponseEncoder.encode(.json(json.bytes, status: 500, cacheControl: "no-store"), requestID: nil)
        _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
    }

    /// Every absolute path in `text` (a `/` at the start of a word, up to white space or `:,;()'"`)
    /// becomes `…/` and its last component: `/home/u/uptime-bridge/token` → `…/token`.
    static func shortenPaths(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            if word.hasPrefix("/"), !word.hasPrefix("//"), let last = word.split(separator: "/").last, word.count > last.count + 1 {
                out += "…/" + last
            } else {
                out += word
            }
            word = ""
        }
        for character in text {
            if character.isWhitespace || ":,;()'\"".contains(character) {
                flush()
                out.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return out
    }
}
