import LSTMGrad

/// `lstm-grad run spec.json`: forward, backward, gradients and the SGD update.
enum RunCommand: Command {
    static let name = "run"
    static let abstract = "run the forward pass and BPTT of a spec and print every value"
    static let usage = "lstm-grad run SPEC.json|--example NAME [--format text|json|csv] [--precision N]   (SPEC '-' reads stdin)"
    static let options = [
        OptionSpec(name: "format", value: "FORMAT", help: "text (default), json (every quantity by canonical name, full precision) or csv (name,timestep,index,value)",
                   choices: ["text", "json", "csv"]),
        OptionSpec(name: "precision", value: "N", help: "decimals in text output (default 5, 0…15)"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        OptionSpec(name: "no-recurrent-terms", value: nil,
                   help: "truncated gradient (seed 000): drop Δout_t and δstate_{t+1}⊙f_{t+1}; the report compares it with the full one"),
        OptionSpec(name: "write-updated", value: "FILE", help: "write the SGD-updated spec to FILE, in the spec's own weight layout"),
        CLI.exampleOption,
        CLI.colorOption,
    ]
    static let examples = [
        "lstm-grad run fixtures/gomez.json --precision 8",
        "lstm-grad run --example gomez --format json | jq '.quantities[\"delta_state[0]\"]'",
        "lstm-grad run fixtures/seed000-univariate.json --no-recurrent-terms",
        "lstm-grad run fixtures/pytorch-layout.json --write-updated step2.json",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        if args.value("example") == nil && args.positionals.count != 1 {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or '-' for stdin)"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        let format = try args.choice("format", default: "text", among: ["text", "json", "csv"], command: name)
        let color = try CLI.useColor(args, command: name)
        let precision = try args.integer("precision", default: 5, range: 0...OutputBuffer.maxDecimals, command: name)
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        let spec = try CLI.loadSpec(args, command: name, maxBytes: maxBytes)
        let report: Report
        do {
            report = try spec.report(options: BackwardOptions(recurrentTerms: !args.has("no-recurrent-terms")))
        } catch {
            throw .numeric(file: spec.file, error)
        }
        if let path = args.value("write-updated") {
            guard let text = UpdatedSpec.json(spec) else {
                throw .usage("--write-updated needs a spec file with an LSTM", command: name)
            }
            do {
                try OutputFile.write(path, Array(text.utf8))
            } catch {
                throw .file(error)
            }
        }
        switch format {
        case "json":
            JSONRenderer().render(report, model: spec.modelName, notation: spec.notation.name, into: &out)
        case "csv":
            CSVRenderer().render(report, into: &out)
        default:
            TextRenderer(decimals: precision, color: color, width: CLI.outputWidth()).render(report, into: &out)
        }
        return 0
    }
}
