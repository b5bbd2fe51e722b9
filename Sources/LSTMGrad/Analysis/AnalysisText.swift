/// Formats analyses as text. Computes nothing beyond layout.
public enum AnalysisText {
    // MARK: matrix

    public static func render(_ a: MatrixAnalysis, decimals d: Int = 6) -> String {
        var s = ""
        let e = a.eigen
        let n = a.matrix.rows
        s += "W (\(n)×\(n), \(e.symmetric ? "symmetric: Jacobi rotations" : "not symmetric: Hessenberg reduction and shifted QR"))\n"
        s += matrixLines(a.matrix, d, indent: "  ")
        s += "\neigenvalues (real part ascending)\n"
        for (k, l) in e.eigenvalues.enumerated() {
            s += "  λ_\(k + 1) = \(complexText(l, d))   |λ_\(k + 1)| = \(fixed(l.magnitude, d))"
            if let q = e.vectors {
                s += "   q_\(k + 1) = [ " + (0..<n).map { complexText(q[$0, k], d) }.joined(separator: "  ") + " ]"
            }
            s += "\n"
        }
        if e.hasComplexEigenvalues {
            s += "  complex eigenvalues come in conjugate pairs λ, λ̄ (W is real); W rotates as well as scales\n"
        }
        s += "\n"
        if e.isDefective {
            for defect in e.defects {
                s += "W is defective: eigenvalue \(complexText(defect.eigenvalue, d)) has algebraic multiplicity \(defect.algebraic) "
                s += "but only \(defect.geometric) independent eigenvector\(defect.geometric == 1 ? "" : "s")\n"
            }
            s += "so W has no eigendecomposition QΛQ⁻¹; Wⁿ is computed by repeated multiplication only\n\n"
        } else if let q = e.vectors, let qi = e.inverseVectors {
            s += "W = Q·Λ·Q⁻¹ (columns of Q: the eigenvectors\(e.symmetric ? "; Q is orthogonal, Q⁻¹ = Qᵀ" : ""))\n"
            s += "  Q =\n" + complexMatrixLines(q, d, indent: "    ")
            s += "  Λ =\n" + complexMatrixLines(e.lambda, d, indent: "    ")
            s += "  Q⁻¹ =\n" + complexMatrixLines(qi, d, indent: "    ")
            if let r = a.reconstructionError { s += "  max |Q·Λ·Q⁻¹ − W| = \(scientific(r))\n" }
            s += "\n"
        } else {
            s += "the eigenvectors are numerically dependent: Q is not invertible\n\n"
        }
        s += "spectral radius: \(a.verdict)\n\n"
        s += "W^\(a.power) by \(a.power) repeated multiplications\n"
        s += matrixLines(a.byMultiplication, d, indent: "  ")
        if let b = a.byEigen {
            s += "W^\(a.power) = Q·Λ^\(a.power)·Q⁻¹\n"
            s += b.isReal || b.imaginary.values.allSatisfy({ abs($0) < 1e-12 }) ? matrixLines(b.real, d, indent: "  ") : complexMatrixLines(b, d, indent: "  ")
            if let diff = a.powerDifference { s += "max |difference| = \(scientific(diff))\n" }
        }
        return s
    }

    // MARK: gradient flow

    public static func render(_ f: GradientFlow, decimals d: Int = 6, matrix: MatrixAnalysis? = nil) -> String {
        var s = ""
        let T = f.steps
        switch f.kind {
        case .rnn:
            s += "Jacobians ∂h_t/∂h_k = Π_{j=k+1..t} diag(act′(z_j))·W   (k = −1 is the initial state h_-1)\n\n"
        case .lstm:
            s += "Jacobians of the LSTM state (h, C), k = −1 is the initial state\n\n"
        }
        s += "‖∂h_t/∂h_k‖₂ (spectral norm), row t, column k\n"
        let hNorms = f.hNorms
        s += table(T) { t, k in hNorms[t][k + 1] }
        if let cNorms = f.cNorms, let pathMax = f.cellPathMax, let path = f.cellPath {
            s += "\ncell path ∂C_t/∂C_k = Π_{j=k+1..t} f_j (elementwise; max entry shown)\n"
            s += table(T) { t, k in pathMax[t][k + 1] }
            s += "\nfull ‖∂C_t/∂C_k‖₂ (the cell path plus the paths through h)\n"
            s += table(T) { t, k in cNorms[t][k + 1] }
            s += "\nlast step: ∂C_\(T - 1)/∂C_k (cell path) for each k\n"
            for k in -1..<T {
                s += "  k = \(k)".padded(9) + "[ " + path[T - 1][k + 1].values.map { fixed($0, d) }.joined(separator: "  ") + " ]\n"
            }
            if f.cellPathIsExactlyOne {
                s += "every f_j = 1 exactly: ∂C_t/∂C_k = 1 for all t, k (the constant error carousel; with i = 0, C_t = C_k)\n"
            }
        }
        if let termNorms = f.termNorms, let norms = f.contributionNorms, let shares = f.contributionShares,
           let residual = f.contributionResidual {
            s += "\n‖term (t, k)‖_F of ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t·∂h_t/∂h_k·∂h_k/∂W, row t, column k\n"
            s += table(T, from: 0) { t, k in termNorms[t][k] }
            s += "\ncontribution of each k to ∂L/∂W (Σ_t of column k)\n"
            for k in 0..<T {
                s += "  k = \(k)".padded(9) + "‖·‖_F = \(scientific(norms[k], digits: 4))   share = \(fixed(shares[k], 2))%\n"
            }
            s += "  Σ_k = ∂L/∂W from BPTT (max |difference| = \(scientific(residual)))\n"
        }
        let (verdict, because) = f.verdict
        s += "\nverdict: \(verdict.rawValue): \(because)\n"
        if let m = matrix {
            s += "\neigendecomposition of the recurrent W\n\n" + render(m, decimals: d)
        }
        return s
    }

    /// A lower-triangular (t, k) table, k from `from` (−1 or 0) to t.
    static func table(_ T: Int, from: Int = -1, _ value: (Int, Int) -> Double) -> String {
        var cells: [[String]] = []
        for t in 0..<T { cells.append((from...t).map { k in scientific(value(t, k), digits: 4) }) }
        let width = max(cells.flatMap { $0 }.map(\.count).max() ?? 0, 6)
        var s = "  t\\k".padded(7) + (from..<T).map { String($0).leftPadded(width) }.joined(separator: "  ") + "\n"
        for t in 0..<T {
            s += "  \(t)".padded(7) + cells[t].map { $0.leftPadded(width) }.joined(separator: "  ") + "\n"
        }
        return s
    }

    static func matrixLines(_ m: Matrix, _ d: Int, indent: String) -> String {
        let cells = m.values.map { fixed($0, d) }
        let w = cells.map(\.count).max() ?? 0
        var s = ""
        for r in 0..<m.rows {
            s += indent + "[ " + (0..<m.cols).map { cells[r * m.cols + $0].leftPadded(w) }.joined(separator: "  ") + " ]\n"
        }
        return s
    }

    static func complexMatrixLines(_ m: ComplexMatrix, _ d: Int, indent: String) -> String {
        let cells = m.values.map { complexText($0, d) }
        let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
        var s = ""
        for r in 0..<m.rows {
            s += indent + "[ " + (0..<m.cols).map { cells[r * m.cols + $0].leftPadded(w) }.joined(separator: "  ") + " ]\n"
        }
        return s
    }
}

