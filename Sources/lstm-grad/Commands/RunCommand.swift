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
        CLI.exampleOption,
        CLI.colorOption,
    ]
    static let examples = [
        "lstm-grad run fixtures/gomez.json",
        "lstm-grad run --example gomez --precision 8",
        "lstm-grad run fixtures/gomez.json --format csv > gomez.csv",
        "lstm-grad run fixtures/gomez.json --format json | jq '.quantities[\"delta_state[0]\"]'",
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
            report = try spec.report()
        } catch {
            throw .numeric(file: spec.file, error)
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
