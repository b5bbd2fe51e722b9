import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Input size and nesting limits, and exit codes with errors on stderr only.
@Suite struct LimitsTests {
    @Test func fileOverTheLimitIsRefusedBeforeReading() throws {
        let output = try CLIRunner.run(["run", "fixtures/gomez.json", "--max-input", "100"])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "lstm-grad: error: fixtures/gomez.json: the file is 477 bytes, over the limit of 100 bytes (raise it with --max-input BYTES)\n")
    }

    /// A 65 MiB sparse file is refused under the default 64 MiB limit by its size alone.
    @Test func defaultLimitIs64MiB() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/big.json"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        #expect(ftruncate(fd, 65 << 20) == 0)
        close(fd)
        let output = try CLIRunner.run(["run", path])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "lstm-grad: error: \(path): the file is 68157440 bytes, over the limit of 67108864 bytes (raise it with --max-input BYTES)\n")
    }

    @Test func stdinOverTheLimitIsRefused() throws {
        let output = try CLIRunner.runBytes(["run", "-", "--max-input", "1000"], stdin: [UInt8](repeating: 0x20, count: 5000))
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == "lstm-grad: error: <stdin>: the input is over the limit of 1000 bytes (raise it with --max-input BYTES)\n")
    }

    /// 100 000 open brackets stop at the 65th, before any deep recursion or allocation.
    @Test(arguments: ["[", "{\"a\":"])
    func deepNestingOnStdinIsRefused(_ open: String) throws {
        let output = try CLIRunner.run(["run", "-"], stdin: String(repeating: open, count: 100_000))
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        let column = 64 * open.count + 1
        #expect(output.stderr == "<stdin>:1:\(column): error: invalid JSON: JSON nested deeper than 64 levels (the limit)\n")
    }

    @Test func missingFileAndDirectory() throws {
        let missing = try CLIRunner.run(["run", "fixtures/no-such-spec.json"])
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr == "lstm-grad: error: fixtures/no-such-spec.json: cannot open: No such file or directory\n")
        let directory = try CLIRunner.run(["run", "fixtures"])
        #expect(directory.status == 2)
        #expect(directory.stderr == "lstm-grad: error: fixtures: is a directory, expected a JSON file\n")
    }

    /// Usage errors exit 2 with the message and a pointer to --help on stderr, nothing on stdout.
    @Test(arguments: [
        (["run"], "lstm-grad: error: missing the spec file (or '-' for stdin)\nsee 'lstm-grad run --help'\n"),
        (["rnu", "x.json"], "lstm-grad: error: unknown command 'rnu'; did you mean 'run'?\nsee 'lstm-grad --help'\n"),
        (["run", "fixtures/gomez.json", "--max-input", "0"],
         "lstm-grad: error: --max-input expects a whole number from 1 to 2147483647, found '0'\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/gomez.json", "--formt", "json"],
         "lstm-grad: error: unknown option '--formt' for 'run'; did you mean '--format'?\nsee 'lstm-grad run --help'\n"),
    ])
    func usageErrors(_ args: [String], _ stderr: String) throws {
        let output = try CLIRunner.run(args)
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr == stderr)
    }

    @Test func successWritesOnlyStdout() throws {
        let output = try CLIRunner.run(["run", "fixtures/gomez.json"])
        #expect(output.status == 0)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.hasPrefix("spec: fixtures/gomez.json\n"))
    }
}
