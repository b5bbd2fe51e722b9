import LSTMGrad
import LSTMGradFuzz
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every write to stdout is checked: a full disk or a closed stdout is a one-line message and
/// exit 3; a reader that leaves the pipe ends the command quietly with 141.
@Suite struct CheckedOutputTests {
    static let bin = Shell.quote(CLIRunner.binary)

    /// Each command that prints, with stdout on /dev/full (every write fails with ENOSPC).
    @Test(arguments: [
        "run --example gomez",
        "run --example gomez --format json",
        "run --example gomez --summary",
        "check --example gomez fixtures/answers/gomez.answers.json",
        "gradcheck --example gomez",
        "init --seed 1",
        "examples gomez",
        "help spec",
    ])
    func fullDevice(_ command: String) throws {
        let r = try Shell.run("\(Self.bin) \(command) > /dev/full")
        #expect(r.status == 3, "\(command): \(r.stderr)")
        #expect(r.stderr == "lstm-grad: error: standard output (/dev/full): write failed: No space left on device\n", "\(command)")
    }

    @Test(arguments: ["run --example gomez", "check --example gomez fixtures/answers/gomez.answers.json", "--version"])
    func closedStandardOutput(_ command: String) throws {
        let r = try Shell.run("\(Self.bin) \(command) >&-")
        #expect(r.status == 3, "\(command): \(r.stderr)")
        #expect(r.stderr == "lstm-grad: error: standard output (closed): write failed: Bad file descriptor\n", "\(command)")
    }

    /// A command that prints nothing on stdout does not fail when it is closed.
    @Test func closedStandardOutputWithNothingToPrint() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let r = try Shell.run("\(Self.bin) init -o \(Shell.quote(dir + "/a.json")) >&-")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try InputFile.read(dir + "/a.json") == Array(try CLIRunner.run(["init"]).stdout.utf8))
    }

    /// `run | head` with SIGPIPE ignored: EPIPE ends the run at once, with 141 and no message.
    @Test func brokenPipeEndsQuietly() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let spec = dir + "/long.json"
        #expect(try CLIRunner.run(["init", "--steps", "2000", "--seed", "1", "-o", spec]).status == 0)
        let script = "trap '' PIPE; \(Self.bin) run \(Shell.quote(spec)) | head -n 1; echo \"status ${PIPESTATUS[0]}\""
        let r = try Shell.run("bash -c \(Shell.quote(script))")
        #expect(r.stdout == "spec: \(spec)\nstatus 141\n")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    /// A device as the target of --write-updated is written in place, and its failure named.
    @Test func writeUpdatedToAFullDevice() throws {
        let r = try CLIRunner.run(["run", "--example", "gomez", "--write-updated", "/dev/full", "--force"])
        #expect(r.status == 3)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == "lstm-grad: error: /dev/full: write failed: No space left on device\n")
        let null = try CLIRunner.run(["run", "--example", "gomez", "--write-updated", "/dev/null", "--force"])
        #expect(null.status == 0, "\(null.stderr)")
    }
}

/// Files are written through a temporary file renamed into place, never over the old one.
@Suite struct AtomicWriteTests {
    /// The updated spec of gomez, as written into a fresh file.
    static func updatedGomez(_ dir: String) throws -> [UInt8] {
        let fresh = dir + "/fresh.json"
        let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", fresh])
        #expect(r.status == 0, "\(r.stderr)")
        defer { unlink(fresh) }
        return try InputFile.read(fresh)
    }

    @Test func anExistingFileNeedsForce() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let updated = try Self.updatedGomez(dir)
        let target = dir + "/target.json"
        try writeFile(target, "precious\n")
        chmod(target, 0o600)
        let refused = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", target])
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == "lstm-grad: error: \(target) already exists; add --force to overwrite it\nsee 'lstm-grad run --help'\n")
        #expect(try InputFile.read(dir + "/target.json") == Array("precious\n".utf8))

        let forced = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", target, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stdout.hasPrefix("spec: fixtures/gomez.json\n"))
        #expect(try InputFile.read(dir + "/target.json") == updated)
        var st = stat()
        #expect(stat(target, &st) == 0 && st.st_mode & 0o777 == 0o600, "the replaced file keeps its permissions")
        #expect(listDirectory(dir).sorted() == ["target.json"], "a temporary file was left: \(listDirectory(dir).sorted())")

        let stray = try CLIRunner.run(["run", "fixtures/gomez.json", "--force"])
        #expect(stray.status == 2)
        #expect(stray.stderr == "lstm-grad: error: --force goes with --write-updated FILE\nsee 'lstm-grad run --help'\n")
    }

    /// --force over the spec being run: it is read whole first, so the result is the same file
    /// a fresh target gets, and a second step runs from it.
    @Test func overwritingTheSpecItself() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let updated = try Self.updatedGomez(dir)
        let spec = dir + "/gomez.json"
        try writeFile(spec, try InputFile.read(Fixtures.path("gomez.json")))
        let r = try CLIRunner.run(["run", spec, "--write-updated", spec, "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try InputFile.read(dir + "/gomez.json") == updated)
        #expect(try CLIRunner.run(["run", spec, "--write-updated", spec, "--force"]).status == 0)
        #expect(try InputFile.read(dir + "/gomez.json") != updated, "the second step moved the parameters again")
        #expect(listDirectory(dir).sorted() == ["gomez.json"])
    }

    /// A symbolic link is followed: the file it names is replaced and the link stays a link.
    @Test func aLinkIsFollowed() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let updated = try Self.updatedGomez(dir)
        try writeFile(dir + "/real.json", "old\n")
        #expect(symlink("real.json", dir + "/link.json") == 0)
        let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", dir + "/link.json", "--force"])
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(lstat(dir + "/link.json", &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
        #expect(try InputFile.read(dir + "/real.json") == updated)
        #expect(listDirectory(dir).sorted() == ["link.json", "real.json"])
    }

    @Test func unwritableTargetsFailBeforeTheRun() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let directory = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", dir, "--force"])
        #expect(directory.status == 3)
        #expect(directory.stdout.isEmpty)
        #expect(directory.stderr == "lstm-grad: error: \(dir): cannot write: Is a directory\n")
        let missing = dir + "/no/such/dir/x.json"
        let initMissing = try CLIRunner.run(["init", "-o", missing])
        #expect(initMissing.status == 3)
        #expect(initMissing.stderr == "lstm-grad: error: \(missing): cannot create: No such file or directory\n")
        let svg = try CLIRunner.run(["analyze", "fixtures/rnn-vanishing.json", "--svg", missing])
        #expect(svg.status == 3)
        #expect(svg.stdout.isEmpty)
        #expect(svg.stderr == "lstm-grad: error: \(missing): cannot create: No such file or directory\n")
        #expect(listDirectory(dir).sorted().isEmpty)
    }

    /// `analyze --svg` replaces its plot (a figure is regenerated, not kept), atomically.
    @Test func svgIsReplaced() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/decay.svg"
        try writeFile(path, "old")
        let r = try CLIRunner.run(["analyze", "fixtures/rnn-vanishing.json", "--svg", path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(String(decoding: try InputFile.read(dir + "/decay.svg"), as: UTF8.self).contains("<svg"))
        #expect(listDirectory(dir).sorted() == ["decay.svg"])
    }

    // MARK: interrupted writes

    /// Starts the binary with stdin, stdout and stderr on /dev/null; returns its pid.
    static func spawn(_ args: [String]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The default action for the signals the test sends (the runner may ignore some).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGTERM, SIGINT, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        // ...and none blocked (a test thread may block some; the mask is inherited).
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = [CLIRunner.binary] + args
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, CLIRunner.binary, &actions, &attributes, &cArgs, environ)
        guard rc == 0 else { throw CLIRunner.SpawnError(description: "posix_spawn: \(rc)") }
        return pid
    }

    /// Waits for the process; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    static func seconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Whether a temporary file of `target` exists in `dir` (the write is under way).
    static func temporaryExists(_ dir: String, for target: String) -> Bool {
        listDirectory(dir).sorted().contains { $0.hasPrefix("." + target + ".") && $0.hasSuffix(".tmp") }
    }

    /// kill -9 at many points of `run --write-updated FILE --force`, spread over the whole run
    /// and then just after the temporary file appears: the target is always the old file or the
    /// complete new one. Both outcomes must occur, and some kills must land during the write.
    @Test func killedAtAnyPointLeavesTheOldOrTheNewFile() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let spec = dir + "/spec.json"
        // About 40,000 weights: an updated spec of several hundred kilobytes.
        #expect(try CLIRunner.run(["init", "--input", "100", "--hidden", "100", "--steps", "3", "--seed", "5", "-o", spec]).status == 0)
        let new = try CLIRunner.run(["run", spec, "--write-updated", dir + "/new.json"])
        #expect(new.status == 0, "\(new.stderr)")
        let newBytes = try InputFile.read(dir + "/new.json")
        let oldBytes = Array("{\"the old file\": true}\n".utf8)
        let target = dir + "/target.json"
        let args = ["run", spec, "--write-updated", target, "--force"]

        let start = Self.seconds()
        try writeFile(dir + "/target.json", oldBytes)
        #expect(Self.wait(try Self.spawn(args)) == 0)
        let duration = Self.seconds() - start

        var outcomes: [String: Int] = ["old": 0, "new": 0]
        var duringWrite = 0
        func check(_ when: String) throws {
            let now = try InputFile.read(dir + "/target.json")
            let which = now == oldBytes ? "old" : (now == newBytes ? "new" : nil)
            #expect(which != nil, "killed \(when): the target is neither the old nor the new file (\(now.count) bytes)")
            if let which { outcomes[which, default: 0] += 1 }
        }
        // Spread over the run, and past its end.
        let points = 12
        for k in 0..<points {
            try writeFile(dir + "/target.json", oldBytes)
            let pid = try Self.spawn(args)
            let delay = duration * 1.3 * Double(k) / Double(points - 1)
            usleep(UInt32(delay * 1e6))
            kill(pid, SIGKILL)
            _ = Self.wait(pid)
            try check("after \(delay) s")
        }
        // While the temporary file is being written: kill as soon as it appears, then a little later.
        for k in 0..<8 {
            try writeFile(dir + "/target.json", oldBytes)
            let pid = try Self.spawn(args)
            let deadline = Self.seconds() + duration * 3 + 5
            var seen = false
            while Self.seconds() < deadline {
                if Self.temporaryExists(dir, for: "target.json") {
                    seen = true
                    break
                }
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid { break }
                usleep(50)
            }
            if seen {
                usleep(UInt32(k * 300))
                duringWrite += Self.temporaryExists(dir, for: "target.json") ? 1 : 0
            }
            kill(pid, SIGKILL)
            _ = Self.wait(pid)
            try check(seen ? "\(k * 300) µs after the temporary file appeared" : "at the end")
            // kill -9 cannot clean up: remove what it left before the next round.
            for name in listDirectory(dir).sorted() where name.hasPrefix(".target.json.") { unlink(dir + "/" + name) }
        }
        #expect(outcomes["old"]! > 0 && outcomes["new"]! > 0, "\(outcomes)")
        #expect(duringWrite > 0, "no kill landed while the temporary file existed")
    }

    /// Eight runs at once, each reading the spec and writing its update over it: every one reads
    /// a whole spec (none fails on a half-written file), and the spec left is one of theirs.
    @Test func parallelRunsOverTheSameSpec() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let spec = dir + "/spec.json"
        #expect(try CLIRunner.run(["init", "--input", "60", "--hidden", "60", "--steps", "3", "--seed", "9", "-o", spec]).status == 0)
        let pids = try (0..<8).map { _ in try Self.spawn(["run", spec, "--write-updated", spec, "--force"]) }
        let statuses = pids.map(Self.wait)
        #expect(statuses == Array(repeating: 0, count: 8), "\(statuses)")
        #expect(try CLIRunner.run(["run", spec, "--summary"]).status == 0)
        #expect(listDirectory(dir).sorted() == ["spec.json"], "\(listDirectory(dir).sorted())")
    }

    /// SIGTERM, SIGINT and SIGHUP while the temporary file exists: it is removed, the target is
    /// untouched, and the process ends by that signal.
    @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
    func aSignalRemovesTheTemporaryFile(_ sig: Int32) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let spec = dir + "/spec.json"
        #expect(try CLIRunner.run(["init", "--input", "100", "--hidden", "100", "--steps", "3", "--seed", "5", "-o", spec]).status == 0)
        let oldBytes = Array("old\n".utf8)
        var caught = 0
        for _ in 0..<5 where caught == 0 {
            try writeFile(dir + "/target.json", oldBytes)
            let pid = try Self.spawn(["run", spec, "--write-updated", dir + "/target.json", "--force"])
            let deadline = Self.seconds() + 60
            var seen = false, exited = false
            var status: Int32 = 0
            while Self.seconds() < deadline {
                if Self.temporaryExists(dir, for: "target.json") {
                    seen = true
                    break
                }
                if waitpid(pid, &status, WNOHANG) == pid {
                    exited = true
                    break
                }
            }
            guard seen else {
                if !exited { _ = Self.wait(pid) }
                continue
            }
            kill(pid, sig)
            status = Self.wait(pid)
            let now = try InputFile.read(dir + "/target.json")
            if now == oldBytes {
                // The signal arrived before the rename: it ended the process and took the
                // temporary file with it.
                #expect(status == 128 + sig, "status \(status)")
                #expect(listDirectory(dir).sorted() == ["spec.json", "target.json"], "\(listDirectory(dir).sorted())")
                caught += 1
            }
        }
        #expect(caught > 0, "the signal never arrived during the write")
    }
}
