import LSTMGrad
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `lstm-grad` binary as a user would, from the package root, and captures
/// stdout, stderr and the exit status. Both pipes are drained before waiting for the process.
/// Serialises pipe creation and spawning across test threads.
final class SpawnLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}

let spawnLock = SpawnLock()

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

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    static func runBytes(_ args: [String], stdin: [UInt8]?, environment extra: [String: String] = [:]) throws -> Output {
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Pipes are made close-on-exec, and made and handed to the child under one lock, so that
        // processes spawned at the same time by parallel tests never inherit each other's pipe
        // ends (a child holding another's stdin open would wait for end of input forever).
        // dup2 onto 0, 1, 2 clears the flag for the child's own.
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw SpawnError(description: "pipe failed") }
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }

        var env: [String: String] = [:]
        var k = 0
        while let e = environ[k] {
            let s = String(cString: e)
            if let eq = s.firstIndex(of: "=") { env[String(s[..<eq])] = String(s[s.index(after: eq)...]) }
            k += 1
        }
        env["NO_COLOR"] = nil
        env["COLUMNS"] = nil  // no wrapping unless a test asks for it
        for (key, v) in extra { env[key] = v }
        // env -C runs the binary from the package root, as a user in a clone would.
        let argv = ["/usr/bin/env", "-C", Fixtures.root, binary] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        var cEnv = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArgs.forEach { free($0) }
            cEnv.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cArgs, &cEnv)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        spawnLock.unlock()
        locked = false
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            throw SpawnError(description: "cannot start \(binary): \(String(cString: strerror(rc)))")
        }
        // Feed stdin, then drain both pipes with poll so neither can fill up and block the child.
        if let input = stdin {
            input.withUnsafeBytes { raw in
                var off = 0
                while off < raw.count {
                    let n = write(inPipe[1], raw.baseAddress! + off, raw.count - off)
                    if n <= 0 { break }
                    off += n
                }
            }
        }
        close(inPipe[1])
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buf = [UInt8](repeating: 0, count: 65536)
        while open > 0 {
            _ = poll(&fds, 2, -1)
            for j in 0..<2 where fds[j].fd >= 0 && fds[j].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[j].fd, $0.baseAddress!, $0.count) }
                if n > 0 {
                    if j == 0 { out += buf[0..<n] } else { err += buf[0..<n] }
                } else {
                    close(fds[j].fd)
                    fds[j].fd = -1
                    open -= 1
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signaled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Output(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled ? status & 0x7f : nil,
                      stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }
}
