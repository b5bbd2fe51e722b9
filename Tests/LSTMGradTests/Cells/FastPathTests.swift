import LSTMGrad
import Testing

/// The fast LSTM kernel against the reference `LSTMCell.forward/backward`: every forward value,
/// every δ, every gradient, on many shapes (H = 1, X = 1, tile remainders), with and without
/// heads, to 1e−12 relative.
@Suite struct FastPathTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Rng {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(1 << 53) * 2 - 1
        }
        mutating func vector(_ n: Int, scale: Double = 1) -> Vector { Vector((0..<n).map { _ in scale * next() }) }
        mutating func matrix(_ r: Int, _ c: Int, scale: Double) -> Matrix {
            Matrix(rows: r, cols: c, values: (0..<(r * c)).map { _ in scale * next() })
        }
    }

    struct Shape: CustomTestStringConvertible, Sendable {
        var H: Int, X: Int, T: Int, head: HeadKind
        var testDescription: String { "H=\(H) X=\(X) T=\(T) head=\(head.rawValue)" }
    }

    static let shapes: [Shape] = [
        Shape(H: 1, X: 1, T: 1, head: .none), Shape(H: 1, X: 2, T: 2, head: .none), Shape(H: 1, X: 1, T: 9, head: .linear),
        Shape(H: 2, X: 1, T: 3, head: .sigmoid), Shape(H: 3, X: 5, T: 7, head: .softmax), Shape(H: 5, X: 3, T: 1, head: .none),
        Shape(H: 8, X: 8, T: 10, head: .linear), Shape(H: 9, X: 13, T: 6, head: .none), Shape(H: 17, X: 3, T: 4, head: .softmax),
        Shape(H: 1, X: 40, T: 5, head: .sigmoid), Shape(H: 33, X: 1, T: 12, head: .none), Shape(H: 24, X: 19, T: 70, head: .linear),
        Shape(H: 64, X: 32, T: 9, head: .none),
        // Large enough for the two-thread matrix products (δU) and matrix–vector products (H = 512).
        Shape(H: 200, X: 16, T: 60, head: .linear), Shape(H: 512, X: 8, T: 3, head: .none),
    ]

    static func problem(_ s: Shape, seed: UInt64 = 7) -> Problem<LSTMCell> {
        var rng = Rng(state: seed &+ UInt64(s.H * 1_000_003 + s.X * 1009 + s.T))
        let scale = 1 / Double(s.H + s.X).squareRoot()
        let params = LSTMParameters(
            W: PerGate { _ in rng.matrix(s.H, s.X, scale: scale) },
            U: PerGate { _ in rng.matrix(s.H, s.H, scale: scale) },
            b: PerGate { _ in rng.vector(s.H, scale: 0.5) })
        let inputs = (0..<s.T).map { _ in rng.vector(s.X) }
        let K = 3
        let head: Head
        let loss: Loss
        let targets: Targets
        switch s.head {
        case .none:
            head = .none
            loss = Loss(kind: .l2, half: true, mean: false)
            targets = .values((0..<s.T).map { _ in rng.vector(s.H, scale: 0.5) })
        case .linear:
            head = Head(kind: .linear, parameters: HeadParameters(V: rng.matrix(K, s.H, scale: 0.7), c: rng.vector(K)))
            loss = Loss(kind: .l2, half: false, mean: true)
            targets = .values((0..<s.T).map { _ in rng.vector(K) })
        case .sigmoid:
            head = Head(kind: .sigmoid, parameters: HeadParameters(V: rng.matrix(K, s.H, scale: 0.7), c: rng.vector(K)))
            loss = Loss(kind: .binaryCrossEntropy)
            targets = .values((0..<s.T).map { _ in rng.vector(K).map { ($0 + 1) / 2 } })
        case .softmax:
            head = Head(kind: .softmax, parameters: HeadParameters(V: rng.matrix(K, s.H, scale: 0.7), c: rng.vector(K)))
            loss = Loss(kind: .crossEntropy)
            targets = .classes((0..<s.T).map { t in t % K })
        }
        let initial = CellState(out: rng.vector(s.H, scale: 0.3), state: rng.vector(s.H, scale: 0.3))
        return Problem(cell: LSTMCell(parameters: params), head: head, loss: loss, inputs: inputs,
                       targets: targets, initial: initial, learningRate: 0.1)
    }

    /// max |a − b| ≤ 1e−12 · max(1, max |b|), quantity by quantity.
    static func expectClose(_ a: [Double], _ b: [Double], _ what: String, _ shape: Shape) {
        #expect(a.count == b.count, "\(shape.testDescription) \(what): \(a.count) vs \(b.count) values")
        guard a.count == b.count else { return }
        let scale = max(1, b.map(abs).max() ?? 0)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-12 * scale, "\(shape.testDescription) \(what): max difference \(worst), scale \(scale)")
    }

    /// Every build of the kernels this CPU runs (portable, and AVX2 + FMA where supported); a
    /// variant the CPU lacks is named by `kernelVariantsThisCPURuns`.
    static let variants = KernelVariant.available.map(\.name)

    @Test func kernelVariantsThisCPURuns() {
        #expect(KernelVariant.available.first?.name == "portable")
        if !KernelVariant.available.contains(where: { $0.name == "avx2" }) {
            print("note: this CPU lacks AVX2 + FMA; the avx2 kernels are not tested here")
        }
    }

    @Test(arguments: shapes, variants)
    func fastPassEqualsTheReference(_ s: Shape, _ variant: String) {
        let problem = Self.problem(s)
        let ref = Pass(problem)
        let fast = Pass(fast: problem, kernels: KernelVariant.available.first { $0.name == variant }!)
        Self.expectClose(fast.losses, ref.losses, "losses", s)
        for t in 0..<s.T {
            let f = fast.steps[t], r = ref.steps[t]
            for g in LSTMGate.allCases {
                Self.expectClose(f.gates[g].values, r.gates[g].values, "\(g)[\(t)]", s)
            }
            Self.expectClose(f.x.values + f.prevOut.values + f.prevState.values, r.x.values + r.prevOut.values + r.prevState.values, "x, out_{t-1}, state_{t-1} [\(t)]", s)
            Self.expectClose(f.state.values + f.tanhState.values + f.out.values, r.state.values + r.tanhState.values + r.out.values, "state, tanh, out [\(t)]", s)
            let fd = fast.gradients.deltas[t], rd = ref.gradients.deltas[t]
            Self.expectClose(fd.fromLoss.values, rd.fromLoss.values, "Delta[\(t)]", s)
            Self.expectClose(fd.fromNext.values, rd.fromNext.values, "Delta_out[\(t)]", s)
            Self.expectClose(fd.out.values, rd.out.values, "delta_out[\(t)]", s)
            Self.expectClose(fd.state.values, rd.state.values, "delta_state[\(t)]", s)
            for g in LSTMGate.allCases {
                Self.expectClose(fd.gates[g].values, rd.gates[g].values, "delta_\(g)[\(t)]", s)
                Self.expectClose(fd.gateOutputs[g].values, rd.gateOutputs[g].values, "gate output δ \(g)[\(t)]", s)
                Self.expectClose(fd.toPrevOutTerms[g].values, rd.toPrevOutTerms[g].values, "U_\(g)ᵀδ[\(t)]", s)
            }
            Self.expectClose(fd.x.values, rd.x.values, "delta_x[\(t)]", s)
            Self.expectClose(fd.toPrevOut.values, rd.toPrevOut.values, "Delta_out[\(t - 1)]", s)
            Self.expectClose(fd.stateThroughOut.values, rd.stateThroughOut.values, "delta_state_from_out[\(t)]", s)
            Self.expectClose(fd.stateFromNext.values, rd.stateFromNext.values, "delta_state_from_next[\(t)]", s)
            #expect(fd.passedBack == rd.passedBack)
            Self.expectClose(fast.dy[t].values + fast.dv[t].values, ref.dy[t].values + ref.dv[t].values, "dy, dv [\(t)]", s)
        }
        for name in ref.gradients.parameters.blockNames {
            Self.expectClose(fast.gradients.parameters[block: name], ref.gradients.parameters[block: name], name.gradient.description, s)
            Self.expectClose(fast.updated[block: name], ref.updated[block: name], name.afterUpdate.description, s)
        }
        Self.expectClose(fast.gradients.initial.out.values, ref.gradients.initial.out.values, "d_initial.out", s)
        Self.expectClose(fast.gradients.initial.state!.values, ref.gradients.initial.state!.values, "d_initial.state", s)
        if let rh = ref.headGradients, let fh = fast.headGradients {
            Self.expectClose(fh.V.values + fh.c.values, rh.V.values + rh.c.values, "dV, dc", s)
        }
        #expect((fast.headGradients == nil) == (ref.headGradients == nil))
    }

    @Test(arguments: shapes, variants)
    func summaryEqualsTheReferenceSummary(_ s: Shape, _ variant: String) {
        let problem = Self.problem(s, seed: 11)
        let fast = GradientSummary(fast: problem, kernels: KernelVariant.available.first { $0.name == variant }!)
        let ref = GradientSummary(reference: problem, model: "lstm")
        #expect(fast.blocks.map(\.name) == ref.blocks.map(\.name))
        Self.expectClose([fast.loss], [ref.loss], "loss", s)
        for (f, r) in zip(fast.blocks, ref.blocks) {
            #expect(f.count == r.count, "\(s.testDescription) \(f.name) count")
            Self.expectClose([f.norm, f.sum], [r.norm, r.sum], f.name + " norm, sum", s)
        }
        // The summary's norm is the norm of the reference gradient itself.
        let pass = Pass(problem)
        let dW = pass.gradients.parameters.W.a.values
        Self.expectClose([fast.blocks[0].norm], [dW.reduce(0) { $0 + $1 * $1 }.squareRoot()], "‖dW.a‖", s)
    }

    @Test func truncatedGradientsMatchTheReference() {
        let s = Shape(H: 6, X: 4, T: 8, head: .linear)
        let problem = Self.problem(s)
        let options = BackwardOptions(recurrentTerms: false)
        let ref = Pass(problem, options: options)
        let fast = Pass(fast: problem, options: options)
        for name in ref.gradients.parameters.blockNames {
            Self.expectClose(fast.gradients.parameters[block: name], ref.gradients.parameters[block: name], name.gradient.description, s)
        }
        for t in 0..<s.T {
            let f = fast.gradients.deltas[t], r = ref.gradients.deltas[t]
            Self.expectClose(f.state.values, r.state.values, "delta_state[\(t)]", s)
            Self.expectClose(f.stateThroughOut.values + f.stateFromNext.values, r.stateThroughOut.values + r.stateFromNext.values,
                             "δstate terms [\(t)]", s)
            #expect(f.passedBack == r.passedBack)
        }
    }

    /// The two-thread backward (H ≥ 128) without the recurrent terms.
    @Test func truncatedSummaryOnTwoThreadsMatchesTheReference() {
        let s = Shape(H: 132, X: 5, T: 7, head: .sigmoid)
        let problem = Self.problem(s)
        let options = BackwardOptions(recurrentTerms: false)
        let fast = GradientSummary(fast: problem, options: options)
        let ref = GradientSummary(reference: problem, model: "lstm", options: options)
        for (f, r) in zip(fast.blocks, ref.blocks) {
            Self.expectClose([f.norm, f.sum], [r.norm, r.sum], f.name + " norm, sum", s)
        }
    }

    /// The published example through the fast path reproduces the published numbers' report.
    @Test func publishedExampleReportIsTheSameThroughTheFastPath() throws {
        let spec = try Fixtures.spec("gomez.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let ref = try ReportBuilder.build(Pass(problem), names: spec.notation)
        let fast = try ReportBuilder.build(Pass(fast: problem), names: spec.notation)
        var a = OutputBuffer(), b = OutputBuffer()
        TextRenderer(decimals: 5).render(ref, into: &a)
        TextRenderer(decimals: 5).render(fast, into: &b)
        #expect(a.text == b.text)
    }
}

/// The computed width of a fixed-decimal number is the width of what is written, on values that
/// round across digit boundaries, to zero, and to every number of decimals.
@Suite struct FixedWidthTests {
    @Test func computedWidthEqualsWrittenWidth() {
        var rng = FastPathTests.Rng(state: 99)
        var values: [Double] = [0, -0.0, 0.5, -0.5, 9.999995, -9.999995, 99.5, -0.000004, -0.000005, 1e14, -999999.9999999, 1e15, .nan, .infinity,
                                 0.000005, -0.000005, 0.0000050000000001, -0.0000049999999999, 9.5, -9.5, 0.05, 999.99999500000001, -99999.999995, 1e14 - 0.3]
        for k in 0...15 { values += [0.5 * pow10(-k), -0.5 * pow10(-k), pow10(k % 14) - 0.5 * pow10(-5), -(pow10(k % 14) - 0.5 * pow10(-k))] }
        for _ in 0..<400 { values.append(rng.next() * pow10(Int(rng.next() * 8 + 8) - 8)) }
        for x in values {
            for d in 0...OutputBuffer.maxDecimals {
                var b = OutputBuffer()
                b.writeFixed(x, decimals: d)
                #expect(OutputBuffer.fixedWidth(x, decimals: d) == b.bytes.count, "\(x) with \(d) decimals: \(b.text)")
            }
        }
    }

    func pow10(_ k: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(k) { p *= 10 }
        return k < 0 ? 1 / p : p
    }
}
