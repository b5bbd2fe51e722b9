import LSTMGrad

/// `lstm-grad run spec.json`: forward, backward, gradients and the SGD update.
enum RunCommand: Command {
    static let name = "run"
    static let abstract = "run the forward pass and BPTT of a spec and print every value"
    static let usage = "lstm-grad run SPEC.json [--format text|json] [--precision N] [--summary] [--timings]   (SPEC '-' reads stdin)"
    static let options = [
        OptionSpec(name: "format", value: "FORMAT", help: "text (default) or json (every quantity by canonical name, full precision)"),
        OptionSpec(name: "precision", value: "N", help: "decimals in text output (default 5, 0…15)"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        OptionSpec(name: "summary", value: nil, help: "print only the loss and each gradient block's norm and sum (fast, little memory)"),
        OptionSpec(name: "timings", value: nil, help: "print the time of parse, compute (forward, backward) and render on stderr"),
    ]
    static let examples = [
        "lstm-grad run fixtures/gomez.json",
        "lstm-grad run fixtures/gomez.json --precision 8",
        "lstm-grad run fixtures/gomez.json --format json | jq '.quantities[\"delta_state[0]\"]'",
        "lstm-grad run fixtures/gomez.json --summary",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        guard args.positionals.count == 1 else {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or '-' for stdin)"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        let format = try args.choice("format", default: "text", among: ["text", "json"], command: name)
        let precision = try args.integer("precision", default: 5, range: 0...OutputBuffer.maxDecimals, command: name)
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let timings = args.has("timings")
        let t0 = monotonicSeconds()
        let spec = try CLI.loadSpec(args.positionals[0], maxBytes: maxBytes)
        let t1 = monotonicSeconds()
        if args.has("summary") {
            let summary: GradientSummary
            do {
                summary = try spec.summary()
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
            report = try spec.report()
        } catch {
            throw .numeric(file: spec.file, error)
        }
        let t2 = monotonicSeconds()
        // The computation succeeded: from here the output streams to stdout in chunks.
        out.stream = 1
        switch format {
        case "json":
            JSONRenderer().render(report, model: spec.modelName, notation: spec.notation.name, into: &out)
        default:
            TextRenderer(decimals: precision).render(report, into: &out)
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
