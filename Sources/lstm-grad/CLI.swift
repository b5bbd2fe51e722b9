import LSTMGrad
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A subcommand: a name, a one-line purpose, its options, examples, and what it does.
protocol Command: Sendable {
    static var name: String { get }
    static var abstract: String { get }
    static var usage: String { get }
    static var options: [OptionSpec] { get }
    /// What the command does beyond its abstract, for its --help and the man page (may be empty).
    static var discussion: [SpecReference.Block] { get }
    static var examples: [String] { get }
    /// What the positional arguments complete to in a shell.
    static var argumentCompletion: ArgumentCompletion { get }
    /// Writes its result to `out` (flushed only on success) and returns the exit code.
    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32
}

/// What a command's positional arguments are, for shell completions.
enum ArgumentCompletion: Sendable {
    case none, files
    case words([String])
}

extension Command {
    /// Files by default (a spec to read).
    static var argumentCompletion: ArgumentCompletion { .files }
    static var discussion: [SpecReference.Block] { [] }
}

enum CLI {
    static let version = "0.1.0"
    static let commands: [any Command.Type] = [RunCommand.self, CheckCommand.self, GradcheckCommand.self, AnalyzeCommand.self,
                                               InitCommand.self, ExamplesCommand.self, CompletionsCommand.self]

    /// What the tool is, in one paragraph (the overview and the man page's DESCRIPTION).
    static let description = "Runs the forward pass and backpropagation through time of a small LSTM, RNN or GRU written as JSON, and prints every intermediate value, every δ, the parameter gradients and the SGD update, in the notation of a homework solution; grades answers, proves gradients by finite differences, explains vanishing and exploding gradients."

    static var overview: String {
        "lstm-grad \(version): the reference gradient calculator for recurrent networks\n\n"
            + ReferenceText.wrap(description, width: ReferenceText.width, first: "", rest: "")
            + "\nusage: lstm-grad <command> [options]\n\n"
    }

    /// A few command lines that run anywhere (built-in examples, files the user writes), for the
    /// overview and the man page.
    static let overviewExamples = [
        "lstm-grad run --example gomez",
        "lstm-grad examples gomez > my.json && lstm-grad run my.json",
        "lstm-grad init --input 3 --hidden 2 --steps 4 --seed 1 -o new.json",
        "lstm-grad run new.json --format json",
        "lstm-grad init --head softmax --seed 7 | lstm-grad run -",
    ]

    /// Runs a command line and returns the exit code (see `ExitStatus`). Nothing reaches stdout
    /// unless the command succeeds, and every byte written there is checked.
    static func run(_ args: [String]) -> Int32 {
        StandardOutput.protectStandardDescriptors()
        var out = OutputBuffer()
        // A write to stdout that fails (a full disk, a closed stdout, a reader that left the
        // pipe) ends the command there: one message, and the status for a failed output.
        out.onWriteError = { code in
            let error = CLIError.output(StandardOutput.failure(code))
            report(error)
            exit(exitCode(for: error))
        }
        do {
            let code = try dispatch(args, out: &out)
            out.drain(to: 1)
            if let failure = StandardOutput.finish() {
                report(.output(failure))
                return exitCode(for: .output(failure))
            }
            return code
        } catch {
            report(error)
            return exitCode(for: error)
        }
    }

    /// Every exit status the tool uses, documented in `--help`, the man page and the README.
    enum ExitStatus {
        static let ok: Int32 = 0
        /// `check` or `gradcheck` found a mismatch.
        static let mismatch: Int32 = 1
        /// Bad usage or bad input (nothing was written).
        static let badInput: Int32 = 2
        /// An output could not be written: stdout or a file (a full disk, a closed stdout, a
        /// directory that does not exist).
        static let outputFailed: Int32 = 3
        /// The reader of stdout went away (`| head`) while SIGPIPE was ignored: the status a
        /// shell shows for a process ended by SIGPIPE (128 + 13), with no message.
        static let brokenPipe: Int32 = 141
    }

    static func exitCode(for error: CLIError) -> Int32 {
        switch error {
        case .usage, .input, .file, .numeric: return ExitStatus.badInput
        case .output(let failure): return failure.isBrokenPipe ? ExitStatus.brokenPipe : ExitStatus.outputFailed
        }
    }

    static func report(_ error: CLIError) {
        switch error {
        case .usage(let message, let command):
            let help = command.map { "lstm-grad \($0) --help" } ?? "lstm-grad --help"
            writeStandardError("lstm-grad: error: \(message)\nsee '\(help)'\n")
        case .input(let errors):
            var text = errors.diagnostics.map(\.description).joined(separator: "\n") + "\n"
            if errors.omitted > 0 {
                text += "\(errors.diagnostics.count) errors shown, \(errors.omitted) more not shown; fix these and run again\n"
            } else if errors.diagnostics.count > 1 {
                text += "\(errors.diagnostics.count) errors\n"
            }
            writeStandardError(text)
        case .file(let failure):
            writeStandardError("lstm-grad: error: \(failure.message)\n")
        case .numeric(let file, let e):
            writeStandardError("\(file): error: \(e)\n")
        case .output(let failure):
            // A reader that left the pipe wants no more output, and no message either.
            if !failure.isBrokenPipe { writeStandardError("lstm-grad: error: \(failure.message)\n") }
        }
    }

    /// `--force` for a command that writes a file: replace it if it exists.
    static func forceOption(_ purpose: String) -> OptionSpec {
        OptionSpec(name: "force", value: nil, help: purpose)
    }

    /// Before any work: a file the command will write can be written (`OutputFile.check`).
    static func checkOutput(_ path: String, force: Bool, command: String) throws(CLIError) {
        do {
            try OutputFile.check(path, mode: force ? .replace : .create)
        } catch {
            throw outputError(error, command: command)
        }
    }

    /// Writes a file through a temporary file renamed into place (`OutputFile.write`).
    static func writeOutput(_ path: String, _ text: String, force: Bool, command: String) throws(CLIError) {
        do {
            try OutputFile.write(path, text, mode: force ? .replace : .create)
        } catch {
            throw outputError(error, command: command)
        }
    }

    static func outputError(_ failure: OutputFile.Failure, command: String) -> CLIError {
        switch failure {
        case .exists(let path): return .usage("\(path) already exists; add --force to overwrite it", command: command)
        case .failed(let f): return .output(f)
        }
    }

    static func dispatch(_ args: [String], out: inout OutputBuffer) throws(CLIError) -> Int32 {
        guard let first = args.first else {
            throw .usage("no command given; try 'lstm-grad run --example gomez'", command: nil)
        }
        switch first {
        case "--help", "-h", "help":
            try help(Array(args.dropFirst()), out: &out)
            return 0
        case "--version", "-V", "version":
            out.write("lstm-grad \(version)\n")
            return 0
        default:
            break
        }
        guard let command = commands.first(where: { $0.name == first }) else {
            if first.hasPrefix("-") {
                throw .usage("unknown option '\(first)'; a command comes first, e.g. 'lstm-grad run spec.json'", command: nil)
            }
            let near = suggestion(for: first, among: commands.map { $0.name })
            throw .usage("unknown command '\(first)'" + (near.map { "; did you mean '\($0)'?" } ?? ""), command: nil)
        }
        let options = command.options + [OptionSpec(name: "help", value: nil, help: "show this help")]
        let parsed = try ParsedArguments.parse(Array(args.dropFirst()), allowed: options, command: command.name)
        if parsed.has("help") {
            out.write(helpText(command))
            return 0
        }
        return try command.run(parsed, out: &out)
    }

    static func overviewText() -> String {
        var s = overview + "commands:\n"
        let width = max(12, (commands.map { $0.name.count }.max() ?? 0) + 2)
        for c in commands {
            s += "  " + c.name.padding(width) + c.abstract + "\n"
        }
        s += "\nhelp topics ('lstm-grad help TOPIC'):\n"
        for t in helpTopics { s += "  " + t.name.padding(width) + t.summary + "\n" }
        s += """

            options:
              --help      show help (also 'lstm-grad CMD --help', 'lstm-grad help CMD')
              --version   print the version

            examples:

            """
        for e in overviewExamples { s += "  \(e)\n" }
        s += "\nexit codes: 0 ok, 1 a check found a mismatch, 2 bad usage or bad input,\n"
            + "  3 an output could not be written, 141 the reader of stdout went away\n"
        return s
    }

    static func helpText(_ c: any Command.Type) -> String {
        var s = "lstm-grad \(c.name): \(c.abstract)\n\nusage: \(c.usage)\n\n"
        if !c.discussion.isEmpty { s += ReferenceText.text(c.discussion, indent: 0) + "\n" }
        s += "options:\n"
        let all = c.options + [OptionSpec(name: "help", value: nil, help: "show this help")]
        let width = all.map { "--\($0.name)".count + ($0.value.map { $0.count + 1 } ?? 0) }.max() ?? 0
        for o in all {
            let left = "--\(o.name)" + (o.value.map { " " + $0 } ?? "")
            s += "  " + left.padding(width + 2) + o.help + "\n"
        }
        s += "\nexamples:\n"
        for e in c.examples { s += "  \(e)\n" }
        return s
    }

    /// Reads and decodes a spec file ("-" for stdin).
    static func loadSpec(_ path: String, maxBytes: Int) throws(CLIError) -> Spec {
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, maxBytes: maxBytes)
        } catch {
            throw .file(error)
        }
        let name = path == "-" ? "<stdin>" : path
        do {
            let spec = try SpecDecoder.decode(SourceText(name: name, bytes: bytes))
            for w in spec.warnings { writeStandardError(w.description + "\n") }
            return spec
        } catch {
            throw .input(error)
        }
    }
}

// MARK: - Shared helpers for every command: spec sources, colour and width.

extension CLI {
    /// `--example NAME`: a command that reads a spec appends this to its options and calls
    /// `loadSpec(_:command:maxBytes:)`.
    static let exampleOption = OptionSpec(name: "example", value: "NAME",
                                          help: "use a built-in example instead of a file (see 'lstm-grad examples')",
                                          choices: BuiltInExample.all.map(\.name))

    /// The spec a command reads: `--example NAME`, or its one positional file ('-' for stdin).
    static func loadSpec(_ args: ParsedArguments, command: String, maxBytes: Int) throws(CLIError) -> Spec {
        if let name = args.value("example") {
            guard args.positionals.isEmpty else {
                throw .usage("give either a spec file or --example, not both", command: command)
            }
            return try loadExample(name, command: command)
        }
        guard args.positionals.count == 1 else {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or '-' for stdin, or --example NAME)"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: command)
        }
        return try loadSpec(args.positionals[0], maxBytes: maxBytes)
    }

    static func example(_ name: String, command: String) throws(CLIError) -> BuiltInExample {
        guard let e = BuiltInExample.named(name) else {
            let names = BuiltInExample.all.map(\.name)
            let near = suggestion(for: name, among: names)
            throw .usage("no built-in example '\(name)'" + (near.map { "; did you mean '\($0)'?" } ?? "")
                         + "; 'lstm-grad examples' lists them", command: command)
        }
        return e
    }

    static func loadExample(_ name: String, command: String) throws(CLIError) -> Spec {
        let e = try example(name, command: command)
        do {
            let spec = try SpecDecoder.decode(SourceText(name: e.sourceName, bytes: Array(e.text.utf8)))
            for w in spec.warnings { writeStandardError(w.description + "\n") }
            return spec
        } catch {
            throw .input(error)
        }
    }

    /// `--color auto|always|never`: a command that prints a report appends this to its options.
    static let colorOption = OptionSpec(name: "color", value: "WHEN",
                                        help: "auto (default: colour when stdout is a terminal and NO_COLOR is unset), always or never",
                                        choices: ["auto", "always", "never"])

    /// Whether to colour stdout: `--color`, else a terminal without `NO_COLOR`.
    static func useColor(_ args: ParsedArguments, command: String) throws(CLIError) -> Bool {
        switch try args.choice("color", default: "auto", among: ["auto", "always", "never"], command: command) {
        case "always": return true
        case "never": return false
        default:
            if let v = environment("NO_COLOR"), !v.isEmpty { return false }
            return isTerminal(1)
        }
    }

    /// The width to wrap wide values at: `COLUMNS` if set, else the terminal's, else none.
    static func outputWidth() -> Int? {
        if let c = environment("COLUMNS"), let n = Int(c), n > 0 { return max(n, 20) }
        return terminalColumns(1)
    }
}

extension String {
    func padding(_ width: Int) -> String {
        let n = unicodeScalars.count
        return n >= width ? self + " " : self + String(repeating: " ", count: width - n)
    }

}
