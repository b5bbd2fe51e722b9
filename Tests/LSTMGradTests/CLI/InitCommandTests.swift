import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `lstm-grad init` end to end: its output runs as is.
@Suite struct InitCommandTests {
    @Test(arguments: HeadKind.allCases.map(\.rawValue))
    func initOutputRunsAsIs(_ head: String) throws {
        for extra in [[], ["--seed", "3"], ["--input", "1", "--hidden", "3", "--steps", "2", "--seed", "11"]] {
            let spec = try CLIRunner.run(["init", "--head", head] + extra)
            #expect(spec.status == 0, "\(spec.stderr)")
            #expect(spec.stderr.isEmpty)
            let run = try CLIRunner.run(["run", "-"], stdin: spec.stdout)
            #expect(run.status == 0, "init --head \(head) \(extra): \(run.stderr)")
            #expect(run.stderr.isEmpty)
            #expect(run.stdout.contains("Updated parameters"))
        }
    }

    @Test(arguments: ["rnn", "gru"])
    func otherModelsRunAsIs(_ model: String) throws {
        let spec = try CLIRunner.run(["init", "--model", model, "--head", "linear", "--seed", "2"])
        #expect(spec.status == 0, "\(spec.stderr)")
        #expect(spec.stdout.contains("\"model\": \"\(model)\""))
        let run = try CLIRunner.run(["run", "-"], stdin: spec.stdout)
        #expect(run.status == 0, "\(run.stderr)")
        let check = try CLIRunner.run(["gradcheck", "-"], stdin: spec.stdout)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    @Test func writesAFileAndRefusesToOverwriteIt() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/my.json"
        let first = try CLIRunner.run(["init", "--seed", "1", "-o", path])
        #expect(first.status == 0)
        #expect(first.stdout.isEmpty)
        #expect(first.stderr == "wrote \(path); run it with 'lstm-grad run \(path)'\n")
        let again = try CLIRunner.run(["init", "--output", path])
        #expect(again.status == 2)
        #expect(again.stderr.hasPrefix("lstm-grad: error: \(path) already exists; add --force to overwrite it\n"))
        let forced = try CLIRunner.run(["init", "--seed", "1", "-o", path, "--force"])
        #expect(forced.status == 0)
        let stdout = try CLIRunner.run(["init", "--seed", "1"])
        #expect(String(decoding: try InputFile.read(path), as: UTF8.self) == stdout.stdout)
        #expect(try CLIRunner.run(["run", path]).status == 0)
    }

    @Test(arguments: [
        (["init", "--head", "softmx"], "lstm-grad: error: --head expects one of none, linear, sigmoid, softmax, found 'softmx'; did you mean 'softmax'?\nsee 'lstm-grad init --help'\n"),
        (["init", "--loss", "ce"], "lstm-grad: error: the ce loss needs --head softmax\nsee 'lstm-grad init --help'\n"),
        (["init", "--hidden", "0"], "lstm-grad: error: --hidden expects a whole number from 1 to 4096, found '0'\nsee 'lstm-grad init --help'\n"),
        (["init", "--mdoel", "lstm"], "lstm-grad: error: unknown option '--mdoel' for 'init'; did you mean '--model'?\nsee 'lstm-grad init --help'\n"),
        (["init", "spec.json"], "lstm-grad: error: init takes no file argument; write to a file with -o FILE\nsee 'lstm-grad init --help'\n"),
    ] as [([String], String)])
    func usageErrors(_ args: [String], _ stderr: String) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == stderr)
    }
}
