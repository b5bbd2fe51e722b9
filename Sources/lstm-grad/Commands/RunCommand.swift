import LSTMGrad

/// `lstm-grad run spec.json`: forward, backward, gradients and the SGD update.
enum RunCommand: Command {
    static let name = "run"
    static let abstract = "run the forward pass and BPTT of a spec and print every value"
    static let usage = "lstm-grad run SPEC.json|--example NAME [--format text|json|markdown|latex|csv|html] [--precision N] [--show-work] [--steps N [--last-report]] [--summary] [--timings]"
    static let formats = ["text", "json", "markdown", "latex", "csv", "html"]
    static let options = [
        OptionSpec(name: "format", value: "FORMAT", help: "text (default), json (every quantity by canonical name, full precision), markdown or latex (a document with the work), csv (name,timestep,index,value), html (a solution page: the unrolled network drawn, every equation in MathML)",
                   choices: formats),
        OptionSpec(name: "precision", value: "N", help: "decimals in text output (default 5, 0…15)"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        OptionSpec(name: "max-memory", value: "BYTES", help: "refuse a run whose values and report would take more than this, estimated before it starts (default 1 GiB)"),
        OptionSpec(name: "show-work", value: nil, help: "print each equation in symbols, then with the numbers, then the result"),
        OptionSpec(name: "steps", value: "N", help: "run N SGD steps over the sequence: the loss after each and the final parameters"),
        OptionSpec(name: "last-report", value: nil, help: "with --steps: also the full report of the last step"),
        OptionSpec(name: "no-recurrent-terms", value: nil,
                   help: "the truncated gradient of the univariate LSTM sheet: drop Δout_t and δstate_{t+1}⊙f_{t+1} (in a network, within each layer's and direction's own recurrence; Δ_t from the layer above still flows); the report compares it with the full one"),
        OptionSpec(name: "write-updated", value: "FILE", help: "write the SGD-updated spec to FILE, in the spec's own weight layout (atomically; an existing FILE needs --force)"),
        CLI.forceOption("with --write-updated: replace FILE if it exists (the spec itself included)"),
        OptionSpec(name: "summary", value: nil, help: "print only the loss and each gradient block's norm and sum (fast, little memory)"),
        OptionSpec(name: "sequence", value: "B", help: "with a batch of sequences: print only sequence B's values (the totals stay over the batch)"),
        OptionSpec(name: "timings", value: nil, help: "print the time of parse, compute (forward, backward) and render on stderr"),
        CLI.exampleOption,
        CLI.colorOption,
    ]
    static let discussion: [SpecReference.Block] = [
        .text("SPEC is a spec file, or '-' to read it from standard input; --example NAME runs a built-in one ('lstm-grad examples' lists them). The text report prints every forward value, every δ of the backward pass with its decompositions, the gradients and the SGD-updated parameters, in the notation of the spec ('lstm-grad help spec')."),
        .text("--format json prints {\"model\", \"notation\", \"header\", \"quantities\"}, every quantity under its canonical name (delta_state[1], dW.a, W.a') at full precision, the names answers files use. --format csv prints a header name,timestep,index,value and one row per number: the name without its timestep, the timestep (empty for totals), the entry (empty for a scalar, k of a vector, \"r,c\" of a matrix) and the value at full precision. --format markdown and latex write the work as a document. --format html writes one self-contained page (no network needed to view it): the unrolled network drawn with every value (hover or Tab to a node for its gradient, select it for its equation), the gradient flow over t, and every equation in MathML with the symbols, the numbers and the result; print it to PDF for a clean hand-in."),
    ]
    static let examples = [
        "lstm-grad run --example gomez --precision 8",
        "lstm-grad run --example gomez --format json | jq '.quantities[\"delta_state[0]\"]'",
        "lstm-grad run --example gomez --show-work",
        "lstm-grad run --example gomez --format latex > gomez.tex",
        "lstm-grad run --example gomez --format html > gomez.html",
        "lstm-grad run --example gomez --steps 100",
        "lstm-grad run --example seed000-univariate --no-recurrent-terms",
        "lstm-grad run --example pytorch-layout --write-updated step2.json",
        "lstm-grad run step2.json --write-updated step2.json --force",
        "lstm-grad run --example gomez --summary",
        "lstm-grad examples gomez > my.json && lstm-grad run my.json",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        if args.value("example") == nil && args.positionals.count != 1 {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or '-' for stdin)"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        let format = try args.choice("format", default: "text", among: formats, command: name)
        let steps = args.has("steps") ? try args.integer("steps", default: 1, range: 1...1_000_000, command: name) : nil
        if args.has("show-work") && format != "text" {
            throw .usage(format == "json" || format == "csv" ? "--show-work applies to text output (markdown and latex always show the work)"
                                          : "--format \(format) always shows the work; drop --show-work", command: name)
        }
        if steps != nil && args.has("no-recurrent-terms") {
            throw .usage("--steps trains with the full gradient; drop --no-recurrent-terms", command: name)
        }
        if args.has("last-report") && steps == nil {
            throw .usage("--last-report goes with --steps N", command: name)
        }
        if steps != nil && format == "html" {
            throw .usage("--format html draws one pass; drop --steps (or run the updated spec that --write-updated writes)", command: name)
        }
        if args.has("summary") && (steps != nil || args.has("show-work") || args.has("write-updated") || format == "markdown" || format == "latex" || format == "csv" || format == "html") {
            throw .usage("--summary prints only the loss and the gradient norms (with --format text or json); drop --steps, --show-work, --write-updated", command: name)
        }
        if args.has("force") && !args.has("write-updated") {
            throw .usage("--force goes with --write-updated FILE", command: name)
        }
        // Refused before any work: an existing file without --force, a missing directory.
        if let path = args.value("write-updated") {
            try CLI.checkOutput(path, force: args.has("force"), command: name)
        }
        let color = try CLI.useColor(args, command: name)
        let precision = try args.integer("precision", default: 5, range: 0...OutputBuffer.maxDecimals, command: name)
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let timings = args.has("timings")
        let t0 = monotonicSeconds()
        let maxMemory = try args.integer("max-memory", default: MemoryEstimate.defaultLimit, range: 1...Int.max, command: name)
        var spec = try CLI.loadSpec(args, command: name, maxBytes: maxBytes)
        // The parsed document (and with it the spec's bytes) is kept only to be rewritten.
        if !args.has("write-updated") { spec.root = nil }
        let sequence = args.has("sequence") ? try args.integer("sequence", default: 0, range: 0...Int.max, command: name) : nil
        if spec.isNetwork {
            if sequence != nil && steps != nil {
                throw .usage("--sequence chooses what one pass prints; --steps prints the losses and the final parameters, drop --sequence", command: name)
            }
            if let b = sequence, b >= spec.sequenceCount {
                throw .usage("--sequence \(b): the batch has \(spec.sequenceCount) sequence\(spec.sequenceCount == 1 ? "" : "s") (0…\(spec.sequenceCount - 1))", command: name)
            }
        } else if sequence != nil {
            throw .usage("--sequence chooses a sequence of a batch; \(spec.file) has one sequence", command: name)
        }
        // Refuse what would not fit before allocating it, rather than abort half way.
        let needed = spec.visit(MemoryEstimate(report: !args.has("summary"), options: BackwardOptions(recurrentTerms: !args.has("no-recurrent-terms"))))
        if needed > Double(maxMemory) {
            throw .usage("\(spec.file): this run would hold about \(MemoryEstimate.describe(needed)) of values and report, over the limit of "
                         + "\(MemoryEstimate.describe(Double(maxMemory)))" + (args.has("summary") ? "" : "; --summary keeps far less")
                         + ", or raise the limit with --max-memory BYTES", command: name)
        }
        let t1 = monotonicSeconds()
        if args.has("summary") {
            let summary: GradientSummary
            do {
                summary = try spec.summary(options: BackwardOptions(recurrentTerms: !args.has("no-recurrent-terms")))
            } catch {
                throw .numeric(file: spec.file, error)
            }
            let t2 = monotonicSeconds()
            out.stream = 1
            if format == "json" { summary.renderJSON(into: &out) } else { summary.render(into: &out) }
            if timings {
                writeTimings(parse: t1 - t0, phases: [("forward", summary.forwardSeconds), ("backward", summary.backwardSeconds)],
                             render: monotonicSeconds() - t2)
            }
            return 0
        }
        let report: Report
        do {
            let work = args.has("show-work") || format == "markdown" || format == "latex" || format == "html"
            if let n = steps {
                report = try spec.trainingReport(steps: n, lastReport: args.has("last-report"), work: work)
            } else {
                report = try spec.report(options: BackwardOptions(recurrentTerms: !args.has("no-recurrent-terms")), work: work, sequence: sequence)
            }
        } catch {
            throw .numeric(file: spec.file, error)
        }
        if let path = args.value("write-updated") {
            // The parameters the report ends with: after the update, or after --steps N.
            guard let parameters = report.finalParameters, let text = UpdatedSpec.json(spec, parameters: parameters, state: report.finalOptimizerState) else {
                throw .usage("--write-updated needs a spec file (not stdin or a built-in example)", command: name)
            }
            // The spec was read whole before this: writing over it (with --force) is safe.
            try CLI.writeOutput(path, text, force: args.has("force"), command: name)
        }
        let t2 = monotonicSeconds()
        // The computation succeeded: from here the output streams to stdout in chunks.
        out.stream = 1
        switch format {
        case "json":
            JSONRenderer().render(report, model: spec.modelName, notation: spec.notation.name, into: &out)
        case "csv":
            CSVRenderer().render(report, into: &out)
        case "markdown":
            WorkRenderer(format: .markdown, decimals: precision).render(report, title: "lstm-grad: \(spec.file)", into: &out)
        case "latex":
            WorkRenderer(format: .latex, decimals: precision).render(report, title: "lstm-grad: \(spec.file)", into: &out)
        case "html":
            SolutionPage(decimals: precision).render(report, title: "lstm-grad: \(spec.file)", into: &out)
        default:
            if args.has("show-work") {
                WorkRenderer(format: .text, decimals: precision).render(report, into: &out)
            } else {
                TextRenderer(decimals: precision, color: color, width: CLI.outputWidth()).render(report, into: &out)
            }
        }
        if timings {
            writeTimings(parse: t1 - t0, phases: [("compute", t2 - t1)], render: monotonicSeconds() - t2)
        }
        return 0
    }

    /// One line on stderr, milliseconds: `timings: parse=… forward=… backward=… render=…`.
    static func writeTimings(parse: Double, phases: [(String, Double)], render: Double) {
        var line = "timings: parse=\(ms(parse))"
        for (name, s) in phases { line += " \(name)=\(ms(s))" }
        line += " render=\(ms(render)) (ms)\n"
        writeStandardError(line)
    }

    static func ms(_ seconds: Double) -> String {
        let x = (seconds * 1e6).rounded() / 1e3
        return "\(x)"
    }
}
