import LSTMGrad

/// `lstm-grad analyze`: vanishing and exploding gradients (the vanilla RNN BPTT sheet). A spec: every Jacobian
/// ∂h_t/∂h_k as a matrix, each term of ∂L/∂W, and a verdict (RNN); the four paths of a GRU step;
/// the full state Jacobian of an LSTM. `--matrix`: eigenvalues, eigenvectors, Wⁿ two ways and the
/// eigenvalues of Wⁿ.
enum AnalyzeCommand: Command {
    static let name = "analyze"
    static let abstract = "vanishing/exploding gradients: Jacobians ∂h_t/∂h_k, eigenvalues of W and W^n, a verdict"
    static let usage = "lstm-grad analyze SPEC.json [--window N|all] [--sequence B] [--svg FILE] [--power N] [--format text|json|csv|html]  |  lstm-grad analyze --matrix '[[a,b],[c,d]]' [--power N] [--format text|json|csv|html]"
    static let formats = ["text", "json", "csv", "html"]
    static let defaultMaxMemory = 1 << 30
    static let options = [
        OptionSpec(name: "matrix", value: "JSON", help: "analyze this square matrix instead of a spec: eigenvalues, Q, Λ, Q⁻¹, W^n and its eigenvalues"),
        OptionSpec(name: "power", value: "N", help: "the n of W^n (default 30)"),
        OptionSpec(name: "format", value: "FORMAT", help: "text (default), json (every matrix and number by canonical name, full precision), csv (name,timestep,index,value), html (a page: the decay plot and the text)",
                   choices: formats),
        OptionSpec(name: "window", value: "N|all", help: "Jacobians, terms and norm tables for the last N timesteps (default \(GradientFlow.defaultWindow)); 'all': every pair (t, k)"),
        OptionSpec(name: "max-memory", value: "BYTES", help: "refuse a --window whose matrices would take more than this (default 1 GiB)"),
        OptionSpec(name: "svg", value: "FILE", help: "also draw ‖∂h_{T−1}/∂h_k‖ (for an LSTM its out and state blocks) against k, log scale"),
        OptionSpec(name: "sequence", value: "B", help: "with a batch of sequences: analyze only sequence B (default: every sequence)"),
        OptionSpec(name: "precision", value: "N", help: "decimals in text output (default 6, 0…15)"),
        OptionSpec(name: "max-input", value: "BYTES", help: "refuse spec files larger than this (default 64 MiB)"),
        CLI.exampleOption,
    ]
    static let discussion: [SpecReference.Block] = [
        .text("For an RNN spec: the recurrent W with ‖W‖₂ = σ_max(W) and ρ(W); each step's Jacobian ∂h_t/∂h_{t−1} = diag(act′(z_t))·W as a matrix; the products ∂h_t/∂h_k = Π_{j=k+1..t} diag(act′(z_j))·W (k = −1 is the initial state) and their spectral norms; every term ∂L_t/∂h_t·∂h_t/∂h_k·∂⁺h_k/∂W of ∂L/∂W as a matrix, checked to sum to BPTT's δW, with each k's share; then the eigenvalues and eigenvectors of W and of W^n. For a GRU: ∂h_t/∂h_{t−1} as the sum of its four paths (carry, update gate, candidate, reset gate) and the products. For an LSTM: the state Jacobian ∂(out_t, state_t)/∂(out_k, state_k) with its out and state blocks and the cell path Π f_j."),
        .text("The verdict (vanishing, exploding or neither) says what decided it. For an RNN, with γ = sup act′ (¼ for the sigmoid, 1 for tanh), Pascanu, Mikolov and Bengio's conditions: γ·σ_max(W) < 1 is sufficient for vanishing, on every input sequence; σ_max(W) > 1/γ is necessary for exploding. When the sufficient condition does not hold, and always for a GRU or an LSTM, the measured growth decides, for this sequence only: the average factor per step of ‖∂h_{T−1}/∂h_{−1}‖₂ over the whole sequence (below \(1 - GradientVerdict.band) vanishing, above \(1 + GradientVerdict.band) exploding, in between neither); a table before the verdict gives ‖∂h_{T−1}/∂h_k‖₂ for each distance t − k. ρ(W) > 1 alone is about W^n, not about the gradients."),
        .text("For a network (layers, directions, a batch), each band (layer, direction, sequence) has its own recurrence and is analysed as one cell: the cell over the band's own steps (a reverse band's step s is time T−1−s), with its inputs and initial state, and Δ_t from the layer above (or the head) as the gradient reaching its output; then the gradient flow ‖δstate_t‖ (‖δh_t‖) of every band over t, and every band's verdict. --sequence B analyses one sequence of the batch (default: every sequence)."),
        .text("Matrices, products and terms are kept for the last --window N timesteps (default \(GradientFlow.defaultWindow)); a window whose matrices would need more than --max-memory is refused before any Jacobian is computed. With more than \(AnalysisText.maxPrintedRows) rows, matrices are given by their norms in text, and in full in --format json and csv. With --matrix: the eigenvalues (Jacobi rotations for a symmetric matrix; balancing, Hessenberg reduction and Francis double-shift QR otherwise; repeated eigenvalues decided by the numerical rank of W − λI), Q, Λ, Q⁻¹, W^n two ways and the eigenvalues of W^n. Tables and matrices wider than the terminal (or COLUMNS) are printed as blocks of columns."),
    ]
    static let examples = [
        "lstm-grad analyze --matrix '[[0.58,0.24],[0.24,0.72]]' --power 30",
        "lstm-grad analyze --example seed004-rnn",
        "lstm-grad analyze --example seed004-rnn --format json",
        "lstm-grad analyze --example rnn-vanishing --svg decay.svg",
        "lstm-grad analyze --example lstm-carousel",
        "lstm-grad analyze --example gru-pytorch --window 3",
        "lstm-grad analyze --example rnn-vanishing --format html > vanishing.html",
    ]

    static func run(_ args: ParsedArguments, out: inout OutputBuffer) throws(CLIError) -> Int32 {
        let power = try args.integer("power", default: 30, range: 0...100_000, command: name)
        let precision = try args.integer("precision", default: 6, range: 0...OutputBuffer.maxDecimals, command: name)
        let format = try args.choice("format", default: "text", among: formats, command: name)
        if let text = args.value("matrix") {
            guard args.positionals.isEmpty && args.value("example") == nil else {
                throw .usage("give either --matrix or a spec file, not both", command: name)
            }
            for option in ["svg", "window", "max-memory"] where args.has(option) {
                throw .usage("--\(option) is about a spec's Jacobians; it needs a spec file, not --matrix", command: name)
            }
            let m: Matrix
            do {
                m = try MatrixLiteral.parse(text)
            } catch {
                throw .input(error)
            }
            let analysis = try analyzeMatrix(m, power: power, source: "--matrix")
            out.stream = 1
            switch format {
            case "json": AnalysisDocument.matrix(analysis, source: "--matrix").writeJSON(into: &out); out.newline()
            case "csv": AnalysisDocument.matrix(analysis, source: "--matrix").writeCSV(into: &out)
            case "html":
                AnalysisPage.render(title: "lstm-grad analyze: --matrix", header: [], text: AnalysisText(decimals: precision, width: nil).render(analysis),
                                    plot: nil, into: &out)
            default: out.write(AnalysisText(decimals: precision, width: CLI.outputWidth()).render(analysis))
            }
            return 0
        }
        guard args.value("example") != nil || args.positionals.count == 1 else {
            throw .usage(args.positionals.isEmpty ? "missing the spec file (or --matrix '[[…]]')"
                                                  : "expected one spec file, found \(args.positionals.count) arguments", command: name)
        }
        var windowSize: Int? = GradientFlow.defaultWindow
        if let w = args.value("window") {
            if w == "all" {
                windowSize = nil
            } else {
                windowSize = try args.integer("window", default: GradientFlow.defaultWindow, range: 1...Int(Int32.max), command: name)
            }
        }
        let maxMemory = try args.integer("max-memory", default: defaultMaxMemory, range: 1...Int.max, command: name)
        let maxBytes = try args.integer("max-input", default: InputFile.defaultMaxBytes, range: 1...Int(Int32.max), command: name)
        if let path = args.value("svg") { try CLI.checkOutput(path, force: true, command: name) }
        let spec = try CLI.loadSpec(args, command: name, maxBytes: maxBytes)
        let sequence = args.has("sequence") ? try args.integer("sequence", default: 0, range: 0...Int.max, command: name) : nil
        if spec.isNetwork {
            if let b = sequence, b >= spec.sequenceCount {
                throw .usage("--sequence \(b): the batch has \(spec.sequenceCount) sequence\(spec.sequenceCount == 1 ? "" : "s") (0…\(spec.sequenceCount - 1))", command: name)
            }
        } else if sequence != nil {
            throw .usage("--sequence chooses a sequence of a batch; \(spec.file) has one sequence", command: name)
        }
        // The pass must be finite before its Jacobians mean anything (the summary keeps nothing per step).
        do {
            _ = try spec.summary()
        } catch {
            throw .numeric(file: spec.file, error)
        }
        let (T, H, S, header, bandsPerSequence) = sizes(spec)
        let bands = bandsPerSequence * (sequence == nil ? spec.sequenceCount : 1)
        let window = GradientFlow.Window(steps: T, size: windowSize)
        let needed = GradientFlow.estimatedBytes(steps: T, stateSize: S, hidden: H, window: window, withTerms: spec.modelName == "rnn") * Double(bands)
        if needed > Double(maxMemory) {
            let what = windowSize == nil ? "--window all" : "--window \(windowSize!)"
            throw .usage("\(what) at T = \(T), H = \(H) would keep \(window.pairs) Jacobians of \(S)×\(S)" + (bands > 1 ? " for each of \(bands) bands" : "")
                         + ", about \(MemoryEstimate.describe(needed)), over the limit of \(MemoryEstimate.describe(Double(maxMemory))); use a smaller --window N"
                         + (bands > 1 && sequence == nil ? ", one --sequence B" : "") + ", or raise the limit with --max-memory BYTES",
                         command: name)
        }
        let svg = args.value("svg")
        if spec.isNetwork {
            return try network(spec, window: windowSize, power: power, sequence: sequence, svg: svg, format: format, precision: precision, out: &out)
        }
        guard let flow = spec.visit(FlowRequest(window: windowSize, lastRow: svg != nil || format == "html")) else {
            throw .usage("analyze has no gradient analysis of \(spec.file)'s cell", command: name)
        }
        var matrix: MatrixAnalysis?
        var matrixNote: String?
        if let W = spec.visit(RecurrentMatrix()) {
            if let a = try? MatrixAnalysis(W, power: power), a.isFinite {
                matrix = a
            } else {
                matrixNote = "W^\(power) or its eigendecomposition overflows a double; use a smaller --power"
            }
        }
        let plotTitle = "Gradient norms back from t = \(flow.steps - 1): \(spec.file)"
        if let path = svg {
            try CLI.writeOutput(path, GradientPlot.svg(flow, title: plotTitle), force: true, command: name)
        }
        out.stream = 1
        switch format {
        case "json":
            AnalysisDocument.flow(flow, header: header, model: spec.modelName, matrix: matrix, powersNote: matrixNote).writeJSON(into: &out)
            out.newline()
        case "csv":
            AnalysisDocument.flow(flow, header: header, model: spec.modelName, matrix: matrix, powersNote: matrixNote).writeCSV(into: &out)
        case "html":
            var text = AnalysisText(decimals: precision, width: nil).render(flow, header: header, matrix: matrix)
            if let note = matrixNote { text += "\nEigenvalues of the recurrent W: \(note).\n" }
            AnalysisPage.render(title: "lstm-grad analyze: \(spec.file)", header: header, text: text, plot: GradientPlot.element(flow, title: plotTitle), into: &out)
            if let path = svg { writeStandardError("wrote \(path)\n") }
        default:
            out.write(AnalysisText(decimals: precision, width: CLI.outputWidth()).render(flow, header: header, matrix: matrix))
            if let note = matrixNote { out.write("\nEigenvalues of the recurrent W: \(note).\n") }
            if let path = svg { out.write("\nwrote \(path)\n") }
        }
        return 0
    }

    /// `analyze` on a network: each band (layer, direction, sequence) as one cell, the gradient
    /// flow of every band, and the verdicts side by side (`NetworkAnalysis`).
    static func network(_ spec: Spec, window: Int?, power: Int, sequence: Int?, svg: String?, format: String, precision: Int,
                        out: inout OutputBuffer) throws(CLIError) -> Int32 {
        let analysis: NetworkAnalysis
        do {
            guard let a = try spec.networkAnalysis(window: window, lastRow: svg != nil || format == "html", power: power, sequence: sequence) else {
                throw CLIError.usage("analyze has no gradient analysis of \(spec.file)'s cell", command: name)
            }
            analysis = a
        } catch let error as CLIError {
            throw error
        } catch let error as NumericError {
            throw .numeric(file: spec.file, error)
        } catch {
            throw .usage("\(error)", command: name)
        }
        let plotTitle = "Jacobian norms back from each band's last step: \(spec.file)" + (analysis.shown.count < analysis.sequences ? ", sequence \(analysis.shown[0])" : "")
        if let path = svg {
            try CLI.writeOutput(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + GradientPlot.element(analysis, title: plotTitle), force: true, command: name)
        }
        out.stream = 1
        switch format {
        case "json":
            AnalysisDocument.network(analysis).writeJSON(into: &out)
            out.newline()
        case "csv":
            AnalysisDocument.network(analysis).writeCSV(into: &out)
        case "html":
            AnalysisPage.render(analysis, title: "lstm-grad analyze: \(spec.file)", plotTitle: plotTitle, decimals: precision, into: &out)
            if let path = svg { writeStandardError("wrote \(path)\n") }
        default:
            out.write(AnalysisText(decimals: precision, width: CLI.outputWidth()).render(analysis))
            if let path = svg { out.write("\nwrote \(path)\n") }
        }
        return 0
    }

    /// T, H, the state size, the two header lines (file, model and sizes) and the bands of one
    /// sequence (layers × directions; 1 for one cell).
    static func sizes(_ spec: Spec) -> (Int, Int, Int, [String], Int) {
        let (T, H, S, line, bands) = spec.visit(Sizes())
        return (T, H, S, ["spec: \(spec.file)", line], bands)
    }

    struct Sizes: ProblemVisitor {
        typealias Failure = Never
        func visit<C: Cell>(_ p: Problem<C>) -> (Int, Int, Int, String, Int) {
            let head = p.head.kind != .none ? ", head: \(p.head.kind.rawValue) (\(p.head.parameters!.V.rows) outputs)" : ""
            return (p.steps, p.cell.hiddenSize, p.cell.hiddenSize * p.cell.carried.count,
                    "\(p.cell.summary)   X = \(p.cell.inputSize), H = \(p.cell.hiddenSize), T = \(p.steps)" + head, 1)
        }

        func visit<C: Cell>(network p: NetworkProblem<C>) -> (Int, Int, Int, String, Int) {
            let cell = p.cells[0][0]
            return (p.steps, cell.hiddenSize, cell.hiddenSize * cell.carried.count, "", p.layers * p.directions)
        }
    }

    struct FlowRequest: ProblemVisitor {
        typealias Failure = Never
        var window: Int?
        var lastRow: Bool
        func visit<C: Cell>(_ p: Problem<C>) -> GradientFlow? { C.gradientFlow(p, window: window, lastRow: lastRow) }
    }

    struct RecurrentMatrix: ProblemVisitor {
        typealias Failure = Never
        func visit<C: Cell>(_ p: Problem<C>) -> Matrix? { C.recurrentMatrix(p) }
    }

    static func analyzeMatrix(_ m: Matrix, power: Int, source: String) throws(CLIError) -> MatrixAnalysis {
        let analysis: MatrixAnalysis
        do {
            analysis = try MatrixAnalysis(m, power: power)
        } catch {
            throw .usage("\(source): \(error.description)", command: name)
        }
        guard analysis.isFinite else {
            throw .usage("\(source): W^\(power) or its eigendecomposition overflows a double; use smaller entries or a smaller --power", command: name)
        }
        return analysis
    }
}
