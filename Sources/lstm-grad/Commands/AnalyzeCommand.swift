import LSTMGrad

/// `lstm-grad analyze`: vanishing and exploding gradients (seed 004). A spec: the Jacobians
/// ∂h_t/∂h_k and a verdict (RNN), the cell path ∂C_t/∂C_k (LSTM). `--matrix`: eigenvalues,
/// eigenvectors and Wⁿ two ways.
enum AnalyzeCommand: Command {
    static let name = "analyze"
    static let abstract = "vanishing/exploding gradients: Jacobians ∂h_t/∂h_k, eigenvalues of W, W^n"
    static let usage = "lstm-grad analyze SPEC.json [--svg FILE] [--power N]  |  lstm-grad analyze --matrix '[[a,b],[c,d]]' [--power N]"
    static let options = [
        OptionSpec(name: "matrix", value: "JSON", help: "analyze this square matrix instead of a spec: eigenvalues, Q, Λ, Q⁻¹, W^n"),
        OptionSpec(name: "power", value: "N", help: "the n of W^n (default 30)"),
        OptionSpec(name: "svg", value: "FILE", help: "also draw ‖∂h_T/∂h_k‖ (and ‖∂C_T/∂C_k‖ for an LSTM) against k, log scale"),
        OptionSpec(name: "precision", value: "N", help: "decimals in text output (default 6, 0…15)"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        CLI.exampleOption,
    ]
    static let examples = [
        "lstm-grad analyze --matrix '[[0.58,0.24],[0.24,0.72]]' --power 30",
        "lstm-grad analyze fixtures/seed004-rnn.json",
        "lstm-grad analyze fixtures/rnn-vanishing.json --svg decay.svg",
        "lstm-grad analyze fixtures/lstm-carousel.json",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        let power = try args.integer("power", default: 30, range: 0...100_000, command: name)
        let precision = try args.integer("precision", default: 6, range: 0...OutputBuffer.maxDecimals, command: name)
        if let text = args.value("matrix") {
            guard args.positionals.isEmpty else { throw .usage("give either --matrix or a spec file, not both", command: name) }
            if args.has("svg") { throw .usage("--svg draws a spec's Jacobians; it needs a spec file, not --matrix", command: name) }
            let m: Matrix
            do {
                m = try MatrixLiteral.parse(text)
            } catch {
                throw .input(error)
            }
            out.write(try analyzeMatrix(m, power: power, precision: precision, source: "--matrix"))
            return 0
        }
        guard args.value("example") != nil || args.positionals.count == 1 else {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or --matrix '[[…]]')"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        if let path = args.value("svg") { try CLI.checkOutput(path, force: true, command: name) }
        let spec = try CLI.loadSpec(args, command: name, maxBytes: maxBytes)
        let flow: GradientFlow
        var matrix: MatrixAnalysis?
        switch spec.model {
        case .rnn(let p):
            flow = GradientFlow.rnn(p)
            matrix = (try? MatrixAnalysis(p.cell.parameters.W, power: power)).flatMap { $0.isFinite ? $0 : nil }
        case .lstm(let p):
            flow = GradientFlow.lstm(p)
        default:
            throw .usage("analyze handles \"rnn\" and \"lstm\" specs; \(spec.file) is a \"\(spec.modelName)\" spec", command: name)
        }
        // The forward pass must be finite before its Jacobians mean anything.
        let report: Report
        do {
            report = try spec.report()
        } catch {
            throw .numeric(file: spec.file, error)
        }
        for line in report.header.prefix(2) { out.write(line + "\n") }
        out.write("\n")
        out.write(AnalysisText.render(flow, decimals: precision, matrix: matrix))
        if let path = args.value("svg") {
            let title = "Gradient norms back from t = \(flow.steps - 1): \(spec.file)"
            try CLI.writeOutput(path, GradientPlot.svg(flow, title: title), force: true, command: name)
            out.write("\nwrote \(path)\n")
        }
        return 0
    }

    static func analyzeMatrix(_ m: Matrix, power: Int, precision: Int, source: String) throws(CLIError) -> String {
        let analysis: MatrixAnalysis
        do {
            analysis = try MatrixAnalysis(m, power: power)
        } catch {
            throw .usage("\(source): \(error.description)", command: name)
        }
        guard analysis.isFinite else {
            throw .usage("\(source): the eigendecomposition or W^\(power) overflows a double; use smaller entries or a smaller --power", command: name)
        }
        return AnalysisText.render(analysis, decimals: precision)
    }
}
