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
        try runExamples(lines, of: command)
    }

    /// The examples are real: each runs as written, in order, in a fresh directory (so that the
    /// files they write, such as decay.svg, go nowhere near the repository) with lstm-grad on
    /// PATH. Skipped: lines that need what a reader brings (a file of their own such as
    /// answers.json, a tool that is not installed) or that write outside the directory (~).
    func runExamples(_ lines: [String], of command: String) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        var ran = 0
        for line in lines {
            if line.contains("~") || line.contains("<(") { continue }
            let files = line.split(separator: " ").filter { $0.hasSuffix(".json") && !$0.contains("'") }
            if files.contains(where: { access(dir + "/" + $0, F_OK) != 0 }) && !line.contains(">") { continue }
            if line.contains("| jq") && Shell.which("jq") == nil {
                print("note: help example of \(command) skipped: jq is not installed ('make setup' installs it): \(line)")
                continue
            }
            let run = try Shell.run(line, environment: Shell.binaryOnPath, in: dir)
            // 1 is check's "a mismatch was found": a real outcome of grading.
            #expect(run.status == 0 || (command == "check" && run.status == 1), "example '\(line)' failed: \(run.stderr)")
            ran += 1
        }
        // The completion scripts' examples all install into the home directory.
        #expect(ran >= 1 || command == "completions", "no example of \(command) ran")
    }

    /// An installed binary has no repository around it: help, the overview and the completion
    /// scripts point at built-in examples, never at fixtures/.
    @Test func helpNamesNoRepositoryPaths() throws {
        var texts = [try CLIRunner.run(["--help"]).stdout]
        for c in Self.commands { texts.append(try CLIRunner.run([c, "--help"]).stdout) }
        for shell in ["bash", "zsh", "fish"] { texts.append(try CLIRunner.run(["completions", shell]).stdout) }
        for t in try CLIRunner.run(["help", "spec"]).stdout.split(separator: "'lstm-grad help ").dropFirst() {
            texts.append(try CLIRunner.run(["help", String(t.prefix { $0 != "'" })]).stdout)
        }
        for text in texts { #expect(!text.contains("fixtures/"), "\(text.prefix(60))…")}
        #expect(texts.count > 15)
    }

    /// The overview's examples run too.
    @Test func overviewExamplesRun() throws {
        let r = try CLIRunner.run(["--help"])
        let examples = try #require(r.stdout.split(separator: "\nexamples:\n").last)
        let lines = examples.split(separator: "\n").prefix { $0.hasPrefix("  ") }.map { $0.trimmingWhitespace() }
        #expect(lines.count >= 4)
        try runExamples(lines, of: "overview")
    }

    @Test(arguments: [
        (["rnu"], "lstm-grad: error: unknown command 'rnu'; did you mean 'run'?\nsee 'lstm-grad --help'\n"),
        (["exmaples"], "lstm-grad: error: unknown command 'exmaples'; did you mean 'examples'?\nsee 'lstm-grad --help'\n"),
        (["int"], "lstm-grad: error: unknown command 'int'; did you mean 'init'?\nsee 'lstm-grad --help'\n"),
        (["run", "--example", "gomez", "--colr", "never"], "lstm-grad: error: unknown option '--colr' for 'run'; did you mean '--color'?\nsee 'lstm-grad run --help'\n"),
        (["run", "--example", "gomez", "--color", "allways"], "lstm-grad: error: --color expects one of auto, always, never, found 'allways'; did you mean 'always'?\nsee 'lstm-grad run --help'\n"),
        (["run", "--example", "gomez", "--format", "cvs"], "lstm-grad: error: --format expects one of text, json, markdown, latex, csv, html, found 'cvs'; did you mean 'csv'?\nsee 'lstm-grad run --help'\n"),
        (["init", "--sede", "1"], "lstm-grad: error: unknown option '--sede' for 'init'; did you mean '--seed'?\nsee 'lstm-grad init --help'\n"),
        (["help", "sepc"], "lstm-grad: error: no help for 'sepc'; did you mean 'spec'? (commands and topics: run, check, gradcheck, analyze, init, examples, completions, spec, keys, shapes, lstm, rnn, gru, layouts, heads, losses, training, notations, files)\nsee 'lstm-grad --help'\n"),
        (["help", "grus"], "lstm-grad: error: no help for 'grus'; did you mean 'gru'? (commands and topics: run, check, gradcheck, analyze, init, examples, completions, spec, keys, shapes, lstm, rnn, gru, layouts, heads, losses, training, notations, files)\nsee 'lstm-grad --help'\n"),
        (["help", "--format", "man", "run"], "lstm-grad: error: the manual page is printed whole: 'lstm-grad help --format man'\nsee 'lstm-grad --help'\n"),
        (["help", "--format", "roff"], "lstm-grad: error: --format expects one of text, markdown, man, found 'roff'\nsee 'lstm-grad help --help'\n"),
        (["completions", "zhs"], "lstm-grad: error: no completions for 'zhs'; did you mean 'zsh'?; one of bash, zsh, fish\nsee 'lstm-grad completions --help'\n"),
    ] as [([String], String)])
    func didYouMean(_ args: [String], _ stderr: String) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == stderr)
    }
}
