import LSTMGrad
import LSTMGradFuzz
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command line from the package root or another directory (`/bin/sh -c`),
/// capturing stdout, stderr and the exit status. For tests of scripts and make targets.
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

    /// Runs `command` in `directory` (the package root unless given).
    /// An `environment` prefix that puts the built `lstm-grad` first on PATH, so that command
    /// lines can call it by name as the documentation does.
    static var binaryOnPath: String {
        let dir = String(CLIRunner.binary.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
        return "PATH=\(quote(dir)):\"$PATH\""
    }

    static func run(_ command: String, environment: String = "", in directory: String = Fixtures.root) throws -> Output {
        let line = "cd \(quote(directory)) && { \(environment) /bin/sh -c \(quote(command)); } < /dev/null"
        let o = FuzzRunner.run("/bin/sh", ["-c", line], timeout: 600)
        guard o.status != 127 || !o.stderr.isEmpty, !o.timedOut else { throw Failure(description: "cannot run /bin/sh") }
        return Output(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self),
                      stderr: String(decoding: o.stderr, as: UTF8.self))
    }
}
