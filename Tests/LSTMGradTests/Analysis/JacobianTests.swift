import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every Jacobian `analyze` prints against a finite-difference Jacobian, and every term of
/// ∂L/∂W against a finite difference of L_t in the copy of W used at step k only (an RNN
/// forward pass written out here, independently of the cell).
enum JacobianDifferences {
    /// The recurrent state after step t, as one vector: h, or (out, state) for an LSTM.
    static func stateVector<C: Cell>(_ cell: C, _ values: Trace, t: Int) -> [Double] {
        let s = cell.state(values, t: t)
        return s.out.values + (s.state?.values ?? [])
    }

    static func cellState(_ v: [Double], lstm: Bool, hidden H: Int) -> CellState {
        lstm ? CellState(out: Vector(Array(v[0..<H])), state: Vector(Array(v[H..<(2 * H)]))) : CellState(out: Vector(v))
    }

    /// ∂s_t/∂s_k by the five-point stencil (error O(h⁴) + O(ε/h)): the cell rerun from step
    /// k + 1 with s_k perturbed.
    static func state<C: Cell>(_ p: Problem<C>, t: Int, k: Int, h: Double = 1e-4) -> Matrix {
        let values = p.cell.forwardValues(p.inputs, initial: p.initial)
        let H = p.cell.hiddenSize
        let lstm = p.cell.carried.count == 2
        let start: [Double] = k < 0
            ? p.initial.out.values + (lstm ? (p.initial.state ?? Vector(zeros: H)).values : [])
            : stateVector(p.cell, values, t: k)
        let rest = Array(p.inputs[(k + 1)...t])
        let S = start.count
        var m = Matrix(zeros: S, S)
        for j in 0..<S {
            func run(_ d: Double) -> [Double] {
                var s = start
                s[j] += d
                return stateVector(p.cell, p.cell.forwardValues(rest, initial: cellState(s, lstm: lstm, hidden: H)), t: rest.count - 1)
            }
            let a = run(2 * h), b = run(h), c = run(-h), e = run(-2 * h)
            for r in 0..<S { m[r, j] = (-a[r] + 8 * b[r] - 8 * c[r] + e[r]) / (12 * h) }
        }
        return m
    }

    /// |a − b| ≤ tol·max(1, |b|) entry by entry.
    static func expectClose(_ a: Matrix, _ b: Matrix, _ what: String, tolerance: Double = 1e-9,
                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(a.rows == b.rows && a.cols == b.cols, "\(what): shape", sourceLocation: sourceLocation)
        for k in 0..<min(a.values.count, b.values.count) {
            let err = abs(a.values[k] - b.values[k])
            #expect(err <= tolerance * max(1, abs(b.values[k])),
                    "\(what)[\(k)]: analytic \(a.values[k]), numeric \(b.values[k]), error \(err), tolerance \(tolerance)",
                    sourceLocation: sourceLocation)
        }
    }
}

@Suite struct JacobianTests {
    static func rnnSpec(_ activation: String) -> String {
        RNNGRUGradientTests.rnnSpec(activation: activation, bias: true, head: nil, loss: "\"l2\"", labels: RNNGRUGradientTests.heads[0].3)
    }

    /// Every step Jacobian diag(act′(z_t))·W and every product ∂h_t/∂h_k, k = −1 … t − 1.
    @Test(arguments: ["sigmoid", "tanh", "relu"])
    func rnn(_ activation: String) throws {
        let spec = try Fixtures.spec(json: Self.rnnSpec(activation))
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        let flow = GradientFlow.rnn(p)
        #expect(flow.window.isComplete)
        for t in 0..<p.steps {
            // The printed one-step matrix is diag(act′(z_t))·W, entry by entry.
            let d = flow.derivatives![t], w = p.cell.parameters.W
            for r in 0..<w.rows { for c in 0..<w.cols { #expect(flow.stepJacobians[t][r, c] == d[r] * w[r, c]) } }
            for k in -1..<t {
                JacobianDifferences.expectClose(flow.product(t, k), JacobianDifferences.state(p, t: t, k: k), "\(activation) ∂h_\(t)/∂h_\(k)")
            }
        }
    }

    /// GRU: the four paths add up to the step Jacobian, which finite differences confirm; so
    /// do the products.
    @Test(arguments: ["pytorch", "z_new"])
    func gru(_ convention: String) throws {
        let json = RNNGRUGradientTests.gruSpec(convention: convention, head: nil, loss: "\"l2\"", labels: RNNGRUGradientTests.heads[0].3)
        let spec = try Fixtures.spec(json: json)
        guard let p = spec.problem(as: GRUCell.self) else { Issue.record("not a GRU"); return }
        let flow = GradientFlow.gru(p)
        for t in 0..<p.steps {
            let paths = flow.gruPaths![t]
            #expect(paths.sum == flow.stepJacobians[t])
            // Each path is non-trivial here: a missing one would not be noticed by the sum alone.
            for m in [paths.carry, paths.update, paths.candidate, paths.reset] { #expect(m.frobeniusNorm > 1e-4) }
            for k in -1..<t {
                JacobianDifferences.expectClose(flow.product(t, k), JacobianDifferences.state(p, t: t, k: k), "\(convention) ∂h_\(t)/∂h_\(k)")
            }
        }
    }

    /// GRU paths one by one: each is the Jacobian with every other route through h_{t−1} held at
    /// its forward value (the carry: only the h_{t−1} term of the update; through z: only z_t; …).
    @Test func gruPathsOneByOne() throws {
        let json = RNNGRUGradientTests.gruSpec(convention: "pytorch", head: nil, loss: "\"l2\"", labels: RNNGRUGradientTests.heads[0].3)
        guard let p = try Fixtures.spec(json: json).problem(as: GRUCell.self) else { Issue.record("not a GRU"); return }
        let flow = GradientFlow.gru(p)
        let steps = p.cell.forward(p.inputs, initial: p.initial)
        let q = p.cell.parameters
        let t = 2
        let s = steps[t], x = p.inputs[t], prev = steps[t - 1].out
        // h_t as a function of four separate copies of h_{t−1}: (carry, through z, through U_n, through r).
        func h(_ carry: Vector, _ viaZ: Vector, _ viaN: Vector, _ viaR: Vector) -> Vector {
            func sig(_ v: Vector) -> Vector { v.map { 1 / (1 + exp(-$0)) } }
            let r = sig(q.W.r.times(x) + q.b.r + q.U.r.times(viaR) + q.bh.r)
            let z = sig(q.W.z.times(x) + q.b.z + q.U.z.times(viaZ) + q.bh.z)
            let n = (q.W.n.times(x) + q.b.n + r * (q.U.n.times(viaN) + q.bh.n)).map { tanh($0) }
            return oneMinus(z) * n + z * carry
        }
        for (a, b) in zip(h(prev, prev, prev, prev).values, s.out.values) { #expect(abs(a - b) <= 1e-15) }
        let which: [(String, Matrix, (Vector) -> Vector)] = [
            ("carry", flow.gruPaths![t].carry, { h($0, prev, prev, prev) }),
            ("update", flow.gruPaths![t].update, { h(prev, $0, prev, prev) }),
            ("candidate", flow.gruPaths![t].candidate, { h(prev, prev, $0, prev) }),
            ("reset", flow.gruPaths![t].reset, { h(prev, prev, prev, $0) }),
        ]
        for (name, analytic, f) in which {
            var m = Matrix(zeros: prev.count, prev.count)
            let d = 1e-4
            for j in 0..<prev.count {
                func at(_ e: Double) -> Vector { var v = prev; v[j] += e; return f(v) }
                let col = (1 / (12 * d)) * (-1 * at(2 * d) + 8 * at(d) - 8 * at(-d) + at(-2 * d))
                for r in 0..<prev.count { m[r, j] = col[r] }
            }
            JacobianDifferences.expectClose(analytic, m, "GRU path \(name) at t = \(t)")
        }
    }

    /// LSTM: the full state Jacobian ∂(out_t, state_t)/∂(out_k, state_k), all four blocks.
    @Test(arguments: ["gomez.json", "lstm-carousel.json", "lstm-h2-x3-t4.json"])
    func lstm(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        guard let p = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let flow = GradientFlow.lstm(p)
        #expect(flow.stateSize == 2 * p.cell.hiddenSize)
        for t in 0..<p.steps {
            for k in -1..<t {
                JacobianDifferences.expectClose(flow.product(t, k), JacobianDifferences.state(p, t: t, k: k), "\(name) ∂(out_\(t), state_\(t))/∂(out_\(k), state_\(k))")
            }
        }
    }

    /// A window holds the same matrices as the whole table, bit for bit.
    @Test func windowMatchesTheWholeTable() throws {
        let spec = try Fixtures.spec("rnn-vanishing.json")
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        let all = GradientFlow.rnn(p, window: nil), last3 = GradientFlow.rnn(p, window: 3)
        #expect(all.window.isComplete && !last3.window.isComplete && last3.window.first == 8)
        for t in 9...11 {
            for k in 8..<t { #expect(last3.product(t, k) == all.product(t, k)) }
        }
        #expect(last3.verdict == all.verdict)
        #expect(last3.reach == all.reach)
    }

    /// The long-range norms ‖∂h_{T−1}/∂h_k‖ (kept as logarithms) equal the norms of the products.
    @Test func reachMatchesTheProducts() throws {
        for name in ["rnn-vanishing.json", "rnn-exploding.json", "lstm-carousel.json", "gru-znew.json"] {
            let spec = try Fixtures.spec(name)
            let flow = try #require(spec.visit(Flow()))
            let T = flow.steps
            for r in flow.lastRow! {
                #expect(relativeError(r.norm, flow.productNorm(T - 1, r.k)) < 1e-13, "\(name) k = \(r.k)")
            }
        }
    }
}

@Suite struct TermTests {
    /// An RNN forward pass written out here: W_k is the copy of W used at step k.
    static func loss(_ p: Problem<RNNCell>, at t: Int, weights: (Int) -> Matrix, labels: [[Double]]) -> Double {
        let q = p.cell.parameters
        func act(_ z: Double) -> Double {
            switch q.activation {
            case .sigmoid: return 1 / (1 + exp(-z))
            case .tanh: return tanh(z)
            case .relu: return max(0, z)
            case .identity: return z
            }
        }
        var h = p.initial.out.values
        for j in 0...t {
            let w = weights(j)
            var next = [Double](repeating: 0, count: h.count)
            for r in 0..<h.count {
                var z = q.b?[r] ?? 0
                for c in 0..<h.count { z += w[r, c] * h[c] }
                for c in 0..<q.U.cols { z += q.U[r, c] * p.inputs[j][c] }
                next[r] = act(z)
            }
            h = next
        }
        // L_t = ½‖h_t − y_t‖²
        return 0.5 * zip(h, labels[t]).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    static let specs = [
        // Seed 004's network (h_{−1} = 0, so the k = 0 terms vanish).
        ("seed004", try! String(decoding: InputFile.read(Fixtures.path("seed004-rnn.json")), as: UTF8.self)),
        // tanh with a bias and a non-zero initial state: every term non-zero.
        ("tanh", RNNGRUGradientTests.rnnSpec(activation: "tanh", bias: true, head: nil, loss: "{\"type\": \"l2\", \"half\": true}",
                                              labels: RNNGRUGradientTests.heads[0].3)),
    ]

    /// term(t, k) = ∂L_t/∂W_k: the derivative of the loss at t alone in the copy of W used at step
    /// k alone (∂⁺h_k/∂W), by five-point differences of the forward pass above.
    @Test(arguments: specs.map(\.0))
    func eachTermIsADerivative(_ name: String) throws {
        let json = Self.specs.first { $0.0 == name }!.1
        let spec = try Fixtures.spec(json: json)
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        guard case .values(let targets) = p.targets else { Issue.record("no labels"); return }
        let labels = targets.map(\.values)
        let flow = GradientFlow.rnn(p)
        let terms = try #require(flow.terms)
        let W = p.cell.parameters.W
        let h = 1e-4
        var nonzero = 0
        for t in 0..<p.steps {
            for k in 0...t {
                var numeric = Matrix(zeros: W.rows, W.cols)
                for e in 0..<W.values.count {
                    func at(_ d: Double) -> Double {
                        Self.loss(p, at: t, weights: { j in
                            var w = W
                            if j == k { w.values[e] += d }
                            return w
                        }, labels: labels)
                    }
                    numeric.values[e] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
                }
                JacobianDifferences.expectClose(terms.term(t, k), numeric, "\(name) term(\(t), \(k))", tolerance: 1e-10)
                if terms.term(t, k).frobeniusNorm > 1e-6 { nonzero += 1 }
            }
        }
        #expect(nonzero >= (name == "seed004" ? 6 : 10), "\(name): too few non-zero terms to test anything")
    }

    /// Σ_t Σ_k term(t, k) = δW from BPTT to 1e−12, and Σ_t term(t, k) = δz_k ⊗ h_{k−1} for each k.
    @Test(arguments: ["seed004-rnn.json", "rnn-vanishing.json", "rnn-exploding.json"])
    func termsAddUpToBPTT(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        let terms = try #require(GradientFlow.rnn(p).terms)
        let scale = max(1, terms.dW.values.map(abs).max() ?? 0)
        #expect(terms.outside == nil)
        #expect(terms.totalResidual <= 1e-12 * scale, "\(name): max |Σ terms − δW| = \(terms.totalResidual)")
        #expect(terms.residual <= 1e-12 * scale)
        // The same sum from the terms as printed in JSON, added up here.
        let out = try CLIRunner.run(["analyze", "fixtures/" + name, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let q = try AnalyzeJSON(out.stdout).quantities
        var sum = Matrix(zeros: terms.dW.rows, terms.dW.cols)
        var count = 0
        for (key, value) in q where key.hasPrefix("term_dW[") {
            sum = sum + AnalyzeJSON.matrix(value)
            count += 1
        }
        #expect(count == p.steps * (p.steps + 1) / 2)
        let dW = AnalyzeJSON.matrix(q.first { $0.0 == "dW" }!.1)
        for k in 0..<dW.values.count { #expect(abs(sum.values[k] - dW.values[k]) <= 1e-12 * scale) }
        #expect((q.first { $0.0 == "terms_residual" }!.1.number ?? 1) <= 1e-12 * scale)
    }

    /// With a window, the listed steps' contributions plus what lies outside make δW.
    @Test func windowedTermsAccountForTheRest() throws {
        let spec = try Fixtures.spec("rnn-vanishing.json")
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        let terms = try #require(GradientFlow.rnn(p, window: 3).terms)
        #expect(terms.firstK == 8)
        let outside = try #require(terms.outside)
        let total = terms.sum + outside
        for k in 0..<total.values.count { #expect(abs(total.values[k] - terms.dW.values[k]) <= 1e-15) }
        #expect(terms.residual <= 1e-12)
    }
}

/// `analyze --format json` read back with the project's JSON parser.
struct AnalyzeJSON {
    var root: JSONNode

    init(_ text: String) throws { root = try JSONParser.parse(Array(text.utf8)) }

    func member(_ key: String, in node: JSONNode? = nil) -> JSONNode? {
        (node ?? root).members?.first { $0.key == key }?.value
    }

    var quantities: [(String, JSONNode)] { member("quantities")?.members?.map { ($0.key, $0.value) } ?? [] }

    static func matrix(_ node: JSONNode) -> Matrix {
        Matrix(node.array!.map { row in row.array!.map { $0.number! } })
    }
}

/// The Jacobians as `analyze --format json` prints them, against finite differences.
@Suite struct JacobianJSONTests {
    @Test(arguments: ["seed004-rnn.json", "gru-pytorch.json", "lstm-h2-x3-t4.json"])
    func printedJacobiansAreDerivatives(_ name: String) throws {
        let out = try CLIRunner.run(["analyze", "fixtures/" + name, "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        let doc = try AnalyzeJSON(out.stdout)
        let spec = try Fixtures.spec(name)
        var checked = 0
        for (key, value) in doc.quantities where key.hasPrefix("jacobian[") {
            let pair = key.dropFirst("jacobian[".count).dropLast().split(separator: ",").map { Int($0)! }
            let (t, k) = (pair[0], pair[1])
            let numeric = spec.visit(StateDifferences(t: t, k: k))
            JacobianDifferences.expectClose(AnalyzeJSON.matrix(value), numeric, "\(name) \(key)")
            checked += 1
        }
        let T = try #require(doc.member("sizes").flatMap { doc.member("T", in: $0) }?.number)
        #expect(checked == Int(T) * Int(T + 1) / 2, "\(name): every pair (t, k) of the default window")
    }
}

/// Every cell's gradient flow with every (t, k) kept, through the cell's own hook.
struct Flow: ProblemVisitor {
    typealias Failure = Never
    func visit<C: Cell>(_ p: Problem<C>) -> GradientFlow? { C.gradientFlow(p, window: nil, lastRow: true) }
}

/// ∂s_t/∂s_k by central differences, for any cell.
struct StateDifferences: ProblemVisitor {
    typealias Failure = Never
    var t: Int, k: Int
    func visit<C: Cell>(_ p: Problem<C>) -> Matrix { JacobianDifferences.state(p, t: t, k: k) }
}
