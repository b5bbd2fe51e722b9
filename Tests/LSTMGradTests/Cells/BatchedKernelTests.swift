@testable import LSTMGrad
import Testing

/// The packed matrix product against a naive triple loop, on shapes that leave every kind of
/// edge (M, N, K not multiples of the 6×8 tile or of the cache blocks), both operand
/// orientations, and sub-ranges of rows and panels; with every build of the kernels this CPU runs.
@Suite struct PackedGemmTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var M: Int, N: Int, K: Int
        var testDescription: String { "M=\(M) N=\(N) K=\(K)" }
    }

    static let cases: [Case] = [
        Case(M: 1, N: 1, K: 1), Case(M: 5, N: 3, K: 7), Case(M: 6, N: 8, K: 256), Case(M: 7, N: 9, K: 13),
        Case(M: 13, N: 17, K: 300), Case(M: 25, N: 31, K: 513), Case(M: 97, N: 23, K: 5), Case(M: 2, N: 70, K: 257),
        Case(M: 130, N: 41, K: 260),
    ]

    @Test(arguments: cases, KernelVariant.available.map(\.name))
    func packedProductEqualsTheTripleLoop(_ s: Case, _ variant: String) {
        let kernels = KernelVariant.available.first { $0.name == variant }!
        var rng = FastPathTests.Rng(state: UInt64(s.M * 1000 + s.N * 10 + s.K))
        let a = (0..<(s.M * s.K)).map { _ in rng.next() }, b = (0..<(s.K * s.N)).map { _ in rng.next() }
        let c0 = (0..<(s.M * s.N)).map { _ in rng.next() }
        // A row-major or transposed, B row-major or transposed: A(i, k), B(k, j) the same values.
        for (ais, aks, bks, bjs) in [(s.K, 1, s.N, 1), (1, s.M, 1, s.K)] {
            let aStored = ais == 1 ? transpose(a, rows: s.M, cols: s.K) : a
            let bStored = bjs == 1 ? b : transpose(b, rows: s.K, cols: s.N)
            var expected = c0, bound = [Double](repeating: 0, count: s.M * s.N)
            for i in 0..<s.M {
                for j in 0..<s.N {
                    for k in 0..<s.K {
                        expected[i * s.N + j] += a[i * s.K + k] * b[k * s.N + j]
                        bound[i * s.N + j] += abs(a[i * s.K + k] * b[k * s.N + j])
                    }
                }
            }
            var whole = c0
            aStored.withUnsafeBufferPointer { ap in
                bStored.withUnsafeBufferPointer { bp in
                    whole.withUnsafeMutableBufferPointer { cp in
                        kernels.parallelGemm(M: s.M, N: s.N, K: s.K, a: ap.baseAddress!, ais: ais, aks: aks, b: bp.baseAddress!,
                                             bks: bks, bjs: bjs, c: cp.baseAddress!, ldc: s.N)
                    }
                }
            }
            for k in 0..<(s.M * s.N) {
                #expect(abs(whole[k] - expected[k]) <= 1e-14 * (bound[k] + abs(c0[k])) + 1e-300,
                        "\(variant) \(s.testDescription) entry \(k): \(whole[k]) vs \(expected[k])")
            }
            // The product over pieces of rows and panels gives the same bits as over the whole.
            let panels = (s.N + 7) / 8
            var pieces = c0
            let packed = UnsafeMutablePointer<Double>.allocate(capacity: KernelVariant.packedCount(K: s.K, N: s.N))
            defer { packed.deallocate() }
            bStored.withUnsafeBufferPointer { bp in
                kernels.packB(K: s.K, N: s.N, b: bp.baseAddress!, bks: bks, bjs: bjs, into: packed)
            }
            aStored.withUnsafeBufferPointer { ap in
                pieces.withUnsafeMutableBufferPointer { cp in
                    for rows in [0..<(s.M / 3), (s.M / 3)..<s.M] {
                        for range in [0..<(panels / 2), (panels / 2)..<panels] {
                            kernels.gemmPacked(M: s.M, N: s.N, K: s.K, a: ap.baseAddress!, ais: ais, aks: aks, packedB: packed,
                                               c: cp.baseAddress!, ldc: s.N, rows: rows, panels: range)
                        }
                    }
                }
            }
            #expect(pieces == whole, "\(variant) \(s.testDescription): pieces of rows and panels differ from the whole")
        }
    }

    /// The four-at-a-time cell update (its own σ and tanh) against the scalar one through libm,
    /// pre-activations from −800 to 800 and near zero, units not a multiple of 4.
    @Test(arguments: KernelVariant.available.map(\.name))
    func vectorCellUpdateEqualsTheScalarOne(_ variant: String) {
        let kernels = KernelVariant.available.first { $0.name == variant }!
        var rng = FastPathTests.Rng(state: 5)
        let H = 1003
        var scales: [Double] = []
        for j in 0..<(4 * H) { scales.append([1e-9, 1e-3, 0.5, 3, 30, 800][j % 6]) }
        let pre = scales.map { $0 * rng.next() }
        let prev = (0..<H).map { _ in 2 * rng.next() }
        var g1 = pre, g2 = pre
        var s1 = [Double](repeating: 0, count: H), t1 = s1, o1 = s1, s2 = s1, t2 = s1, o2 = s1
        LSTMFast.cellUpdate(units: 0..<H, H: H, g: &g1, prevState: prev, state: &s1, tanhState: &t1, out: &o1)
        kernels.lstmCellUpdate(units: 0..<H, stride: H, g: &g2, prevState: prev, state: &s2, tanhState: &t2, out: &o2)
        for (name, a, b) in [("gates", g2, g1), ("state", s2, s1), ("tanh(state)", t2, t1), ("out", o2, o1)] {
            for k in a.indices {
                // The gates to a few ulp of their own size; state and out (sums of two terms,
                // each at most 2 in size) to a few ulp of 1.
                let tolerance = 1e-15 * abs(b[k]) + (name == "gates" ? 1e-300 : 1e-15)
                #expect(abs(a[k] - b[k]) <= tolerance, "\(variant) \(name)[\(k)]: \(a[k]) vs libm \(b[k])")
            }
        }
    }

    func transpose(_ m: [Double], rows: Int, cols: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m.count)
        for i in 0..<rows { for j in 0..<cols { t[j * rows + i] = m[i * cols + j] } }
        return t
    }
}

/// A network through the batched kernel (`LSTMBatch`: all sequences in one matrix product per
/// step) against the equations (`NetworkPass`): the loss and every total gradient to 1e−12
/// relative, on odd sizes, 1–3 layers, one or two directions, B = 1, 3, 5, with and without
/// bias and given initial states; with every build of the kernels this CPU runs.
@Suite struct BatchedNetworkTests {
    struct Shape: CustomTestStringConvertible, Sendable {
        var H: Int, X: Int, T: Int, B: Int, layers: Int, directions: Int, bias: Bool, initial: Bool
        var testDescription: String {
            "H=\(H) X=\(X) T=\(T) B=\(B) L=\(layers) D=\(directions)\(bias ? "" : " no bias")\(initial ? " h0,c0" : "")"
        }
    }

    static let shapes: [Shape] = [
        Shape(H: 1, X: 1, T: 1, B: 1, layers: 1, directions: 1, bias: true, initial: false),
        Shape(H: 5, X: 3, T: 4, B: 3, layers: 2, directions: 2, bias: true, initial: true),
        Shape(H: 13, X: 7, T: 3, B: 5, layers: 3, directions: 1, bias: false, initial: true),
        Shape(H: 19, X: 9, T: 5, B: 1, layers: 1, directions: 2, bias: false, initial: false),
        Shape(H: 37, X: 11, T: 3, B: 3, layers: 2, directions: 2, bias: true, initial: true),
        // Large enough for the two-thread steps (B·4H·H ≥ 65536: halves of the sequences from
        // B = 4, else halves of the units) and matrix products.
        Shape(H: 67, X: 5, T: 4, B: 5, layers: 2, directions: 2, bias: true, initial: true),
        Shape(H: 75, X: 3, T: 3, B: 3, layers: 1, directions: 2, bias: true, initial: false),
    ]

    /// A network spec in PyTorch's state-dict names with a linear head and the squared-error loss.
    static func specText(_ s: Shape, seed: UInt64 = 11) -> String {
        var rng = FastPathTests.Rng(state: seed)
        func list(_ n: Int, _ scale: Double = 1) -> String { "[" + (0..<n).map { _ in "\(scale * rng.next())" }.joined(separator: ",") + "]" }
        func matrix(_ r: Int, _ c: Int, _ scale: Double) -> String { "[" + (0..<r).map { _ in list(c, scale) }.joined(separator: ",") + "]" }
        let H = s.H, K = 3
        var weights: [String] = []
        for l in 0..<s.layers {
            for d in 0..<s.directions {
                let suffix = "_l\(l)" + (d == 1 ? "_reverse" : "")
                let X = l == 0 ? s.X : s.directions * H
                let scale = 1 / Double(H + X).squareRoot()
                weights.append("\"weight_ih\(suffix)\": \(matrix(4 * H, X, scale))")
                weights.append("\"weight_hh\(suffix)\": \(matrix(4 * H, H, scale))")
                if s.bias {
                    weights.append("\"bias_ih\(suffix)\": \(list(4 * H, 0.3))")
                    weights.append("\"bias_hh\(suffix)\": \(list(4 * H, 0.3))")
                }
            }
        }
        let inputs = "[" + (0..<s.B).map { _ in matrix(s.T, s.X, 1) }.joined(separator: ",") + "]"
        let labels = "[" + (0..<s.B).map { _ in matrix(s.T, K, 1) }.joined(separator: ",") + "]"
        var text = "{\"model\": \"lstm\", \"weights\": {\(weights.joined(separator: ", "))}, "
        text += "\"head\": {\"type\": \"linear\", \"V\": \(matrix(K, s.directions * H, 0.5)), \"c\": \(list(K, 0.1))}, "
        text += "\"inputs\": \(inputs), \"labels\": \(labels), \"loss\": {\"type\": \"l2\"}, \"learning_rate\": 0.1"
        if s.initial {
            let states = "[" + (0..<(s.layers * s.directions)).map { _ in matrix(s.B, H, 0.5) }.joined(separator: ",") + "]"
            let outs = "[" + (0..<(s.layers * s.directions)).map { _ in matrix(s.B, H, 0.5) }.joined(separator: ",") + "]"
            text += ", \"initial\": {\"out\": \(outs), \"state\": \(states)}"
        }
        return text + "}\n"
    }

    struct Compare: ProblemVisitor {
        typealias Result = (compared: Int, worst: Double, worstName: String)
        let kernels: KernelVariant
        func visit<C: Cell>(_ problem: Problem<C>) -> Result { (0, .infinity, "not a network") }
        func visit<C: Cell>(network: NetworkProblem<C>) -> Result {
            guard let n = network as? NetworkProblem<LSTMCell> else { return (0, .infinity, "not an LSTM") }
            let fast = BatchedNetworkGradients(n, options: BackwardOptions(), kernels: kernels)
            var pass = NetworkPass.forward(n, fast: false)
            pass.backward(keepEquations: false, fast: false)
            var worst = abs(fast.loss - pass.loss) / max(abs(pass.loss), 1e-300), worstName = "loss", compared = 0
            for (name, values) in fast.blocks {
                let reference = pass.values.value(name).numbers
                guard reference.count == values.count else { return (compared, .infinity, "\(name): \(values.count) values") }
                let scale = max(reference.map(abs).max() ?? 0, 1e-300)
                for (a, b) in zip(values, reference) where abs(a - b) / scale > worst {
                    worst = abs(a - b) / scale
                    worstName = name.description
                }
                compared += 1
            }
            return (compared, worst, worstName)
        }
    }

    @Test(arguments: shapes, KernelVariant.available.map(\.name))
    func batchedKernelEqualsTheEquations(_ s: Shape, _ variant: String) throws {
        let spec = try Fixtures.spec(json: Self.specText(s))
        let r = spec.visit(Compare(kernels: KernelVariant.available.first { $0.name == variant }!))
        let perCell = s.bias ? 12 : 8
        #expect(r.compared == s.layers * s.directions * perCell + 2, "\(s.testDescription): \(r.compared) blocks compared")
        #expect(r.worst <= 1e-12, "\(variant) \(s.testDescription) \(r.worstName): max difference / scale \(r.worst)")
    }

    /// `run --summary` of a batched network prints the same bytes on one thread and on two
    /// (B = 2: the units split between the threads; B = 5: the sequences).
    @Test(arguments: [2, 5])
    func summaryDoesNotDependOnTheThreadCount(_ B: Int) throws {
        let s = Shape(H: 131, X: 9, T: 8, B: B, layers: 1, directions: 2, bias: true, initial: true)
        try withTemporaryDirectory { dir in
            let spec = dir + "/net.json"
            try OutputFile.write(spec, Self.specText(s))
            for args in [["--summary"], ["--summary", "--format", "json"]] {
                let one = try CLIRunner.run(["run", spec] + args, environment: ["LSTM_GRAD_THREADS": "1"])
                let two = try CLIRunner.run(["run", spec] + args, environment: ["LSTM_GRAD_THREADS": "2"])
                #expect(one.status == 0 && two.status == 0, "\(one.stderr) \(two.stderr)")
                #expect(!one.stdout.isEmpty)
                #expect(one.stdout == two.stdout, "run \(args.joined(separator: " ")): one and two threads differ")
            }
        }
    }
}
