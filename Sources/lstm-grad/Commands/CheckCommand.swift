import LSTMGrad

/// `lstm-grad check SPEC FILE... | DIR`: grades students' answers against the true values.
enum CheckCommand: Command {
    static let name = "check"
    static let abstract = "grade answers files against the true values, with likely mistakes and typos"
    static let usage = "lstm-grad check SPEC.json ANSWERS.json... | DIR [--format F] [--detail] [--rubric FILE] [--strict]"
    static let options = [
        OptionSpec(name: "format", value: "F", help: "text (default), json, csv (one row per answer), gradebook (one row per file), gradescope (results.json of one submission) or html (a page of one submission to hand back: ✓/✗, the true value, the diagnosis and each equation)",
                   choices: CheckFormat.allCases.map(\.rawValue)),
        OptionSpec(name: "detail", value: nil, help: "with many files, every answer of each file before the summary"),
        OptionSpec(name: "rubric", value: "FILE", help: "points per quantity, symbol or section (default: every answer 1 point)"),
        OptionSpec(name: "min-digits", value: "N", help: "significant digits an answer must get right (default 3; 0: only the digits written)"),
        OptionSpec(name: "strict", value: nil, help: "no credit for carried-forward errors or hand rounding (regression checks)"),
        OptionSpec(name: "no-recurrent-terms", value: nil, help: "grade against the truncated gradient (no terms from t+1), as 'run --no-recurrent-terms'"),
        OptionSpec(name: "tol", value: "X", help: "absolute tolerance for every answer instead of the written digits"),
        OptionSpec(name: "rounded", value: "D", help: "also accept values of the pass recomputed with every intermediate rounded to D decimals"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse input files larger than this (default 64 MiB)"),
        CLI.exampleOption,
        CLI.colorOption,
    ]
    static let discussion: [SpecReference.Block] = [
        .text("Each ANSWERS file is a JSON object from quantity names to the values a student wrote: a number, or an array (a matrix as an array of rows, or flat). The names are the canonical ones of 'lstm-grad run SPEC --format json' (a[0], delta_state[1], dW.a, the stacked dW, the updated W.a'), an alias of the spec's notation (C[0], h[1], …) or the label the report prints (δout_0, ∇W^hi); the whole document 'run --format json' writes is an answers file too. For example:"),
        .lines(["{\"a[0]\": 0.81775, \"delta_out[0]\": 0.01803, \"delta_x[0]\": [-0.00817, -0.00487], \"dW.a\": [-0.02672, -0.0922]}"]),
        .text("A directory stands for the .json files in it. One file prints one line per answer; many print one summary row per file (correct, wrong, carried forward, missing, unknown names, score), and --detail adds every answer. A name that does not exist is reported with a \"did you mean\" and the other answers are graded; so is a file that is not JSON."),
        .text("A number passes within half a unit of its last written digit, and only if it gets --min-digits significant digits of the true value right (default 3; never more than its 5th decimal): 0.0 does not pass for -0.01702. An answer that follows from the student's own earlier answers, each anywhere within its written digits, is '✓ carried forward (from …)'; with --rounded D, one that matches the pass with every intermediate rounded to D decimals is '✓ rounding'; --strict gives neither. A wrong answer is explained when a classic mistake reproduces it (the recurrent term forgotten, f_t for f_{t+1}, the gradient after the activation, the SGD step or the loss derivative with the wrong sign, a missing ½ or 1/T, tanh′ = 1 − tanh) or a likely typo does (two digits swapped, a digit dropped, doubled or mistyped, the decimal point moved, the sign flipped); a matrix of the wrong shape is one ✗ that says so."),
        .text("For a network (layers, directions, a batch: 'lstm-grad help spec') the names carry their place, as 'run --format json' prints them (h@l1.reverse.b1[0], dW.a@l0, δh_0@l1.reverse.b1), and every rule above applies at that place: carried-forward errors are recomputed through each layer's, direction's and sequence's own equations."),
        .text("The exit status is 0 when every answer of every file is right and none is missing, 1 when one is wrong, missing or not graded (an unknown name, a file that is not JSON), 2 for bad usage, a bad spec or rubric, or when no file could be read. ANSWERS may be '-' for standard input; with --example NAME every argument is an answers file."),
    ]
    static let examples = [
        "echo '{\"a[0]\": 0.81775, \"delta_out[0]\": 0.03631}' | lstm-grad check --example gomez -",
        "lstm-grad check --example gomez answers.json --rounded 5",
        "lstm-grad check my.json alice.json bob.json submissions/ --format gradebook --rubric rubric.json",
        "lstm-grad check my.json answers.json --format gradescope",
        "echo '{\"a[0]\": 0.81775, \"delta_out[0]\": 0.03631}' | lstm-grad check --example gomez - --format html > graded.html",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        // With --example NAME the spec is built in and every positional is an answers file.
        let example = args.value("example")
        let files = Array(args.positionals.dropFirst(example == nil ? 1 : 0))
        guard !files.isEmpty else {
            let what = example != nil ? "an answers file (or a directory of them)"
                : args.positionals.isEmpty ? "a spec file and an answers file (or a directory of them)"
                : "an answers file (or a directory of them) after the spec"
            throw .usage("expected " + what, command: name)
        }
        var rules = GradingRules()
        if let s = args.value("tol") {
            guard let v = Double(s), v.isFinite, v >= 0 else {
                throw .usage("--tol expects a non-negative number, found '\(s)'", command: name)
            }
            rules.tolerance = v
        }
        rules.rounded = args.has("rounded") ? try args.integer("rounded", default: 5, range: 0...12, command: name) : nil
        rules.minDigits = try args.integer("min-digits", default: GradingRules.defaultMinDigits, range: 0...17, command: name)
        rules.strict = args.has("strict")
        rules.recurrentTerms = !args.has("no-recurrent-terms")
        if rules.strict && rules.rounded != nil {
            throw .usage("--strict gives no credit for rounding; drop --rounded", command: name)
        }
        let format = CheckFormat(rawValue: try args.choice("format", default: "text", among: CheckFormat.allCases.map(\.rawValue), command: name))!
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let color = try CLI.useColor(args, command: name)

        let spec: Spec
        if let example {
            spec = try CLI.loadExample(example, command: name)
        } else {
            spec = try CLI.loadSpec(args.positionals[0], maxBytes: maxBytes)
        }
        let report: Report
        do {
            report = try spec.report(options: BackwardOptions(recurrentTerms: rules.recurrentTerms), work: true)
        } catch {
            throw .numeric(file: spec.file, error)
        }
        var rubric: Rubric?
        if let path = args.value("rubric") {
            let bytes = try readFile(path, maxBytes: maxBytes)
            do {
                rubric = try Rubric.decode(SourceText(name: path, bytes: bytes), report: report, notation: spec.notation)
            } catch {
                throw .input(error)
            }
        }
        let inputs = try answerInputs(files, maxBytes: maxBytes)
        if format.oneSubmission && inputs.count != 1 {
            throw .usage("--format \(format.rawValue) describes one submission; give one answers file, found \(inputs.count)", command: name)
        }
        let book = Gradebook(inputs, report: report, notation: spec.notation, rules: rules, rubric: rubric)
        // What could not be graded goes to stderr, with its place; the grades to stdout.
        var errors = ""
        for s in book.submissions {
            if let f = s.failure { errors += f + "\n" }
            for p in s.problems { errors += p.description + "\n" }
            if s.omittedProblems > 0 {
                errors += "\(s.problems.count) errors shown, \(s.omittedProblems) more not shown; fix these and run again\n"
            }
        }
        // Nothing could be graded: bad input, as for a spec.
        if book.submissions.allSatisfy({ $0.failure != nil }) {
            writeStandardError(errors)
            return CLI.ExitStatus.badInput
        }
        if !errors.isEmpty { writeStandardError(errors) }
        format.render(book, report: report, detail: args.has("detail"), color: color, into: &out)
        return book.allRight ? CLI.ExitStatus.ok : CLI.ExitStatus.mismatch
    }

    static func readFile(_ path: String, maxBytes: Int) throws(CLIError) -> [UInt8] {
        do {
            return try InputFile.read(path, maxBytes: maxBytes)
        } catch {
            throw .file(error)
        }
    }

    /// The answers files: each argument, a directory as its .json files in name order; a file
    /// that cannot be read is graded as not readable, not an error of the whole run.
    static func answerInputs(_ paths: [String], maxBytes: Int) throws(CLIError) -> [Gradebook.Input] {
        var inputs: [Gradebook.Input] = []
        for path in paths {
            do {
                inputs.append(.bytes(name: path == "-" ? "<stdin>" : path, try InputFile.read(path, maxBytes: maxBytes)))
            } catch InputFile.Failure.isDirectory {
                let names = listDirectory(path).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
                guard !names.isEmpty else { throw .usage("\(path) holds no .json answers files", command: name) }
                let dir = path.hasSuffix("/") ? path : path + "/"
                for n in names {
                    do {
                        inputs.append(.bytes(name: dir + n, try InputFile.read(dir + n, maxBytes: maxBytes)))
                    } catch {
                        inputs.append(.unreadable(name: dir + n, message: "lstm-grad: error: " + error.message))
                    }
                }
            } catch {
                inputs.append(.unreadable(name: path, message: "lstm-grad: error: " + error.message))
            }
        }
        return inputs
    }
}
