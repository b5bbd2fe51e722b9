import LSTMGrad
import LSTMGradFuzz
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command line from the package root (`/bin/sh -c`), capturing stdout, stderr
/// and the exit status. For tests of scripts and make targets.
enum Shell {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func quote(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// The full path of `name` on `PATH`, or nil when no executable of that name is there. Searched
    /// directly rather than through `command -v`, whose status and stderr differ between shells
    /// (dash exits 127 with nothing on stderr when the name is missing).
    static func which(_ name: String) -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    static func run(_ command: String, environment: String = "") throws -> Output {
        let line = "cd \(quote(Fixtures.root)) && { \(environment) /bin/sh -c \(quote(command)); } < /dev/null"
        let o = FuzzRunner.run("/bin/sh", ["-c", line], timeout: 600)
        guard o.status != 127 || !o.stderr.isEmpty, !o.timedOut else { throw Failure(description: "cannot run /bin/sh") }
        return Output(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self),
                      stderr: String(decoding: o.stderr, as: UTF8.self))
    }
}
