import LSTMGrad
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the CLI binary on one input and judges the outcome: every run must exit 0, 1 or 2,
/// never die by a signal or hang, print a diagnostic on stderr when it exits 2, and print
/// nothing on stdout unless it succeeded.
public enum FuzzRunner {
    public struct Outcome: Sendable {
        public var status: Int32
        public var signal: Int32?
        public var timedOut: Bool
        public var stdout: [UInt8]
        public var stderr: [UInt8]
    }

    /// Why an outcome is a failure, or nil when it is acceptable.
    public static func failure(of o: Outcome) -> String? {
        if o.timedOut { return "timed out" }
        if let s = o.signal { return "killed by signal \(s)" }
        guard [0, 1, 2].contains(o.status) else { return "exit status \(o.status), expected 0, 1 or 2" }
        if o.status == 2 && o.stderr.allSatisfy({ $0 == 0x20 || $0 == 0x0A }) { return "exit 2 with an empty diagnostic" }
        if String(decoding: o.stderr, as: UTF8.self).contains("internal error") { return "an internal error" }
        if o.status == 2 && !o.stdout.isEmpty { return "exit 2 but \(o.stdout.count) bytes on stdout" }
        if o.status == 0 && o.stdout.isEmpty { return "exit 0 with nothing on stdout" }
        return nil
    }

    /// Serialises pipe creation and spawning across threads (see `run`).
    final class SpawnLock: @unchecked Sendable {
        private var mutex = pthread_mutex_t()
        init() { pthread_mutex_init(&mutex, nil) }
        func lock() { pthread_mutex_lock(&mutex) }
        func unlock() { pthread_mutex_unlock(&mutex) }
    }

    static let spawnLock = SpawnLock()

    /// Runs `binary args…` with `stdin` fed in, draining both pipes; kills it after `timeout`
    /// seconds. `environment` replaces the inherited environment when given. Safe to call from
    /// many threads at once: the pipes are close-on-exec and are made and handed to the child
    /// under one lock, so no child inherits another's pipe ends (a child holding another's stdin
    /// open would make that one wait for end of input forever).
    public static func run(_ binary: String, _ args: [String], stdin: [UInt8] = [], timeout: Double = 20,
                           environment: [String: String]? = nil) -> Outcome {
        // A child that dies before reading all its input must not take the harness with it.
        signal(SIGPIPE, SIG_IGN)
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        spawnLock.lock()
        var locked = true
        defer { if locked { spawnLock.unlock() } }
        guard pipe(&inPipe) == 0, pipe(&outPipe) == 0, pipe(&errPipe) == 0 else {
            return Outcome(status: 127, signal: nil, timedOut: false, stdout: [], stderr: Array("pipe failed".utf8))
        }
        // dup2 onto 0, 1, 2 clears the flag for the child's own ends.
        for fd in inPipe + outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = [binary] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var cEnv = environment.map { env in env.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { cEnv?.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = cEnv == nil ? posix_spawn(&pid, binary, &actions, nil, &cArgs, environ)
                             : posix_spawn(&pid, binary, &actions, nil, &cArgs, &cEnv!)
        close(inPipe[0]); close(outPipe[1]); close(errPipe[1])
        spawnLock.unlock()
        locked = false
        guard rc == 0 else {
            close(inPipe[1]); close(outPipe[0]); close(errPipe[0])
            return Outcome(status: 127, signal: nil, timedOut: false, stdout: [],
                           stderr: Array("cannot start \(binary): \(String(cString: strerror(rc)))".utf8))
        }
        // stdin is written from the poll loop too, so a child that stops reading cannot block us.
        _ = fcntl(inPipe[1], F_SETFL, fcntl(inPipe[1], F_GETFL) | O_NONBLOCK)
        var written = 0
        var inFD: Int32 = inPipe[1]
        if stdin.isEmpty { close(inFD); inFD = -1 }
        var out: [UInt8] = [], err: [UInt8] = []
        var outFD = outPipe[0], errFD = errPipe[0]
        var buf = [UInt8](repeating: 0, count: 65536)
        var timedOut = false
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        let deadline = Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9 + timeout
        while outFD >= 0 || errFD >= 0 {
            var fds = [pollfd(fd: outFD, events: Int16(POLLIN), revents: 0), pollfd(fd: errFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inFD, events: Int16(POLLOUT), revents: 0)]
            _ = poll(&fds, 3, 200)
            clock_gettime(CLOCK_MONOTONIC, &clock)
            if Double(clock.tv_sec) + Double(clock.tv_nsec) / 1e9 > deadline {
                kill(pid, SIGKILL)
                timedOut = true
                break
            }
            if inFD >= 0 && fds[2].revents != 0 {
                let n = stdin.withUnsafeBytes { write(inFD, $0.baseAddress! + written, $0.count - written) }
                if n > 0 { written += n }
                if n <= 0 && errno != EAGAIN || written == stdin.count {
                    close(inFD)
                    inFD = -1
                }
            }
            for j in 0..<2 where fds[j].fd >= 0 && fds[j].revents != 0 {
                let n = buf.withUnsafeMutableBytes { read(fds[j].fd, $0.baseAddress!, $0.count) }
                if n > 0 {
                    if j == 0 { out += buf[0..<n] } else { err += buf[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(fds[j].fd)
                    if j == 0 { outFD = -1 } else { errFD = -1 }
                }
            }
        }
        if inFD >= 0 { close(inFD) }
        if outFD >= 0 { close(outFD) }
        if errFD >= 0 { close(errFD) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let sig = status & 0x7f
        let signaled = sig != 0 && sig != 0x7f
        return Outcome(status: signaled ? -1 : (status >> 8) & 0xff, signal: signaled && !timedOut ? sig : nil,
                       timedOut: timedOut, stdout: out, stderr: err)
    }

    /// Writes bytes to a file, replacing it; false on failure.
    @discardableResult
    public static func save(_ bytes: [UInt8], to path: String) -> Bool {
        (try? OutputFile.write(path, bytes, mode: .replace)) != nil
    }

    /// Seconds on the monotonic clock.
    public static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// FNV-1a, to name saved crash inputs by content.
    public static func hash(_ bytes: [UInt8]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        let s = String(h, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
