/// `run --summary`: the loss and, for every gradient block, its Euclidean norm and its sum —
/// without keeping the per-step values of the full report.
public struct GradientSummary: Sendable {
    public struct Block: Sendable, Equatable {
        /// Canonical key, as `run` names the quantity: `dW.a`, `dU.o`, `db.f`, `dV`, `dc`, the initial
        /// state's gradients (`Delta_out[-1]`, `delta_state[-1]`), and `delta_x` for every δx_t.
        public var name: String
        public var count: Int
        public var norm: Double
        public var sum: Double

        /// A parameter block's gradient (not the initial state's nor the inputs').
        public var isParameterGradient: Bool

        public init(name: String, values: [Double], isParameterGradient: Bool = true) {
            self.name = name
            self.isParameterGradient = isParameterGradient
            count = values.count
            var s = 0.0, q = 0.0
            for v in values {
                s += v
                q += v * v
            }
            sum = s
            norm = q.squareRoot()
        }
    }

    public var model: String
    public var hidden: Int, input: Int, steps: Int
    public var loss: Double
    public var blocks: [Block]
    /// Seconds spent in the forward pass (cell, head and loss) and in BPTT.
    public var forwardSeconds: Double
    public var backwardSeconds: Double
    /// Doubles held by the pass: stored activations and the parameters (for the benchmark).
    public var storedActivations: Int
    public var parameterCount: Int

    /// ‖all parameter gradients‖₂ (cell and head blocks).
    public var totalNorm: Double {
        blocks.filter { $0.isParameterGradient }
            .reduce(0) { $0 + $1.norm * $1.norm }.squareRoot()
    }

    /// Fails on the first non-finite number (loss first, then the blocks in order).
    public func checkFinite() throws(NumericError) {
        if !loss.isFinite { throw NumericError(quantity: "L (loss)", value: loss) }
        for b in blocks where !b.sum.isFinite || !b.norm.isFinite {
            throw NumericError(quantity: b.name, value: b.sum.isFinite ? b.norm : b.sum)
        }
    }
}

extension Spec {
    /// Loss and gradient norms: the fast kernel for an LSTM, the reference pass otherwise.
    public func summary(options: BackwardOptions = BackwardOptions()) throws(NumericError) -> GradientSummary {
        let s = visit(SummaryVisitor(model: modelName, options: options))
        try s.checkFinite()
        return s
    }
}

struct SummaryVisitor: ProblemVisitor {
    typealias Failure = Never
    var model: String
    var options: BackwardOptions

    func visit<C: Cell>(_ problem: Problem<C>) -> GradientSummary {
        C.fastSummary(problem, model: model, options: options) ?? GradientSummary(reference: problem, model: model, options: options)
    }

    /// A network: the loss and every total gradient block at its place (`dW.a@l1.reverse`, `dV`).
    func visit<C: Cell>(network: NetworkProblem<C>) -> GradientSummary {
        if let fast = C.fastNetworkSummary(network, model: model, options: options) { return fast }
        let t0 = monotonicSeconds()
        var pass = NetworkPass.forward(network, fast: true)
        let t1 = monotonicSeconds()
        pass.options = options
        pass.backward(keepEquations: false, fast: true)
        let t2 = monotonicSeconds()
        let blocks = pass.totalGradients.map { GradientSummary.Block(name: $0.description, values: pass.values.value($0).numbers) }
        let parameters = network.cells.joined().reduce(0) { $0 + $1.parameters.parameterCount } + (network.head.parameters?.parameterCount ?? 0)
        return GradientSummary(model: model, hidden: network.hiddenSize, input: network.inputSize, steps: network.steps, loss: pass.loss,
                               blocks: blocks, forwardSeconds: t1 - t0, backwardSeconds: t2 - t1, storedActivations: 0, parameterCount: parameters)
    }
}

extension GradientSummary {
    /// Through `LSTMFast`, keeping only the forward activations (δgates overwrite the gates).
    public init(fast problem: Problem<LSTMCell>, model: String = "lstm", options: BackwardOptions = BackwardOptions(),
                kernels: KernelVariant = .chosen) {
        let t0 = monotonicSeconds()
        let kernel = LSTMFast(problem.cell.parameters, kernels: kernels)
        let H = kernel.H, X = kernel.X, T = problem.inputs.count
        let xs = LSTMFast.flatten(problem.inputs, width: X)
        var f = kernel.forward(inputs: xs, steps: T, initial: problem.initial)
        let hp = f.out.withUnsafeBufferPointer { o in
            HeadPass(problem, outputs: { t in Vector(Array(o[(t * H)..<((t + 1) * H)])) })
        }
        let stored = f.storedCount + xs.count
        let t1 = monotonicSeconds()
        let b = kernel.backward(&f, inputs: xs, fromLoss: hp.fromLoss, options: options, reuseGates: true)
        var blocks: [Block] = []
        for (name, all, cols) in [("dW", b.dW, X), ("dU", b.dU, H), ("db", b.db, 1)] {
            for g in LSTMGate.allCases {
                let from = Pass<LSTMCell>.offset(g) * H * cols
                blocks.append(Block(name: "\(name).\(g.rawValue)", values: Array(all[from..<(from + H * cols)])))
            }
        }
        for block in problem.head.parameters?.blockNames ?? [] {
            blocks.append(Block(name: block.gradient.description, values: hp.values.value(block.gradient).numbers))
        }
        let initial = problem.cell.initialGradients(options: options)
        blocks.append(Block(name: initial[0].description, values: b.dInitialOut, isParameterGradient: false))
        blocks.append(Block(name: initial[1].description, values: b.dInitialState, isParameterGradient: false))
        blocks.append(Block(name: Symbol.deltaX.base, values: b.dx, isParameterGradient: false))
        let t2 = monotonicSeconds()
        self.init(model: model, hidden: H, input: X, steps: T, loss: hp.losses.reduce(0, +), blocks: blocks,
                  forwardSeconds: t1 - t0, backwardSeconds: t2 - t1, storedActivations: stored,
                  parameterCount: problem.cell.parameters.parameterCount + (problem.head.parameters?.parameterCount ?? 0))
    }

    /// Through the reference pass of any cell.
    public init<C: Cell>(reference problem: Problem<C>, model: String, options: BackwardOptions = BackwardOptions()) {
        let t0 = monotonicSeconds()
        let pass = Pass(problem, options: options, views: false)
        let t1 = monotonicSeconds()
        var blocks: [Block] = []
        let parameterBlocks = problem.cell.parameters.blockNames + (problem.head.parameters?.blockNames ?? [])
        for name in parameterBlocks { blocks.append(Block(name: name.gradient.description, values: pass.values.value(name.gradient).numbers)) }
        for name in problem.cell.initialGradients(options: options) {
            blocks.append(Block(name: name.description, values: pass.values.value(name).numbers, isParameterGradient: false))
        }
        blocks.append(Block(name: Symbol.deltaX.base, values: pass.gradients.inputs.flatMap(\.values), isParameterGradient: false))
        self.init(model: model, hidden: problem.cell.hiddenSize, input: problem.cell.inputSize, steps: problem.inputs.count,
                  loss: pass.loss, blocks: blocks, forwardSeconds: t1 - t0, backwardSeconds: 0, storedActivations: 0,
                  parameterCount: problem.cell.parameters.parameterCount + (problem.head.parameters?.parameterCount ?? 0))
    }

    /// The text form: one line for the loss, one per block.
    public func render(into out: inout OutputBuffer) {
        out.write("model: \(model)   X = \(input), H = \(hidden), T = \(steps)\n")
        out.write("loss: ")
        out.writeShortest(loss)
        out.newline()
        out.write("gradient norm (all parameters): ")
        out.writeShortest(totalNorm)
        out.newline()
        let width = blocks.map(\.name.count).max() ?? 0
        let countWidth = max(5, blocks.map { String($0.count).count }.max() ?? 0)
        let title: String = "block".summaryPadded(width) + "  " + "count".summaryPadded(countWidth)
        out.write(title)
        out.write("  " + "norm".summaryPadded(24) + "  sum\n")
        for b in blocks {
            out.write(b.name.summaryPadded(width))
            let count: String = String(b.count).summaryPadded(countWidth)
            out.write("  " + count + "  ")
            var norm = OutputBuffer()
            norm.writeShortest(b.norm)
            out.write(norm.text.summaryPadded(24))
            out.write("  ")
            out.writeShortest(b.sum)
            out.newline()
        }
    }
}

extension GradientSummary {
    /// The JSON form: `{"model", "hidden", "input", "steps", "loss", "gradient_norm", "blocks": {name: {count, norm, sum}}}`,
    /// numbers in shortest round-trip form.
    public func renderJSON(into out: inout OutputBuffer) {
        out.write("{\n  \"model\": \"\(model)\",\n  \"hidden\": \(hidden),\n  \"input\": \(input),\n  \"steps\": \(steps),\n  \"loss\": ")
        out.writeShortest(loss)
        out.write(",\n  \"gradient_norm\": ")
        out.writeShortest(totalNorm)
        out.write(",\n  \"blocks\": {")
        for (k, b) in blocks.enumerated() {
            out.write(k == 0 ? "\n    " : ",\n    ")
            out.write("\"\(b.name)\": {\"count\": \(b.count), \"norm\": ")
            out.writeShortest(b.norm)
            out.write(", \"sum\": ")
            out.writeShortest(b.sum)
            out.write("}")
        }
        out.write("\n  }\n}\n")
    }
}

extension String {
    fileprivate func summaryPadded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
