import LSTMGrad
import LSTMGradFuzz
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `lstm-grad` binary as a user would, from the package root, and captures
/// stdout, stderr and the exit status (through the fuzz harness's process runner, which drains
/// both pipes and is safe from parallel tests).
enum CLIRunner {
    struct Output {
        var status: Int32
        /// The signal that killed the process, if any.
        var signal: Int32?
        var stdout: String
        var stderr: String
    }

    static let binary: String = {
        // The test bundle sits beside the executable in .build/<config>/.
        for config in ["debug", "release"] {
            let p = Fixtures.root + "/.build/\(config)/lstm-grad"
            if access(p, X_OK) == 0 { return p }
        }
        return Fixtures.root + "/.build/debug/lstm-grad"
    }()

    static func run(_ args: [String], stdin: String? = nil, environment extra: [String: String] = [:]) throws -> Output {
        try runBytes(args, stdin: stdin.map { Array($0.utf8) }, environment: extra)
    }

    /// Runs `args` beside `files` (name → text, one folder level allowed: `course/a.json`)
    /// written to a scratch directory; an argument `@name` stands for that file's path.
    static func run(_ args: [String], files: [String: String]) throws -> Output {
        try withTemporaryDirectory { dir in
            for (name, text) in files {
                if name.contains("/") { mkdir(dir + "/" + name.split(separator: "/")[0], 0o755) }
                try writeFile(dir + "/" + name, text)
            }
            return try run(args.map { $0.hasPrefix("@") ? dir + "/" + $0.dropFirst() : $0 })
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// The test process's environment without COLUMNS and NO_COLOR (the output a user gets at
    /// the default width, colour decided by the terminal).
    static func plainEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var k = 0
        while let e = environ[k] {
            let s = String(cString: e)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            k += 1
        }
        env["NO_COLOR"] = nil
        env["COLUMNS"] = nil
        return env
    }

    static func runBytes(_ args: [String], stdin: [UInt8]?, environment extra: [String: String] = [:]) throws -> Output {
        var env = plainEnvironment()
        for (key, v) in extra { env[key] = v }
        // env -C runs the binary from the package root, as a user in a clone would.
        let outcome = FuzzRunner.run("/usr/bin/env", ["-C", Fixtures.root, binary] + args, stdin: stdin ?? [],
                                     timeout: 600, environment: env)
        if outcome.timedOut { throw SpawnError(description: "lstm-grad \(args.joined(separator: " ")) timed out") }
        if outcome.status == 127 { throw SpawnError(description: String(decoding: outcome.stderr, as: UTF8.self)) }
        return Output(status: outcome.status, signal: outcome.signal,
                      stdout: String(decoding: outcome.stdout, as: UTF8.self), stderr: String(decoding: outcome.stderr, as: UTF8.self))
    }
}
