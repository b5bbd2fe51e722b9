/// Formats analyses as text for a student: each matrix at `decimals`, norms in scientific
/// notation, ‖W‖₂, σ_max, ρ and eigenvalues in full (shortest round-trip form). Computes
/// nothing beyond layout.
///
/// `width` (the terminal's, or COLUMNS; nil when not a terminal) is where wide output wraps, as
/// `run`'s matrices do: a (t, k) table or a matrix wider than the line is printed as blocks of
/// columns ("columns j–k of n"), and a long vector or eigenvalue line continues on the next
/// lines. Output that fits is the same with or without a width.
public struct AnalysisText: Sendable {
    public var decimals: Int
    public var width: Int?
    /// Matrices with more rows than this are given by their norms only (JSON has them all).
    public static let maxPrintedRows = 8

    public init(decimals: Int = 6, width: Int? = nil) {
        self.decimals = decimals
        self.width = width
    }

    // MARK: matrix (`--matrix`, and the eigen section of an RNN)

    /// `forRNN`: the activation of the RNN whose recurrent matrix this is (the note then points to
    /// its verdict); nil for `--matrix`, which lists the conditions for tanh and the sigmoid.
    public func render(_ a: MatrixAnalysis, forRNN activation: Activation? = nil) -> String {
        var s = ""
        let e = a.eigen
        let n = a.matrix.rows
        let method = e.symmetric ? "symmetric: Jacobi rotations, \(e.iterations) sweep\(e.iterations == 1 ? "" : "s")"
            : "not symmetric: balancing, Hessenberg reduction, Francis double-shift QR (\(e.iterations) sweep\(e.iterations == 1 ? "" : "s"))"
        s += "W (\(n)×\(n), \(method))\n"
        s += matrixLines(a.matrix, indent: "  ", full: true)
        s += "  ‖W‖₂ = σ_max(W) = \(full(e.norm))   (largest singular value)\n"
        s += "  ρ(W) = max |λ|  = \(full(e.spectralRadius))   (spectral radius)\n"
        s += "\n" + eigenvalueLines(e, name: "W", symbol: "λ")
        s += "\n" + vectorLines(e, name: "W")
        s += "\n" + growthLine(a)
        if let act = activation {
            s += "  This is about Wⁿ alone: backpropagation multiplies diag(\(act.rawValue)′(z_t))·W, not W, so ρ(W) does not\n"
            s += "  decide whether the gradients vanish or explode; the verdict above uses γ·σ_max(W).\n"
        } else {
            s += rnnConditionLines(e.norm)
        }
        let p = a.power
        s += "\nW^\(p) by \(p) repeated multiplication\(p == 1 ? "" : "s")\n"
        s += matrixLines(a.byMultiplication, indent: "  ")
        if let pe = a.powerEigen {
            s += "  ‖W^\(p)‖₂ = \(full(pe.norm))   ρ(W^\(p)) = \(full(pe.spectralRadius))\n"
        }
        if let b = a.byEigen {
            s += "W^\(p) = Q·Λ^\(p)·Q⁻¹\n"
            s += b.imaginary.values.allSatisfy({ $0 == 0 }) ? matrixLines(b.real, indent: "  ") : complexMatrixLines(b, indent: "  ")
            if let diff = a.powerDifference { s += "  max |Q·Λ^\(p)·Q⁻¹ − W^\(p)| = \(sci(diff, digits: 3))\n" }
        }
        if let pe = a.powerEigen {
            s += "\n" + eigenvalueLines(pe, name: "W^\(p)", symbol: "μ", beside: a.sortedEigenvaluePowers, power: p)
            s += "  (μ_i, from the matrix W^\(p), are accurate to about ε·‖W^\(p)‖₂ = \(sci(Eigen.eps * pe.norm, digits: 3)) in absolute terms;\n"
            s += "  λ_i^\(p) keeps the relative accuracy of λ_i)\n"
        }
        return s
    }

    /// Eigenvalues in full, with |λ|, then the groups of repeated ones and the tolerance.
    func eigenvalueLines(_ e: EigenDecomposition, name: String, symbol: String, beside: [Complex]? = nil, power: Int = 1) -> String {
        var s = beside == nil ? "eigenvalues of \(name) (real part ascending)\n"
            : "eigenvalues of \(name), computed from \(name) itself (beside them, sorted the same way, λ_i^\(power) from the eigenvalues of W)\n"
        let n = e.eigenvalues.count
        let labels = (0..<n).map { "\(symbol)_\($0 + 1)" }
        let values = e.eigenvalues.map(complexFull)
        let width = values.map { $0.unicodeScalars.count }.max() ?? 0
        for k in 0..<n {
            var parts = ["  \(labels[k]) = " + values[k].padded(width), "|\(labels[k])| = \(full(e.eigenvalues[k].magnitude))"]
            if let b = beside { parts.append("λ_\(k + 1)^\(power) = \(complexFull(b[k]))") }
            s += pieces(parts, continuation: "  \(labels[k]) = ".unicodeScalars.count) + "\n"
        }
        if e.hasComplexEigenvalues {
            s += "  complex eigenvalues of a real matrix come in conjugate pairs λ, λ̄ (exact conjugates); \(name) rotates as well as scales\n"
        }
        s += groupLines(e, name: name, labels: labels)
        return s
    }

    /// Which eigenvalues count as repeated, by which rule, and their eigenvectors' count.
    func groupLines(_ e: EigenDecomposition, name: String, labels: [String]) -> String {
        var s = ""
        let groups = e.groups
        let eq = "τ_eq = 1e−12·‖\(name)‖₂ = \(sci(e.equalTolerance, digits: 3))"
        if groups.isEmpty {
            if e.eigenvalues.count == 1 { return s }
            s += "  all \(e.eigenvalues.count) eigenvalues are simple: no two agree within \(eq)"
            if !e.symmetric { s += ", and no close group is the split of a Jordan block (τ₂ = 10·√ε·‖\(name)‖₂ = \(sci(e.pairTolerance, digits: 3)))" }
            return s + "; \(name) is diagonalizable\n"
        }
        s += "  repeated eigenvalues: m computed eigenvalues count as one, λ̄ (their mean), when they agree within \(eq)"
        if e.symmetric {
            s += "\n  (a symmetric matrix is always diagonalizable: λ̄ keeps m orthonormal eigenvectors)\n"
        } else {
            s += ",\n  or when (m ≤ \(Eigen.largestJordanBlock)) they lie within τ_m = 10·ε^(1/m)·‖\(name)‖₂ of λ̄, the split rounding causes in an m×m Jordan block,\n"
            s += "  and \(name) − λ̄I has fewer than m singular values below δ_m = √(τ_m·‖\(name)‖₂); the eigenvectors of λ̄ span the\n"
            s += "  null space of \(name) − λ̄I, the singular values below δ_m\n"
        }
        for g in groups {
            let who = g.members.sorted().map { labels[$0] }.joined(separator: ", ")
            s += "  \(who): λ̄ = \(complexFull(g.center)), within \(sci(g.spread, digits: 3)) of each; multiplicity \(g.algebraic), "
            if !g.singularValues.isEmpty {
                let small = g.singularValues.filter { $0 <= g.rankTolerance }.count
                s += "singular values of \(name) − λ̄I: " + g.singularValues.map { sci($0, digits: 3) }.joined(separator: ", ")
                s += "; \(small) below δ_\(min(g.algebraic, Eigen.largestJordanBlock)) = \(sci(g.rankTolerance, digits: 3)), so "
            }
            s += "\(g.geometric) independent eigenvector\(g.geometric == 1 ? "" : "s")"
            s += g.isDefective ? ": defective\n" : "\n"
        }
        return s
    }

    /// Q, Λ, Q⁻¹ when they exist; otherwise the defect and the eigenvectors that do exist.
    func vectorLines(_ e: EigenDecomposition, name: String) -> String {
        var s = ""
        if e.isDefective {
            for d in e.defects {
                s += "\(name) is defective: eigenvalue \(complexFull(d.center)) has algebraic multiplicity \(d.algebraic) "
                s += "but \(d.geometric) independent eigenvector\(d.geometric == 1 ? "" : "s"),\n"
            }
            s += "so \(name) has no eigendecomposition Q·Λ·Q⁻¹; \(name)ⁿ is computed by repeated multiplication only.\n"
            s += "eigenvectors (unit length), where they exist\n"
            for space in e.eigenspaces {
                let head = "  λ = \(complexFull(space.center))"
                for (j, v) in space.vectors.enumerated() {
                    let prefix = (j == 0 ? head : String(repeating: " ", count: head.unicodeScalars.count)) + "   "
                    s += vector(v.map(complexText), after: prefix, align: false) + "\n"
                }
            }
            return s
        }
        guard let q = e.vectors else { return s }
        guard let qi = e.inverseVectors else {
            return s + "the eigenvectors are numerically dependent: Q is not invertible\n"
        }
        s += "\(name) = Q·Λ·Q⁻¹ (column k of Q: a unit eigenvector of λ_k\(e.symmetric ? "; Q is orthogonal, Q⁻¹ = Qᵀ" : ""))\n"
        s += "  Q =\n" + complexMatrixLines(q, indent: "    ")
        s += "  Λ =\n" + complexMatrixLines(e.lambda, indent: "    ")
        s += "  Q⁻¹ =\n" + complexMatrixLines(qi, indent: "    ")
        if let r = e.reconstructionError, let residual = e.maxResidual {
            s += "  max |Q·Λ·Q⁻¹ − \(name)| = \(sci(r, digits: 3)),  max_k ‖\(name)·q_k − λ_k·q_k‖₂ = \(sci(residual, digits: 3))\n"
        }
        return s
    }

    func growthLine(_ a: MatrixAnalysis) -> String {
        let rho = full(a.eigen.spectralRadius)
        switch a.growth {
        case .vanishes:
            return "powers: ρ(W) = \(rho) < 1: every |λ| < 1, so Wⁿ → 0 like ρ(W)ⁿ\n"
        case .grows:
            return "powers: ρ(W) = \(rho) > 1: ‖Wⁿ‖ grows like ρ(W)ⁿ along the eigenvector of the largest |λ|\n"
        case .bounded:
            return "powers: ρ(W) = 1 and every |λ| = 1 has a full set of eigenvectors: those components of Wⁿ neither vanish nor grow "
                + "(if every λ = 1, W = I and Wⁿ = I)\n"
        case .polynomial:
            return "powers: ρ(W) = 1 with a defective |λ| = 1: Wⁿ grows polynomially, like n^(m−1) for an m×m Jordan block\n"
        }
    }

    /// For `--matrix`: what W would mean as an RNN's recurrent matrix, with tanh and with the sigmoid.
    func rnnConditionLines(_ sigma: Double) -> String {
        var s = "  For an RNN h_t = act(W·h_{t−1} + U·x_t) the gradient multiplies diag(act′(z_t))·W, not W, so ρ(W) alone decides\n"
        s += "  nothing about it. Pascanu, Mikolov & Bengio (2013), with γ = sup act′: γ·σ_max(W) < 1 is sufficient for vanishing,\n"
        s += "  σ_max(W) > 1/γ is necessary for exploding.\n"
        for (act, label) in [(Activation.tanh, "tanh (γ = 1)   "), (.sigmoid, "sigmoid (γ = ¼)")] {
            let c = PascanuConditions(activation: act, sigmaMax: sigma)
            s += "    \(label)  γ·σ_max(W) = \(fixed(c.bound)) "
            if c.sufficientForVanishing {
                s += "< 1: the gradients vanish for every input sequence\n"
            } else if c.necessaryForExploding {
                s += "> 1: vanishing is not guaranteed, and exploding is possible (σ_max(W) > 1/γ), not certain\n"
            } else {
                s += "= 1: vanishing is not guaranteed, and exploding is impossible (σ_max(W) ≤ 1/γ)\n"
            }
        }
        return s
    }

    // MARK: gradient flow

    public func render(_ f: GradientFlow, header: [String], matrix: MatrixAnalysis?) -> String {
        var s = header.map { $0 + "\n" }.joined() + "\n"
        let T = f.steps
        let w = f.window
        let printMatrices = f.stateSize <= AnalysisText.maxPrintedRows
        if !w.isComplete {
            s += "window: the last \(w.count) of T = \(T) timesteps, pairs (t, k) with \(w.first) ≤ k < t ≤ \(w.last) "
            s += "(--window N widens it, --window all shows every pair)\n\n"
        }
        switch f.kind {
        case .rnn: s += rnnSections(f, printMatrices: printMatrices)
        case .gru: s += gruSections(f, printMatrices: printMatrices)
        case .lstm: s += lstmSections(f, printMatrices: printMatrices)
        }
        s += "\n" + verdictLines(f)
        if let m = matrix, let act = f.activation {
            s += "\nEigenvalues of the recurrent W and of W^\(m.power) (exercise 2(c))\n\n" + render(m, forRNN: act)
        }
        return s
    }

    func jacobianName(_ f: GradientFlow, _ t: Int, _ k: Int) -> String {
        f.kind == .lstm ? "∂(out_\(t), state_\(t))/∂(out_\(k), state_\(k))" : "∂h_\(t)/∂h_\(k)"
    }

    func rnnSections(_ f: GradientFlow, printMatrices: Bool) -> String {
        var s = ""
        let act = f.activation!.rawValue
        let c = f.conditions!
        s += "The recurrent weights\n"
        if let w = f.recurrent { s += labeled("W", w, full: true) }
        s += "  ‖W‖₂ = σ_max(W) = \(full(c.sigmaMax))   (largest singular value)\n"
        if let rho = f.spectralRadius { s += "  ρ(W) = max |λ|  = \(full(rho))   (spectral radius)\n" }
        s += "  γ = sup \(act)′ = \(full(c.gamma))   (\(gammaReason(f.activation!)))\n\n"

        s += "One step back: ∂h_t/∂h_{t−1} = diag(\(act)′(z_t))·W\n"
        let indent = String(repeating: " ", count: "  t = \(f.window.last):  ".count)
        for t in f.window.timesteps {
            s += vector(f.derivatives![t].values.map { fixed($0) }, after: "  t = \(t):".padded(indent.count) + "\(act)′(z_\(t)) = ", align: false) + "\n"
            if printMatrices {
                s += labeled("∂h_\(t)/∂h_\(t - 1)", f.stepJacobians[t], indent: indent, norm: f.productNorm(t, t - 1))
            } else {
                s += indent + "‖∂h_\(t)/∂h_\(t - 1)‖₂ = \(sci(f.productNorm(t, t - 1)))\n"
            }
        }
        s += productSections(f, printMatrices: printMatrices, formula: "Π_{j=k+1..t} diag(\(act)′(z_j))·W")
        s += termSections(f, printMatrices: printMatrices)
        return s
    }

    func gruSections(_ f: GradientFlow, printMatrices: Bool) -> String {
        var s = ""
        let pytorch = f.gruConvention == .pytorch
        let keep = pytorch ? "z_t" : "1 − z_t", other = pytorch ? "(1 − z_t)" : "z_t"
        s += "One step back: ∂h_t/∂h_{t−1} of the GRU (\(f.gruConvention!.formula)) is the sum of four paths\n"
        s += columns(["", "", ""], [
            ["carry", "diag(\(keep))", "h_{t−1} kept by the update"],
            ["update", "diag(\(pytorch ? "(h_{t−1} − n_t)" : "(n_t − h_{t−1})") ⊙ z_t ⊙ (1 − z_t))·U_z", "through the update gate z_t"],
            ["candidate", "diag(\(other) ⊙ (1 − n_t²) ⊙ r_t)·U_n", "through the candidate's U_n·h_{t−1}"],
            ["reset", "diag(\(other) ⊙ (1 − n_t²) ⊙ hn_t ⊙ r_t ⊙ (1 − r_t))·U_r", "through the reset gate r_t (hn_t = U_n·h_{t−1} + bh_n)"],
        ], indent: "  ", leftAligned: true, header: false)
        let paths = f.gruPaths!
        for t in f.window.timesteps {
            s += "  t = \(t)\n"
            if printMatrices {
                let p = paths[t]
                s += labeled("carry", p.carry, indent: "    ", nameWidth: 14)
                s += labeled("update", p.update, indent: "    ", nameWidth: 14)
                s += labeled("candidate", p.candidate, indent: "    ", nameWidth: 14)
                s += labeled("reset", p.reset, indent: "    ", nameWidth: 14)
                s += labeled("∂h_\(t)/∂h_\(t - 1)", f.stepJacobians[t], indent: "    ", nameWidth: 14, norm: f.productNorm(t, t - 1))
            } else {
                s += "    ‖∂h_\(t)/∂h_\(t - 1)‖₂ = \(sci(f.productNorm(t, t - 1)))\n"
            }
        }
        s += productSections(f, printMatrices: printMatrices, formula: "∂h_t/∂h_{t−1} ⋯ ∂h_{k+1}/∂h_k")
        return s
    }

    func lstmSections(_ f: GradientFlow, printMatrices: Bool) -> String {
        var s = ""
        let H = f.hidden
        s += "The state of an LSTM is the pair (out, state); one step back is the \(2 * H)×\(2 * H) Jacobian\n"
        let blockName = "  ∂(out_t, state_t)/∂(out_{t−1}, state_{t−1}) = "
        let blockRows = ["[ ∂out_t/∂out_{t−1}    ∂out_t/∂state_{t−1}   ]", "[ ∂state_t/∂out_{t−1}  ∂state_t/∂state_{t−1} ]"]
        if let width, (blockName + blockRows[0]).unicodeScalars.count > width {
            // Too wide: the name on its own line, the blocks under it, as `labeled` wraps.
            s += blockName.dropLast() + "\n" + blockRows.map { "      " + $0 + "\n" }.joined()
        } else {
            let pad = String(repeating: " ", count: blockName.unicodeScalars.count)
            s += blockName + blockRows[0] + "\n" + pad + blockRows[1] + "\n"
        }
        if f.forget != nil {
            s += "  state_t = a_t ⊙ i_t + f_t ⊙ state_{t−1}:  ∂state_t/∂state_{t−1} = diag(f_t) (the cell path),\n"
            s += "    ∂state_t/∂out_{t−1} = diag(i_t ⊙ (1 − a_t²))·U_a + diag(a_t ⊙ i_t(1 − i_t))·U_i + diag(state_{t−1} ⊙ f_t(1 − f_t))·U_f\n"
            s += "  out_t = tanh(state_t) ⊙ o_t:  ∂out_t/∂· = diag(o_t ⊙ (1 − tanh² state_t))·∂state_t/∂· (+ diag(tanh(state_t) ⊙ o_t(1 − o_t))·U_o for out_{t−1})\n"
        } else {
            s += "  each J_t is the derivative of the cell's own forward equations (the gates read the state too, so ∂state_t/∂state_{t−1} is not diag(f_t))\n"
        }
        s += "  (rows: out_t then state_t; columns: out_{t−1} then state_{t−1}; the bars separate the blocks)\n\n"
        s += "One step back\n"
        let indent = String(repeating: " ", count: "  t = \(f.window.last):  ".count)
        for t in f.window.timesteps {
            if let forget = f.forget {
                s += vector(forget[t].values.map { fixed($0) }, after: "  t = \(t):".padded(indent.count) + "f_\(t) = ", align: false) + "\n"
            } else {
                s += "  t = \(t):\n"
            }
            if printMatrices {
                s += labeled(jacobianName(f, t, t - 1), f.stepJacobians[t], indent: indent, norm: f.productNorm(t, t - 1), split: H)
            } else {
                s += indent + "‖\(jacobianName(f, t, t - 1))‖₂ = \(sci(f.productNorm(t, t - 1)))\n"
            }
        }
        s += productSections(f, printMatrices: printMatrices, formula: "J_t·J_{t−1} ⋯ J_{k+1} with J_j = ∂(out_j, state_j)/∂(out_{j−1}, state_{j−1})")
        // The blocks' norms and the cell path, as tables.
        let w = f.window
        s += "\n‖∂out_t/∂out_k‖₂ (the out block), row t, column k\n"
        s += table(w) { t, k in k == t ? 1 : f.outNorms![t - w.first - 1][k - w.first] }
        if f.forget != nil {
            s += "\ncell path ∂state_t/∂state_k along f alone = Π_{j=k+1..t} f_j (elementwise; largest entry), row t, column k\n"
            s += table(w) { t, k in f.cellPathMax(t, k)! }
        }
        s += "\n‖∂state_t/∂state_k‖₂ (the state block: the cell path plus the paths through out), row t, column k\n"
        s += table(w) { t, k in k == t ? 1 : f.stateNorms![t - w.first - 1][k - w.first] }
        let T = f.steps
        if f.forget != nil {
            s += "\nlast step: ∂state_\(T - 1)/∂state_k along the cell path, Π f_j, for each k\n"
            let label = max(9, String(T - 1).count + 7)
            for k in w.first...(T - 1) {
                s += vector(f.cellPath(T - 1, k)!.values.map { fixed($0) }, after: "  k = \(k)".padded(label), align: false) + "\n"
            }
        }
        if f.forgetIsExactlyOne {
            s += "every f_j = 1 exactly: Π f_j = 1 for all t, k (the constant error carousel; with i = 0 as well, state_t = state_k)\n"
        }
        return s
    }

    /// The window's products, then their norm table.
    func productSections(_ f: GradientFlow, printMatrices: Bool, formula: String) -> String {
        var s = ""
        let w = f.window
        let lstm = f.kind == .lstm
        let product = lstm ? "∂(out_t, state_t)/∂(out_k, state_k)" : "∂h_t/∂h_k"
        s += "\nProducts: \(product) = \(formula), k = \(w.first) … t − 2\(w.isComplete ? " (k = −1: the initial state)" : "")\n"
        var any = false
        for t in w.timesteps where t - 2 >= w.first {
            for k in stride(from: t - 2, through: w.first, by: -1) {
                any = true
                if printMatrices {
                    s += labeled(jacobianName(f, t, k), f.product(t, k), indent: "  ", norm: f.productNorm(t, k), split: lstm ? f.hidden : nil)
                } else {
                    s += "  ‖\(jacobianName(f, t, k))‖₂ = \(sci(f.productNorm(t, k)))\n"
                }
            }
        }
        if !any { s += "  (none: every pair in the window is one step apart)\n" }
        if !printMatrices {
            s += "  (the \(f.stateSize)×\(f.stateSize) matrices themselves are in --format json and csv)\n"
        }
        s += "\n‖" + (lstm ? "∂(out_t, state_t)/∂(out_k, state_k)" : "∂h_t/∂h_k") + "‖₂ (spectral norm), row t, column k (k = t: the identity)\n"
        s += table(w) { t, k in k == t ? 1 : f.productNorm(t, k) }
        return s
    }

    func termSections(_ f: GradientFlow, printMatrices: Bool) -> String {
        guard let terms = f.terms else { return "" }
        let act = f.activation!.rawValue
        let T = f.steps
        var s = "\n∂L/∂W term by term (exercise 1(b)): ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W, where\n"
        s += "  term(t, k) = (\(act)′(z_k) ⊙ (∂h_t/∂h_k)ᵀ·Δ_t) ⊗ h_{k−1},  Δ_t = ∂L_t/∂h_t (the loss at t only), ∂⁺: through W's use at step k only\n"
        let hw = f.hidden <= AnalysisText.maxPrintedRows
        for t in terms.firstK..<T {
            for k in terms.firstK...t {
                let m = terms.term(t, k)
                if printMatrices && hw {
                    s += labeled("term(\(t), \(k))", m, indent: "  ", normLabel: "‖·‖_F", norm: terms.termNorm(t, k))
                }
            }
        }
        if hw {
            s += labeled("Σ_t Σ_k term(t, k)", terms.sum, indent: "  ", nameWidth: 20)
            s += labeled("δW from BPTT", terms.dW, indent: "  ", nameWidth: 20)
        } else {
            s += "  (the \(f.hidden)×\(f.hidden) terms, their sum and δW are in --format json and csv)\n"
        }
        if terms.outside == nil {
            s += "  the terms add up to BPTT's δW: max |Σ − δW| = \(sci(terms.totalResidual, digits: 3)); "
            s += "for each k, Σ_t term(t, k) against BPTT's δz_k ⊗ h_{k−1}: max |difference| = \(sci(terms.residual, digits: 3))\n"
        } else {
            s += "  for each k in the window, Σ_t term(t, k) against BPTT's δz_k ⊗ h_{k−1}: max |difference| = \(sci(terms.residual, digits: 3));\n"
            s += "  the steps k < \(terms.firstK) (outside the window) contribute δW − Σ, ‖·‖_F = \(sci(terms.outside!.frobeniusNorm))\n"
        }
        s += "\n‖term(t, k)‖_F, row t, column k\n"
        let w = GradientFlow.Window(steps: T, size: T - terms.firstK)
        s += table(w, from: terms.firstK) { t, k in terms.termNorm(t, k) }
        let norms = terms.contributionNorms, shares = terms.contributionShares
        s += "\ncontribution of each k to ∂L/∂W, Σ_t term(t, k) (share: of the sum of these norms)\n"
        let label = max(9, String(T - 1).count + 7)
        for (j, k) in (terms.firstK..<T).enumerated() {
            s += "  k = \(k)".padded(label) + "‖·‖_F = \(sci(norms[j]))   share = \(fixedDecimals(shares[j], 2))%\n"
        }
        return s
    }

    func verdictLines(_ f: GradientFlow) -> String {
        let v = f.verdict
        let T = f.steps
        var s = ""
        let name = f.kind == .lstm ? "∂(out_\(T - 1), state_\(T - 1))/∂(out_k, state_k)" : "∂h_\(T - 1)/∂h_k"
        if let c = v.conditions {
            let act = f.activation!.rawValue
            s += "Verdict (Pascanu, Mikolov & Bengio 2013, \"On the difficulty of training recurrent neural networks\")\n"
            s += "  ‖∂h_t/∂h_{t−1}‖₂ = ‖diag(\(act)′(z_t))·W‖₂ ≤ γ·σ_max(W), so ‖∂h_t/∂h_k‖₂ ≤ (γ·σ_max(W))^(t−k)\n"
            s += "  sufficient for vanishing, γ·σ_max(W) < 1:  \(fixed(c.gamma)) × \(fixed(c.sigmaMax)) = \(fixed(c.bound)): "
            s += c.sufficientForVanishing ? "holds\n" : "does not hold\n"
            s += "  necessary for exploding, σ_max(W) > 1/γ:   \(fixed(c.sigmaMax)) vs 1/γ = \(fixed(1 / c.gamma)): "
            s += c.necessaryForExploding ? "holds (exploding is possible, not certain)\n" : "does not hold, so the gradients cannot explode\n"
        } else {
            s += "Verdict: no bound like γ·σ_max(W) applies to the \(f.kind == .gru ? "GRU" : "LSTM")'s gates here, so the measured growth decides\n"
        }
        s += "  measured on this sequence, ‖\(name)‖₂ against the distance t − k (t = \(T - 1)):\n"
        let rows = f.reach.map { r in ["\(r.distance)", "\(r.k)", sciLog(r.log10Norm), fixed(r.perStep)] }
        s += columns(["t − k", "k", "‖·‖₂", "per step"], rows, indent: "    ")
        let r = fixed(v.perStep)
        let lo = fixedDecimals(1 - GradientVerdict.band, 2), hi = fixedDecimals(1 + GradientVerdict.band, 2)
        switch (v.decidedBy, v.kind) {
        case (.sufficientCondition, _):
            s += "verdict: vanishing, decided by the sufficient condition γ·σ_max(W) = \(fixed(v.conditions!.bound)) < 1: "
            s += "‖∂h_t/∂h_k‖₂ ≤ \(fixed(v.conditions!.bound))^(t−k) for every input sequence (measured here: \(r) per step)\n"
        case (.measuredGrowth, .vanishing):
            s += "verdict: vanishing on this sequence, decided by the measured growth: \(r) per step < \(lo)"
            s += v.conditions != nil ? "; γ·σ_max(W) ≥ 1, so another input sequence may behave differently\n" : "\n"
        case (.measuredGrowth, .exploding):
            s += "verdict: exploding on this sequence, decided by the measured growth: \(r) per step > \(hi)"
            s += v.conditions != nil ? " (possible because σ_max(W) > 1/γ)\n" : "\n"
        case (.measuredGrowth, .neither):
            s += "verdict: neither on this sequence, decided by the measured growth: \(r) per step, within [\(lo), \(hi)]"
            if f.kind == .lstm, f.forgetIsExactlyOne { s += "; the cell path carries the gradient back undiminished" }
            s += "\n"
        }
        return s
    }

    func gammaReason(_ a: Activation) -> String {
        switch a {
        case .sigmoid: return "σ′(z) = σ(z)(1 − σ(z)) ≤ ¼, at z = 0"
        case .tanh: return "tanh′(z) = 1 − tanh²(z) ≤ 1, at z = 0"
        case .relu: return "relu′(z) ∈ {0, 1}"
        case .identity: return "a linear RNN: the Jacobian is W itself"
        }
    }

    // MARK: layout helpers

    /// How many cells of `cell` columns, separated by `gap`, fit after `indent` columns and
    /// before `trailer` more; nil when all `count` fit (or there is no width).
    func perLine(_ count: Int, cell: Int, gap: Int = 2, indent: Int, trailer: Int = 0) -> Int? {
        guard let width, count > 1 else { return nil }
        guard indent + count * cell + (count - 1) * gap + trailer > width else { return nil }
        return max(1, (width - indent - trailer + gap) / (cell + gap))
    }

    /// A lower-triangular (t, k) table over the window: rows t, columns k = from … t. Too wide
    /// for the line, in blocks of columns k, each with its header and the rows t that reach it.
    func table(_ w: GradientFlow.Window, from: Int? = nil, _ value: (Int, Int) -> Double) -> String {
        let first = from ?? w.first
        let rows = w.timesteps.filter { $0 >= first }
        var cells: [[String]] = []
        for t in rows { cells.append((first...t).map { k in sci(value(t, k)) }) }
        let cw = max(cells.flatMap { $0 }.map(\.count).max() ?? 0, 6, String(w.last).count)
        let label = max(7, String(w.last).count + 4)
        let columns = w.last - first + 1
        let n = perLine(columns, cell: cw, indent: label) ?? columns
        var s = ""
        for start in stride(from: first, through: w.last, by: n) {
            let end = min(start + n - 1, w.last)
            if start != first { s += "\n" }
            s += "  t\\k".padded(label) + (start...end).map { String($0).leftPadded(cw) }.joined(separator: "  ") + "\n"
            for (j, t) in rows.enumerated() where t >= start {
                s += "  \(t)".padded(label) + (start...min(end, t)).map { cells[j][$0 - first].leftPadded(cw) }.joined(separator: "  ") + "\n"
            }
        }
        return s
    }

    /// `prefix` then "[ a  b ]" (cells right-aligned when `align`); too long for the line, the
    /// vector continues on lines indented under its first entry, and when fewer than three
    /// entries fit after the prefix, it starts on the next line.
    func vector(_ cells: [String], after prefix: String, align: Bool = true) -> String {
        let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
        var column = prefix.unicodeScalars.count
        guard let n0 = perLine(cells.count, cell: w, indent: column + 2, trailer: 2) else {
            return prefix + "[ " + (align ? cells.map { $0.leftPadded(w) } : cells).joined(separator: "  ") + " ]"
        }
        var head = prefix
        var n = n0
        if n0 < 3 && column > 4 {
            while head.hasSuffix(" ") { head.removeLast() }
            head += "\n    "
            column = 4
            n = perLine(cells.count, cell: w, indent: column + 2, trailer: 2) ?? cells.count
        }
        let aligned = cells.map { $0.leftPadded(w) }
        var lines: [String] = []
        for start in stride(from: 0, to: cells.count, by: n) {
            lines.append(aligned[start..<min(start + n, cells.count)].joined(separator: "  "))
        }
        return head + "[ " + lines.joined(separator: "\n" + String(repeating: " ", count: column + 2)) + " ]"
    }

    /// Pieces of one line joined by three spaces; too long for the line, the pieces that do not
    /// fit continue on the next lines, indented by `continuation` columns.
    func pieces(_ parts: [String], continuation: Int) -> String {
        let joined = parts.joined(separator: "   ")
        guard let width, joined.unicodeScalars.count > width else { return joined }
        let pad = String(repeating: " ", count: continuation)
        var lines = [parts[0]]
        for part in parts.dropFirst() {
            let candidate = lines[lines.count - 1] + "   " + part
            if candidate.unicodeScalars.count <= width { lines[lines.count - 1] = candidate } else { lines.append(pad + part) }
        }
        return lines.map { line in String(line.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    /// Columns, right-aligned (numbers) or left-aligned (text), with or without a header row.
    func columns(_ header: [String], _ rows: [[String]], indent: String, leftAligned: Bool = false, header show: Bool = true) -> String {
        let widths = header.indices.map { c in ([header[c]] + rows.map { $0[c] }).map { $0.unicodeScalars.count }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            let cells = r.indices.map { c in leftAligned ? (c + 1 < r.count ? r[c].padded(widths[c]) : r[c]) : r[c].leftPadded(widths[c]) }
            return indent + cells.joined(separator: "  ") + "\n"
        }
        return (show ? line(header) : "") + rows.map(line).joined()
    }

    /// `name = [ … ]` with the following rows aligned under the first, and an optional norm
    /// after the first row. `split`: draw the 2×2 block structure of an LSTM state Jacobian.
    /// Too wide for the line: "name =" on a line of its own, the rows under the label (or 4
    /// columns further in than `indent` when fewer than three columns fit there), in blocks of
    /// columns "columns j–k of n" if they still do not fit, then the norm on a line of its own.
    func labeled(_ name: String, _ m: Matrix, indent: String = "  ", nameWidth: Int? = nil, normLabel: String = "‖·‖₂",
                 norm: Double? = nil, split: Int? = nil, full: Bool = false) -> String {
        let label = indent + name.padded(nameWidth ?? 0) + " = "
        let labelWidth = label.unicodeScalars.count
        let cells = cellStrings(m, full: full)
        let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
        let bar = split.map { $0 > 0 && $0 < m.cols } == true ? 2 : 0
        let normText = norm.map { "\(normLabel) = \(sci($0))" }
        let trailer = 2 + bar + (normText.map { $0.unicodeScalars.count + 3 } ?? 0)
        guard perLine(m.cols, cell: w, indent: labelWidth + 2, trailer: trailer) != nil else {
            let pad = String(repeating: " ", count: labelWidth)
            var lines = rowStrings(cells, rows: m.rows, cols: m.cols, columns: 0..<m.cols, width: w, split: split)
            if let n = normText { lines[0] += "   " + n }
            return lines.enumerated().map { ($0 == 0 ? label : pad) + $1 }.joined(separator: "\n") + "\n"
        }
        var rowIndent = labelWidth
        if let n = perLine(m.cols, cell: w, indent: rowIndent + 2, trailer: 2 + bar), n < 3 {
            rowIndent = indent.unicodeScalars.count + 4
        }
        let pad = String(repeating: " ", count: rowIndent)
        var s = indent + name.padded(nameWidth ?? 0) + " =\n"
        let n = perLine(m.cols, cell: w, indent: rowIndent + 2, trailer: 2 + bar) ?? m.cols
        for start in stride(from: 0, to: m.cols, by: n) {
            let end = min(start + n, m.cols)
            if n < m.cols { s += pad + "columns \(start)–\(end - 1) of \(m.cols)\n" }
            for line in rowStrings(cells, rows: m.rows, cols: m.cols, columns: start..<end, width: w, split: split) {
                s += pad + line + "\n"
            }
        }
        if let t = normText { s += pad + t + "\n" }
        return s
    }

    /// The entries of a matrix at the text's decimals; a matrix whose entries are all below 0.01
    /// (or reach 10⁶) in scientific notation with as many significant digits, so that a product
    /// of Jacobians far below 1 does not print as zeros. `full`: every entry in full (the input W).
    func cellStrings(_ m: Matrix, full: Bool = false) -> [String] {
        let big = m.values.map(abs).max() ?? 0
        let scientific = big != 0 && (big < 0.01 || big >= 1e6)
        return m.values.map { full ? LSTMGrad.full($0) : scientific ? sci($0, digits: max(decimals, 1)) : fixed($0) }
    }

    /// The rows of the columns `range` of a rows×cols grid of cells, right-aligned to `width`.
    /// `split`: a bar before column `split` and a rule before row `split`, where the bar falls
    /// inside the range.
    func rowStrings(_ cells: [String], rows: Int, cols: Int, columns range: Range<Int>, width w: Int, split: Int? = nil) -> [String] {
        let bar = split.flatMap { range.lowerBound < $0 && $0 < range.upperBound ? $0 : nil }
        var out: [String] = []
        for r in 0..<rows {
            if let k = split, r == k {
                if let b = bar {
                    let left = String(repeating: "─", count: (b - range.lowerBound) * (w + 2))
                    let right = String(repeating: "─", count: (range.upperBound - b) * (w + 2) - 1)
                    out.append("[ " + left + "┼" + right + " ]")
                } else {
                    out.append("[ " + String(repeating: "─", count: range.count * (w + 2) - 2) + " ]")
                }
            }
            var line = "[ "
            for c in range {
                if let b = bar, c == b { line += "│ " }
                line += cells[r * cols + c].leftPadded(w) + (c + 1 < range.upperBound ? "  " : "")
            }
            out.append(line + " ]")
        }
        return out
    }

    /// Rows of right-aligned cells at `indent`; too wide for the line, in blocks of columns,
    /// each headed "columns j–k of n" as `run` prints its matrices.
    func gridLines(_ cells: [String], rows: Int, cols: Int, indent: String) -> String {
        let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
        let n = perLine(cols, cell: w, indent: indent.unicodeScalars.count + 2, trailer: 2) ?? cols
        var s = ""
        for start in stride(from: 0, to: cols, by: n) {
            let end = min(start + n, cols)
            if n < cols { s += indent + "columns \(start)–\(end - 1) of \(cols)\n" }
            for line in rowStrings(cells, rows: rows, cols: cols, columns: start..<end, width: w) { s += indent + line + "\n" }
        }
        return s
    }

    func matrixLines(_ m: Matrix, indent: String, full: Bool = false) -> String {
        gridLines(cellStrings(m, full: full), rows: m.rows, cols: m.cols, indent: indent)
    }

    func complexMatrixLines(_ m: ComplexMatrix, indent: String) -> String {
        gridLines(m.values.map(complexText), rows: m.rows, cols: m.cols, indent: indent)
    }

    // MARK: numbers

    /// x at the text's decimals.
    func fixed(_ x: Double) -> String { fixedDecimals(x, decimals) }

    /// a + bi at the text's decimals (real numbers without the i part).
    func complexText(_ z: Complex) -> String {
        if z.im == 0 { return fixed(z.re) }
        return fixed(z.re) + (z.im < 0 ? " − " : " + ") + fixed(abs(z.im)) + "i"
    }
}

/// x with `decimals` fixed decimals.
func fixedDecimals(_ x: Double, _ decimals: Int) -> String {
    var b = OutputBuffer()
    b.writeFixed(x, decimals: decimals)
    return b.text
}

/// x in full: the shortest decimal that reads back as the same double.
func full(_ x: Double) -> String {
    var b = OutputBuffer()
    b.writeShortest(x)
    return b.text
}

/// a + bi in full.
func complexFull(_ z: Complex) -> String {
    if z.im == 0 { return full(z.re) }
    return full(z.re) + (z.im < 0 ? " − " : " + ") + full(abs(z.im)) + "i"
}

/// x as d.ddd·10^e, e.g. "1.216e-05" (for norms spanning many orders); 0 as "0".
func sci(_ x: Double, digits: Int = 4) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    return (x < 0 ? "-" : "") + sciLog(log10(abs(x)), digits: digits, exact: abs(x))
}

/// 10^l in the same form, for norms known only by their logarithm (far below the smallest
/// double). `exact`: the value itself when it is a double, to round from it.
func sciLog(_ l: Double, digits: Int = 4, exact: Double? = nil) -> String {
    if l == -.infinity { return "0" }
    guard l.isFinite else { return "inf" }
    var e = Int(l.rounded(.down))
    var m = e > -300 && e < 300 ? (exact.map { $0 / pow(10, Double(e)) } ?? pow(10, l - Double(e))) : pow(10, l - Double(e))
    if m < 1 { m *= 10; e -= 1 }
    if m >= 10 { m /= 10; e += 1 }
    var s = fixedDecimals(m, digits - 1)
    if s.hasPrefix("10") {
        e += 1
        s = fixedDecimals(m / 10, digits - 1)
    }
    return s + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
