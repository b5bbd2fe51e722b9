import LSTMGrad
#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command line from the package root (`/bin/sh -c`), capturing stdout, stderr
/// and the exit status through temporary files. For tests of scripts and make targets.
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

    static func run(_ command: String, environment: String = "") throws -> Output {
        let base = "/tmp/lstm-grad-shell-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { _ = unlink(base + ".out"); _ = unlink(base + ".err") }
        let line = "cd \(quote(Fixtures.root)) && { \(environment) /bin/sh -c \(quote(command)); } > \(base).out 2> \(base).err < /dev/null"
        spawnLock.lock()
        let status = system(line)
        spawnLock.unlock()
        guard status != -1 else { throw Failure(description: "cannot run /bin/sh") }
        let out = (try? InputFile.read(base + ".out")) ?? []
        let err = (try? InputFile.read(base + ".err")) ?? []
        return Output(status: (status >> 8) & 0xff, stdout: String(decoding: out, as: UTF8.self),
                      stderr: String(decoding: err, as: UTF8.self))
    }
}
