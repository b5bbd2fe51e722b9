import LSTMGrad

/// `lstm-grad check spec.json answers.json`: grades a student's answers against the true values.
enum CheckCommand: Command {
    static let name = "check"
    static let abstract = "grade an answers file against the true values, with likely mistakes"
    static let usage = "lstm-grad check SPEC.json ANSWERS.json [--tol X] [--rounded D]"
    static let options = [
        OptionSpec(name: "tol", value: "X", help: "absolute tolerance for every answer (default: half a unit of the last digit written)"),
        OptionSpec(name: "rounded", value: "D", help: "also accept values of the pass recomputed with every intermediate rounded to D decimals"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse input files larger than this (default 64 MiB)"),
        CLI.exampleOption,
        CLI.colorOption,
    ]
    static let discussion: [SpecReference.Block] = [
        .text("ANSWERS is a JSON object from quantity names to the values a student wrote: a number, or an array (a matrix as an array of rows, or flat). The names are the canonical ones of 'lstm-grad run SPEC --format json' (a[0], delta_state[1], dW.a, the stacked dW, the updated W.a') or an alias of the spec's notation (C[0], h[1], …); a name that does not exist is an error with a \"did you mean\". For example:"),
        .lines(["{\"a[0]\": 0.81775, \"delta_out[0]\": 0.01803, \"delta_x[0]\": [-0.00817, -0.00487], \"dW.a\": [-0.02672, -0.0922]}"]),
        .text("Each number must be within half a unit of its last written digit of the true value (0.01803: ±0.000005; an integer counts as 5 decimals); --tol X sets one absolute tolerance instead. One line per answer: ✓ or ✗, the number as written and the true value, then 'N correct, M wrong'."),
        .text("An answer that is wrong against the truth but follows from the student's own earlier answers is marked '✓ carried forward (from …)', so that one slip counts once; with --rounded D, one that matches the pass recomputed with every intermediate rounded to D decimals is marked '✓ rounding'. A wrong answer is explained when a classic mistake reproduces it: the recurrent term forgotten, δf_t from state_t instead of state_{t−1}, the sign of the loss derivative flipped, tanh′ = 1 − tanh, the value of a neighbouring timestep."),
        .text("The exit status is 0 when every answer is right, 1 when one is wrong, 2 for bad input. ANSWERS may be '-' for standard input; with --example NAME the only argument is ANSWERS."),
    ]
    static let examples = [
        "echo '{\"a[0]\": 0.81775, \"delta_out[0]\": 0.03631}' | lstm-grad check --example gomez -",
        "lstm-grad check --example gomez answers.json --rounded 5",
        "lstm-grad check my.json answers.json --tol 1e-4",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        // With --example NAME the spec is built in and the one positional is the answers file.
        let example = args.value("example")
        guard args.positionals.count == (example == nil ? 2 : 1) else {
            if example != nil {
                throw .usage("with --example the only argument is the answers file, found \(args.positionals.count) arguments", command: name)
            }
            throw .usage("expected a spec file and an answers file, found \(args.positionals.count) argument\(args.positionals.count == 1 ? "" : "s")", command: name)
        }
        var tolerance: Double?
        if let s = args.value("tol") {
            guard let v = Double(s), v.isFinite, v >= 0 else {
                throw .usage("--tol expects a non-negative number, found '\(s)'", command: name)
            }
            tolerance = v
        }
        let rounded = args.has("rounded") ? try args.integer("rounded", default: 5, range: 0...12, command: name) : nil
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let spec: Spec
        if let example {
            spec = try CLI.loadExample(example, command: name)
        } else {
            spec = try CLI.loadSpec(args.positionals[0], maxBytes: maxBytes)
        }
        if spec.isNetwork {
            throw .usage("\(spec.file): check does not handle stacked, bidirectional or batched networks yet (run and gradcheck do)", command: name)
        }
        let report: Report
        do {
            report = try spec.report(work: true)
        } catch {
            throw .numeric(file: spec.file, error)
        }
        let path = args.positionals[example == nil ? 1 : 0]
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, maxBytes: maxBytes)
        } catch {
            throw .file(error)
        }
        let answers: [Answer]
        do {
            answers = try AnswerSheet.decode(SourceText(name: path == "-" ? "<stdin>" : path, bytes: bytes),
                                             report: report, notation: spec.notation)
        } catch {
            throw .input(error)
        }
        let check = AnswerCheck(answers: answers, report: report, tolerance: tolerance, rounded: rounded)
        check.render(into: &out, color: try CLI.useColor(args, command: name))
        return check.wrong == 0 ? 0 : 1
    }
}
