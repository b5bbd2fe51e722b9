import LSTMGrad
import Testing

/// Seed 004's numbers, the eigen-solver, the Jacobians against finite differences, the SVG.
@Suite struct Seed004Tests {
    static let W = Matrix([[0.58, 0.24], [0.24, 0.72]])

    /// Hand-derived: W = 0.4·q₁q₁ᵀ + 0.9·q₂q₂ᵀ with q₁ = [0.8, −0.6], q₂ = [0.6, 0.8], so
    /// W^30 = 0.4^30·q₁q₁ᵀ + 0.9^30·q₂q₂ᵀ, and 0.9^30 = 0.0423911…: 0.36·, 0.48·, 0.64· of it.
    @Test func eigenvaluesEigenvectorsAndW30() throws {
        let a = try MatrixAnalysis(Self.W, power: 30)
        #expect(a.eigen.symmetric)
        #expect(a.eigen.eigenvalues.count == 2)
        #expect(abs(a.eigen.eigenvalues[0].re - 0.4) < 1e-14 && a.eigen.eigenvalues[0].im == 0)
        #expect(abs(a.eigen.eigenvalues[1].re - 0.9) < 1e-14 && a.eigen.eigenvalues[1].im == 0)
        #expect(abs(a.eigen.spectralRadius - 0.9) < 1e-14)
        let q = try #require(a.eigen.vectors)
        let expectedQ = [[0.8, 0.6], [-0.6, 0.8]]  // columns [0.8, −0.6] (λ = 0.4) and [0.6, 0.8] (λ = 0.9)
        for r in 0..<2 { for c in 0..<2 { #expect(abs(q[r, c].re - expectedQ[r][c]) < 1e-14 && q[r, c].im == 0) } }
        let p9 = pow30(0.9), p4 = pow30(0.4)
        let exact = [0.64 * p4 + 0.36 * p9, -0.48 * p4 + 0.48 * p9, -0.48 * p4 + 0.48 * p9, 0.36 * p4 + 0.64 * p9]
        let printed = [0.015261, 0.020348, 0.020348, 0.027130]
        let byEigen = try #require(a.byEigen).real
        for k in 0..<4 {
            #expect(abs(a.byMultiplication.values[k] - exact[k]) < 1e-15)
            #expect(abs(byEigen.values[k] - exact[k]) < 1e-15)
            #expect(abs(a.byMultiplication.values[k] - printed[k]) <= 0.5e-6, "W^30[\(k)] to 6 decimals")
        }
        // The off-diagonal is positive: W has positive entries, so every power does.
        #expect(a.byMultiplication[0, 1] > 0 && a.byMultiplication[1, 0] > 0)
    }

    /// The seed's Q = [[0.8, −0.6], [0.6, 0.8]] with Λ = diag(0.4, 0.9) and Q⁻¹ = Qᵀ multiplies
    /// out to [[0.58, −0.24], [−0.24, 0.72]], not to the W it states; its printed W^30 (with
    /// −0.020348 off the diagonal) is that other matrix's power.
    @Test func seedEigendecompositionBelongsToTheOtherMatrix() throws {
        let seedQ = Matrix([[0.8, -0.6], [0.6, 0.8]])
        let lambda = Matrix([[0.4, 0], [0, 0.9]])
        let product = seedQ.times(lambda).times(seedQ.transposed)
        let other = [0.58, -0.24, -0.24, 0.72]
        for k in 0..<4 { #expect(abs(product.values[k] - other[k]) < 1e-15) }
        #expect(abs(product[0, 1] - Self.W[0, 1]) > 0.4, "the seed's QΛQᵀ is not W")
        let otherPower = Eigen.power(product, 30)
        let seedPrinted = [0.015261, -0.020348, -0.020348, 0.027130]
        for k in 0..<4 { #expect(abs(otherPower.values[k] - seedPrinted[k]) <= 0.5e-6) }
        let ours = Eigen.power(Self.W, 30)
        #expect(abs(ours[0, 1] + seedPrinted[1]) <= 0.5e-6, "W^30 has +0.020348 where the seed prints −0.020348")
    }

    /// The CLI prints the seed's numbers.
    @Test func analyzeMatrixCommand() throws {
        let out = try CLIRunner.run(["analyze", "--matrix", "[[0.58,0.24],[0.24,0.72]]", "--power", "30"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("λ_1 = 0.400000   |λ_1| = 0.400000   q_1 = [ 0.800000  -0.600000 ]"))
        #expect(out.stdout.contains("λ_2 = 0.900000   |λ_2| = 0.900000   q_2 = [ 0.600000  0.800000 ]"))
        #expect(out.stdout.contains("W^30 by 30 repeated multiplications\n  [ 0.015261  0.020348 ]\n  [ 0.020348  0.027130 ]"))
        #expect(out.stdout.contains("W^30 = Q·Λ^30·Q⁻¹\n  [ 0.015261  0.020348 ]\n  [ 0.020348  0.027130 ]"))
        #expect(out.stdout.contains("ρ(W) = 0.900000 < 1"))
    }

    @Test func analyzeUsageErrors() throws {
        let bad = try CLIRunner.run(["analyze", "--matrix", "[[1,2,3],[4,5,6]]"])
        #expect(bad.status == 2 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("--matrix"))
        let both = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--matrix", "[[1]]"])
        #expect(both.status == 2)
        let gru = try CLIRunner.run(["analyze", "fixtures/gru-pytorch.json"])
        #expect(gru.status == 2 && gru.stderr.contains("\"gru\""))
        let svgMatrix = try CLIRunner.run(["analyze", "--matrix", "[[1]]", "--svg", "/tmp/x.svg"])
        #expect(svgMatrix.status == 2)
        let overflow = try CLIRunner.run(["analyze", "--matrix", "[[3]]", "--power", "1000"])
        #expect(overflow.status == 2 && overflow.stdout.isEmpty && overflow.stderr.contains("overflows"))
        let unwritable = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--svg", "/nonexistent-dir/x.svg"])
        #expect(unwritable.status == 3 && unwritable.stdout.isEmpty && unwritable.stderr.contains("/nonexistent-dir/x.svg"))  // an output failure
    }

    func pow30(_ x: Double) -> Double { (0..<30).reduce(1.0) { acc, _ in acc * x } }
}

@Suite struct EigenSolverTests {
    /// A·q_k = λ_k·q_k for every column, ‖q_k‖ = 1, and QΛQ⁻¹ = A.
    func expectDecomposition(_ a: Matrix, _ e: EigenDecomposition, tolerance: Double = 1e-11) throws {
        let q = try #require(e.vectors)
        let qi = try #require(e.inverseVectors)
        let n = a.rows
        let ca = ComplexMatrix(a)
        for k in 0..<n {
            var norm = 0.0
            for r in 0..<n {
                var s = Complex.zero
                for c in 0..<n { s += ca[r, c] * q[c, k] }
                #expect((s - e.eigenvalues[k] * q[r, k]).magnitude < tolerance, "A·q_\(k) ≠ λ·q_\(k)")
                norm += q[r, k].magnitude * q[r, k].magnitude
            }
            #expect(abs(norm - 1) < 1e-12)
        }
        let back = q.times(e.lambda).times(qi)
        for k in 0..<(n * n) { #expect((back.values[k] - Complex(a.values[k])).magnitude < tolerance) }
        // W^7 two ways.
        let p = try #require(e.power(7))
        let m = Eigen.power(a, 7)
        let scale = max(1, m.values.map(abs).max() ?? 0)
        for k in 0..<(n * n) { #expect((p.values[k] - Complex(m.values[k])).magnitude < tolerance * scale * 10) }
    }

    @Test func symmetric() throws {
        let a = Matrix([[4, 1, -2, 0.5], [1, 3, 0, 1], [-2, 0, 5, -1], [0.5, 1, -1, 2]])
        let e = try Eigen.decompose(a)
        #expect(e.symmetric && !e.hasComplexEigenvalues && !e.isDefective)
        try expectDecomposition(a, e)
        // Trace and ascending order.
        #expect(abs(e.eigenvalues.reduce(0) { $0 + $1.re } - 14) < 1e-12)
        #expect(zip(e.eigenvalues, e.eigenvalues.dropFirst()).allSatisfy { $0.re <= $1.re })
    }

    @Test func nonSymmetricReal() throws {
        // Characteristic polynomial λ² − 7λ + 10: eigenvalues 2 and 5.
        let a = Matrix([[4, 1], [2, 3]])
        let e = try Eigen.decompose(a)
        #expect(!e.symmetric && !e.hasComplexEigenvalues)
        #expect(abs(e.eigenvalues[0].re - 2) < 1e-13 && abs(e.eigenvalues[1].re - 5) < 1e-13)
        try expectDecomposition(a, e)
        // Upper triangular 4×4: eigenvalues on the diagonal.
        let t = Matrix([[1, 2, 3, 4], [0, -2, 1, 0.5], [0, 0, 0.5, 7], [0, 0, 0, 3]])
        let et = try Eigen.decompose(t)
        let got = et.eigenvalues.map(\.re)
        for (g, x) in zip(got, [-2, 0.5, 1, 3]) { #expect(abs(g - x) < 1e-12) }
        try expectDecomposition(t, et)
    }

    @Test func complexPairs() throws {
        // 0.5 ± 0.6i: a rotation-scaling.
        let a = Matrix([[0.5, -0.6], [0.6, 0.5]])
        let e = try Eigen.decompose(a)
        #expect(e.hasComplexEigenvalues)
        #expect(abs(e.eigenvalues[0].re - 0.5) < 1e-14 && abs(e.eigenvalues[0].im - 0.6) < 1e-14)
        #expect(e.eigenvalues[1] == e.eigenvalues[0].conjugate)
        #expect(abs(e.spectralRadius - (0.61).squareRoot()) < 1e-14)
        try expectDecomposition(a, e)
        // The cyclic permutation: the three cube roots of unity.
        let p = Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        let ep = try Eigen.decompose(p)
        #expect(ep.eigenvalues.count == 3)
        #expect(abs(ep.eigenvalues[0].re + 0.5) < 1e-13 && abs(ep.eigenvalues[0].im - 0.75.squareRoot()) < 1e-13)
        #expect(ep.eigenvalues[1] == ep.eigenvalues[0].conjugate)
        #expect(abs(ep.eigenvalues[2].re - 1) < 1e-13 && ep.eigenvalues[2].im == 0)
        try expectDecomposition(p, ep)
        // A 4×4 with two complex pairs, ±2i and 1 ± i (block diagonal, then mixed by a similarity).
        let block = Matrix([[0, -2, 0, 0], [2, 0, 0, 0], [0, 0, 1, -1], [0, 0, 1, 1]])
        let s = Matrix([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1.5]])
        let si = try #require(ComplexMatrix(s).inverse).real
        let m = s.times(block).times(si)
        let em = try Eigen.decompose(m)
        #expect(em.eigenvalues.filter { !$0.isReal }.count == 4)
        let sorted = em.eigenvalues.map { ($0.re, $0.im) }
        let expected = [(0.0, 2.0), (0.0, -2.0), (1.0, 1.0), (1.0, -1.0)]
        for (g, x) in zip(sorted, expected) { #expect(abs(g.0 - x.0) < 1e-10 && abs(g.1 - x.1) < 1e-10) }
        try expectDecomposition(m, em, tolerance: 1e-9)
    }

    /// A dense 6×6 with two complex pairs and two real eigenvalues: the residuals, and the trace.
    @Test func dense6x6() throws {
        let a = Matrix([[0.1, 2, -1, 0.5, 3, 0], [1, 0, 0.2, -0.7, 1, 2], [0.3, 0.3, -2, 1, 0, 1],
                        [4, -1, 0.5, 0.2, 0.1, -3], [0, 1, 1, 1, -1, 0.4], [2, 0.1, -0.5, 1, 0.3, 0.7]])
        let e = try Eigen.decompose(a)
        #expect(e.eigenvalues.filter { !$0.isReal }.count == 4)
        let trace = e.eigenvalues.reduce(Complex.zero) { $0 + $1 }
        #expect(abs(trace.re - (-2.0)) < 1e-12 && abs(trace.im) < 1e-12)
        try expectDecomposition(a, e, tolerance: 1e-10)
    }

    @Test func repeatedButDiagonalizable() throws {
        let a = Matrix([[2, 0, 0], [0, 2, 0], [0, 0, 3]])
        let e = try Eigen.decompose(a)
        #expect(!e.isDefective)
        try expectDecomposition(a, e)
        // Non-symmetric with a repeated eigenvalue 2 and two independent eigenvectors.
        let b = Matrix([[2, 0, 1], [0, 2, 1], [0, 0, 3]])
        let eb = try Eigen.decompose(b)
        #expect(!eb.isDefective)
        #expect(eb.eigenvalues.map(\.re) == [2, 2, 3])
        try expectDecomposition(b, eb)
    }

    @Test func defective() throws {
        let j = Matrix([[1, 1], [0, 1]])
        let e = try Eigen.decompose(j)
        #expect(e.isDefective && e.vectors == nil && e.power(3) == nil)
        #expect(e.defects == [.init(eigenvalue: Complex(1), algebraic: 2, geometric: 1)])
        let j3 = Matrix([[0.5, 1, 0], [0, 0.5, 1], [0, 0, 0.5]])
        let e3 = try Eigen.decompose(j3)
        #expect(e3.defects.first?.algebraic == 3 && e3.defects.first?.geometric == 1)
        // Wⁿ still by multiplication: [[1, n], [0, 1]].
        let a = try MatrixAnalysis(j, power: 5)
        #expect(a.byMultiplication == Matrix([[1, 5], [0, 1]]))
        #expect(a.byEigen == nil)
        let out = try CLIRunner.run(["analyze", "--matrix", "[[1,1],[0,1]]", "--power", "5"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("W is defective: eigenvalue 1.000000 has algebraic multiplicity 2 but only 1 independent eigenvector"))
        #expect(out.stdout.contains("W^5 by 5 repeated multiplications\n  [ 1.000000  5.000000 ]\n  [ 0.000000  1.000000 ]"))
    }

    @Test func notSquare() {
        #expect(throws: Eigen.Failure.notSquare(rows: 2, cols: 3)) { try Eigen.decompose(Matrix([[1, 2, 3], [4, 5, 6]])) }
    }

    @Test func spectralNorm() {
        // [[3, 0], [4, 5]]: singular values √45 and √5.
        #expect(abs(Eigen.spectralNorm(Matrix([[3, 0], [4, 5]])) - 45.0.squareRoot()) < 1e-13)
    }
}

@Suite struct JacobianTests {
    /// ∂h_t/∂h_k by central differences: rerun the cell from step k + 1 with h_k perturbed.
    static func numeric<C: Cell>(_ p: Problem<C>, t: Int, k: Int, state: Bool, wrt stateInput: Bool) -> Matrix {
        let steps = p.cell.forward(p.inputs, initial: p.initial)
        let start: CellState = k < 0 ? p.initial : {
            let s = steps[k] as Any
            if let l = s as? LSTMStep { return CellState(out: l.out, state: l.state) }
            return CellState(out: p.cell.output(of: steps[k]))
        }()
        let H = p.cell.hiddenSize
        let rest = Array(p.inputs[(k + 1)...t])
        var m = Matrix(zeros: H, H)
        let h = 1e-6
        for j in 0..<H {
            func run(_ d: Double) -> Vector {
                var s = start
                if stateInput { s.state![j] += d } else { s.out[j] += d }
                let last = p.cell.forward(rest, initial: s).last!
                if state, let l = last as? LSTMStep { return l.state }
                return p.cell.output(of: last)
            }
            let col = (1 / (2 * h)) * (run(h) - run(-h))
            for r in 0..<H { m[r, j] = col[r] }
        }
        return m
    }

    static func expectClose(_ a: Matrix, _ b: Matrix, _ what: String) {
        for k in 0..<a.values.count {
            #expect(abs(a.values[k] - b.values[k]) <= 1e-7 * max(1, abs(b.values[k])), "\(what)[\(k)]: \(a.values[k]) vs \(b.values[k])")
        }
    }

    @Test(arguments: ["sigmoid", "tanh", "relu"])
    func rnnJacobians(activation: String) throws {
        let spec = try Fixtures.spec(json: RNNGRUGradientTests.rnnSpec(activation: activation, bias: true, head: nil, loss: "\"l2\"",
                                                                   labels: RNNGRUGradientTests.heads[0].3))
        guard case .rnn(let p) = spec.model else { Issue.record("not an RNN"); return }
        let flow = GradientFlow.rnn(p)
        for t in 0..<p.steps {
            for k in -1..<t {
                Self.expectClose(flow.h(t, k), Self.numeric(p, t: t, k: k, state: false, wrt: false), "\(activation) ∂h_\(t)/∂h_\(k)")
            }
        }
        // The (t, k) terms add up to BPTT's δW.
        let dW = try #require(flow.dW)
        var sum = Matrix(zeros: dW.rows, dW.cols)
        for k in 0..<p.steps { sum = sum + flow.contribution(k: k)! }
        Self.expectClose(sum, dW, "Σ terms vs δW")
    }

    @Test func lstmJacobians() throws {
        for name in ["lstm-carousel.json", "gomez.json"] {
            let spec = try Fixtures.spec(name)
            guard case .lstm(let p) = spec.model else { Issue.record("not an LSTM"); return }
            let flow = GradientFlow.lstm(p)
            for t in 0..<p.steps {
                for k in -1..<t {
                    Self.expectClose(flow.h(t, k), Self.numeric(p, t: t, k: k, state: false, wrt: false), "\(name) ∂h_\(t)/∂h_\(k)")
                    Self.expectClose(flow.cJacobians![t][k + 1], Self.numeric(p, t: t, k: k, state: true, wrt: true), "\(name) ∂C_\(t)/∂C_\(k)")
                }
            }
        }
    }

    /// Seed 004, 3(c): f = 1 and i = 0 give ∂C_t/∂C_k = 1 exactly on the cell path.
    @Test func constantErrorCarousel() throws {
        let spec = try Fixtures.spec("lstm-carousel.json")
        guard case .lstm(let p) = spec.model else { Issue.record("not an LSTM"); return }
        let flow = GradientFlow.lstm(p)
        for row in flow.cellPath! { for v in row { #expect(v.values.allSatisfy { $0 == 1 }) } }
        for t in 0..<p.steps { #expect(abs(flow.cNorm(t, -1)! - 1) < 1e-15) }
        let out = try CLIRunner.run(["analyze", "fixtures/lstm-carousel.json"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("every f_j = 1 exactly: ∂C_t/∂C_k = 1 for all t, k"))
        #expect(out.stdout.contains("verdict: neither"))
    }

    @Test func verdicts() throws {
        for (name, word) in [("rnn-vanishing.json", "verdict: vanishing"), ("seed004-rnn.json", "verdict: vanishing"),
                             ("rnn-exploding.json", "verdict: exploding")] {
            let out = try CLIRunner.run(["analyze", "fixtures/" + name])
            #expect(out.status == 0, "\(out.stderr)")
            #expect(out.stdout.contains(word), "\(name)")
        }
    }
}

@Suite struct GradientPlotTests {
    /// A small well-formedness checker: every tag closes in order, attributes are quoted and
    /// unique, entities are the five XML ones, one root element.
    static func wellFormed(_ text: String) -> String? {
        let s = Array(text.unicodeScalars)
        var i = 0
        var stack: [String] = []
        var roots = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" || c == "_" || c == ":" || c == "." }
        while i < s.count {
            if s[i] == "<" {
                if i + 1 < s.count && s[i + 1] == "?" {
                    while i + 1 < s.count && !(s[i] == "?" && s[i + 1] == ">") { i += 1 }
                    i += 2
                    continue
                }
                var j = i + 1
                let closing = s[j] == "/"
                if closing { j += 1 }
                var name = ""
                while j < s.count && isNameChar(s[j]) { name.unicodeScalars.append(s[j]); j += 1 }
                if name.isEmpty { return "empty tag name at \(i)" }
                var attrs = Set<String>()
                var selfClosing = false
                while true {
                    while j < s.count && s[j] == " " || j < s.count && s[j] == "\n" { j += 1 }
                    guard j < s.count else { return "unterminated tag \(name)" }
                    if s[j] == ">" { j += 1; break }
                    if s[j] == "/" && j + 1 < s.count && s[j + 1] == ">" { selfClosing = true; j += 2; break }
                    if closing { return "attributes in closing tag \(name)" }
                    var attr = ""
                    while j < s.count && isNameChar(s[j]) { attr.unicodeScalars.append(s[j]); j += 1 }
                    if attr.isEmpty || j >= s.count || s[j] != "=" { return "bad attribute in \(name)" }
                    if !attrs.insert(attr).inserted { return "duplicate attribute \(attr) in \(name)" }
                    j += 1
                    guard j < s.count, s[j] == "\"" else { return "unquoted attribute \(attr)" }
                    j += 1
                    while j < s.count && s[j] != "\"" {
                        if s[j] == "<" { return "< in attribute \(attr)" }
                        j += 1
                    }
                    j += 1
                }
                if closing {
                    guard stack.last == name else { return "</\(name)> closes \(stack.last ?? "nothing")" }
                    stack.removeLast()
                } else if !selfClosing {
                    if stack.isEmpty { roots += 1 }
                    stack.append(name)
                } else if stack.isEmpty {
                    roots += 1
                }
                i = j
            } else {
                if s[i] == "&" {
                    let rest = String(String.UnicodeScalarView(s[i..<min(i + 6, s.count)]))
                    if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(where: { rest.hasPrefix($0) }) { return "bad entity at \(i)" }
                }
                if s[i] == ">" && stack.isEmpty { return "stray > at \(i)" }
                if !stack.isEmpty || s[i] == "\n" || s[i] == " " { i += 1; continue }
                return "text outside the root at \(i)"
            }
        }
        if !stack.isEmpty { return "unclosed \(stack.last!)" }
        return roots == 1 ? nil : "\(roots) root elements"
    }

    @Test func checkerCatchesMistakes() {
        #expect(Self.wellFormed("<svg><g></g></svg>") == nil)
        #expect(Self.wellFormed("<svg><g></svg>") != nil)
        #expect(Self.wellFormed("<svg a=1/>") != nil)
        #expect(Self.wellFormed("<svg>a & b</svg>") != nil)
        #expect(Self.wellFormed("<svg/><svg/>") != nil)
    }

    /// The SVG written by `analyze --svg` is well-formed, and its points are the printed norms.
    @Test(arguments: ["rnn-vanishing", "lstm-carousel", "seed004-rnn"])
    func svgMatchesPrintedNorms(_ name: String) throws {
        let path = "/tmp/lstm-grad-test-\(name)-\(getpid()).svg"
        let out = try CLIRunner.run(["analyze", "fixtures/\(name).json", "--svg", path])
        #expect(out.status == 0, "\(out.stderr)")
        let svg = String(decoding: try InputFile.read(path), as: UTF8.self)
        unlink(path)
        #expect(Self.wellFormed(svg) == nil, "\(Self.wellFormed(svg) ?? "")")
        #expect(svg.contains("<title>") && svg.contains("norm (log scale)") && svg.contains("k (timestep"))
        // Points: data-series, data-k, data-norm.
        var points: [String: [Int: Double]] = [:]
        for piece in svg.split(separator: "<circle").dropFirst() {
            guard let series = attribute("data-series", in: piece), let k = attribute("data-k", in: piece).flatMap({ Int($0) }),
                  let v = attribute("data-norm", in: piece).flatMap({ Double($0) }) else { continue }
            points[series, default: [:]][k] = v
        }
        // The printed table's last row (t = T − 1) for ‖∂h_t/∂h_k‖ and, for an LSTM, ‖∂C_t/∂C_k‖.
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        func lastRow(after heading: String) -> [Double] {
            guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
            var j = start + 2
            while j + 1 < lines.count && !lines[j + 1].isEmpty { j += 1 }
            return lines[j].split(separator: " ").dropFirst().compactMap { Double($0) }
        }
        let h = lastRow(after: "‖∂h_t/∂h_k‖₂")
        #expect(h.count == (points["h"]?.count ?? -1))
        for (i, printed) in h.enumerated() {
            let v = try #require(points["h"]?[i - 1])
            #expect(relativeError(v, printed) < 5e-4, "h point k = \(i - 1): svg \(v), printed \(printed)")
        }
        if name == "lstm-carousel" {
            let c = lastRow(after: "full ‖∂C_t/∂C_k‖₂")
            #expect(c.count == points["C"]?.count)
            for (i, printed) in c.enumerated() { #expect(relativeError(points["C"]![i - 1]!, printed) < 5e-4) }
        } else {
            #expect(points["C"] == nil)
        }
    }

    func attribute(_ name: String, in s: Substring) -> String? {
        guard let r = s.firstRange(of: name + "=\"") else { return nil }
        let rest = s[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}

#if canImport(Glibc)
import Glibc
#endif
