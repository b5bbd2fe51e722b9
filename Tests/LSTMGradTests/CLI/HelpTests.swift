import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Help that teaches: the overview, every command's help with real examples, "did you mean",
/// and `help spec`.
@Suite struct HelpTests {
    static let commands = ["run", "check", "gradcheck", "analyze", "init", "examples", "completions"]

    @Test func overviewListsEveryCommandAndTopic() throws {
        let r = try CLIRunner.run(["--help"])
        #expect(r.status == 0)
        for c in Self.commands { #expect(r.stdout.contains("\n  \(c) "), "overview lacks \(c)") }
        #expect(r.stdout.contains("\n  spec "))
        #expect(r.stdout.contains("lstm-grad run --example gomez"))
        #expect(try CLIRunner.run(["help"]).stdout == r.stdout)
    }

    @Test(arguments: commands)
    func commandHelpHasPurposeOptionsAndExamples(_ command: String) throws {
        let r = try CLIRunner.run([command, "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("lstm-grad \(command): "))
        #expect(r.stdout.contains("\nusage: lstm-grad \(command)"))
        #expect(r.stdout.contains("\noptions:\n"))
        #expect(r.stdout.contains("  --help"))
        #expect(try CLIRunner.run(["help", command]).stdout == r.stdout)
        #expect(try CLIRunner.run([command, "-h"]).stdout == r.stdout)
        let examples = try #require(r.stdout.split(separator: "\nexamples:\n").last)
        let lines = examples.split(separator: "\n").map { $0.trimmingWhitespace() }
        #expect(lines.count >= 2, "\(command) shows \(lines.count) examples")
        // The examples are real: those that are one plain command run successfully.
        for line in lines where line.hasPrefix("lstm-grad ") {
            let shellish = ["|", ">", "<", "&&", "$(", "~", " -o ", "--output", "--write-updated"]
            guard !shellish.contains(where: { line.contains($0) }) else { continue }
            let args = line.split(separator: " ").dropFirst().map(String.init)
            // Skip shell quoting and placeholder files the reader supplies (answers.json).
            if args.contains(where: { $0.contains("'") || ($0.hasSuffix(".json") && access(Fixtures.root + "/" + $0, F_OK) != 0) }) { continue }
            let run = try CLIRunner.run(args)
            // 1 is check's "a mismatch was found": a real outcome of grading.
            #expect(run.status == 0 || (command == "check" && run.status == 1), "example '\(line)' failed: \(run.stderr)")
        }
    }

    @Test(arguments: [
        (["rnu"], "lstm-grad: error: unknown command 'rnu'; did you mean 'run'?\nsee 'lstm-grad --help'\n"),
        (["exmaples"], "lstm-grad: error: unknown command 'exmaples'; did you mean 'examples'?\nsee 'lstm-grad --help'\n"),
        (["int"], "lstm-grad: error: unknown command 'int'; did you mean 'init'?\nsee 'lstm-grad --help'\n"),
        (["run", "--example", "gomez", "--colr", "never"], "lstm-grad: error: unknown option '--colr' for 'run'; did you mean '--color'?\nsee 'lstm-grad run --help'\n"),
        (["run", "--example", "gomez", "--color", "allways"], "lstm-grad: error: --color expects one of auto, always, never, found 'allways'; did you mean 'always'?\nsee 'lstm-grad run --help'\n"),
        (["run", "--example", "gomez", "--format", "cvs"], "lstm-grad: error: --format expects one of text, json, markdown, latex, csv, found 'cvs'; did you mean 'csv'?\nsee 'lstm-grad run --help'\n"),
        (["init", "--sede", "1"], "lstm-grad: error: unknown option '--sede' for 'init'; did you mean '--seed'?\nsee 'lstm-grad init --help'\n"),
        (["help", "sepc"], "lstm-grad: error: no help for 'sepc'; did you mean 'spec'? (commands and topics: run, check, gradcheck, analyze, init, examples, completions, spec)\nsee 'lstm-grad --help'\n"),
        (["completions", "zhs"], "lstm-grad: error: no completions for 'zhs'; did you mean 'zsh'?; one of bash, zsh, fish\nsee 'lstm-grad completions --help'\n"),
    ] as [([String], String)])
    func didYouMean(_ args: [String], _ stderr: String) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == stderr)
    }

    /// `help spec` covers every top-level key, head and loss the decoder accepts, and its
    /// example is a spec that runs.
    @Test func specReferenceCoversTheFormat() throws {
        let r = try CLIRunner.run(["help", "spec"])
        #expect(r.status == 0)
        for key in SpecDecoder.topLevelKeys {
            #expect(r.stdout.contains("\n  \(key) "), "help spec lacks \(key)")
        }
        for head in HeadKind.allCases { #expect(r.stdout.contains("\"\(head.rawValue)\""), "help spec lacks head \(head)") }
        for loss in SpecTemplate.losses { #expect(r.stdout.contains("\"\(loss)\""), "help spec lacks loss \(loss)") }
        for block in ["\"W\"", "\"U\"", "\"b\"", "\"half\"", "\"reduction\""] { #expect(r.stdout.contains(block)) }
        let example = try #require(r.stdout.split(separator: "examples gomez)\n").last)
        let spec = try Fixtures.spec(json: String(example))
        #expect(spec.modelName == "lstm")
    }
}
