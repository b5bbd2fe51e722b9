/// Formats analyses as text. Computes nothing beyond layout.
///
/// `width` (the terminal's, or COLUMNS; nil when not a terminal) is where wide output wraps,
/// as `run`'s matrices do: a (t, k) table or a matrix wider than the line is printed as blocks
/// of columns, and a long vector continues on the next lines. Output that fits is the same
/// with or without a width.
public enum AnalysisText {
    // MARK: matrix

    public static func render(_ a: MatrixAnalysis, decimals d: Int = 6, width: Int? = nil) -> String {
        let layout = Layout(width: width)
        var s = ""
        let e = a.eigen
        let n = a.matrix.rows
        s += "W (\(n)×\(n), \(e.symmetric ? "symmetric: Jacobi rotations" : "not symmetric: Hessenberg reduction and shifted QR"))\n"
        s += layout.matrix(a.matrix.values.map { fixed($0, d) }, rows: n, cols: a.matrix.cols, indent: "  ")
        s += "\neigenvalues (real part ascending)\n"
        for (k, l) in e.eigenvalues.enumerated() {
            let line = "  λ_\(k + 1) = \(complexText(l, d))   |λ_\(k + 1)| = \(fixed(l.magnitude, d))"
            if let q = e.vectors {
                s += layout.vector((0..<n).map { complexText(q[$0, k], d) }, after: line + "   q_\(k + 1) = ", align: false) + "\n"
            } else {
                s += line + "\n"
            }
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
            s += "  Q =\n" + layout.complexMatrix(q, d, indent: "    ")
            s += "  Λ =\n" + layout.complexMatrix(e.lambda, d, indent: "    ")
            s += "  Q⁻¹ =\n" + layout.complexMatrix(qi, d, indent: "    ")
            if let r = a.reconstructionError { s += "  max |Q·Λ·Q⁻¹ − W| = \(scientific(r))\n" }
            s += "\n"
        } else {
            s += "the eigenvectors are numerically dependent: Q is not invertible\n\n"
        }
        s += "spectral radius: \(a.verdict)\n\n"
        s += "W^\(a.power) by \(a.power) repeated multiplications\n"
        s += layout.matrix(a.byMultiplication.values.map { fixed($0, d) }, rows: a.byMultiplication.rows, cols: a.byMultiplication.cols, indent: "  ")
        if let b = a.byEigen {
            s += "W^\(a.power) = Q·Λ^\(a.power)·Q⁻¹\n"
            s += b.isReal || b.imaginary.values.allSatisfy({ abs($0) < 1e-12 })
                ? layout.matrix(b.real.values.map { fixed($0, d) }, rows: b.rows, cols: b.cols, indent: "  ")
                : layout.complexMatrix(b, d, indent: "  ")
            if let diff = a.powerDifference { s += "max |difference| = \(scientific(diff))\n" }
        }
        return s
    }

    // MARK: gradient flow

    public static func render(_ f: GradientFlow, decimals d: Int = 6, matrix: MatrixAnalysis? = nil, width: Int? = nil) -> String {
        let layout = Layout(width: width)
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
        s += layout.table(T) { t, k in hNorms[t][k + 1] }
        if let cNorms = f.cNorms, let pathMax = f.cellPathMax, let path = f.cellPath {
            s += "\ncell path ∂C_t/∂C_k = Π_{j=k+1..t} f_j (elementwise; max entry shown)\n"
            s += layout.table(T) { t, k in pathMax[t][k + 1] }
            s += "\nfull ‖∂C_t/∂C_k‖₂ (the cell path plus the paths through h)\n"
            s += layout.table(T) { t, k in cNorms[t][k + 1] }
            s += "\nlast step: ∂C_\(T - 1)/∂C_k (cell path) for each k\n"
            for k in -1..<T {
                s += layout.vector(path[T - 1][k + 1].values.map { fixed($0, d) }, after: "  k = \(k)".padded(9), align: false) + "\n"
            }
            if f.cellPathIsExactlyOne {
                s += "every f_j = 1 exactly: ∂C_t/∂C_k = 1 for all t, k (the constant error carousel; with i = 0, C_t = C_k)\n"
            }
        }
        if let termNorms = f.termNorms, let norms = f.contributionNorms, let shares = f.contributionShares,
           let residual = f.contributionResidual {
            s += "\n‖term (t, k)‖_F of ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t·∂h_t/∂h_k·∂h_k/∂W, row t, column k\n"
            s += layout.table(T, from: 0) { t, k in termNorms[t][k] }
            s += "\ncontribution of each k to ∂L/∂W (Σ_t of column k)\n"
            for k in 0..<T {
                s += "  k = \(k)".padded(9) + "‖·‖_F = \(scientific(norms[k], digits: 4))   share = \(fixed(shares[k], 2))%\n"
            }
            s += "  Σ_k = ∂L/∂W from BPTT (max |difference| = \(scientific(residual)))\n"
        }
        let (verdict, because) = f.verdict
        s += "\nverdict: \(verdict.rawValue): \(because)\n"
        if let m = matrix {
            s += "\neigendecomposition of the recurrent W\n\n" + render(m, decimals: d, width: width)
        }
        return s
    }

    /// Where lines wrap, and the wide pieces laid out to fit.
    struct Layout {
        var width: Int?

        /// How many cells of `cell` columns, separated by `gap`, fit after `indent` columns and
        /// before `trailer` more; nil when all `count` fit (or there is no width).
        func perLine(_ count: Int, cell: Int, gap: Int = 2, indent: Int, trailer: Int = 0) -> Int? {
            guard let width, count > 1 else { return nil }
            guard indent + count * cell + (count - 1) * gap + trailer > width else { return nil }
            return max(1, (width - indent - trailer + gap) / (cell + gap))
        }

        /// A lower-triangular (t, k) table, k from `from` (−1 or 0) to t; too wide, in blocks of
        /// columns k, each block with its header and the rows t that reach it.
        func table(_ T: Int, from: Int = -1, _ value: (Int, Int) -> Double) -> String {
            var cells: [[String]] = []
            for t in 0..<T { cells.append((from...t).map { k in scientific(value(t, k), digits: 4) }) }
            let w = max(cells.flatMap { $0 }.map(\.count).max() ?? 0, 6)
            let columns = T - from
            let n = perLine(columns, cell: w, indent: 7) ?? columns
            var s = ""
            for first in stride(from: from, to: T, by: n) {
                let last = min(first + n, T) - 1
                if first != from { s += "\n" }
                s += "  t\\k".padded(7) + (first...last).map { String($0).leftPadded(w) }.joined(separator: "  ") + "\n"
                for t in max(0, first)..<T {
                    let row = (first...min(last, t)).map { cells[t][$0 - from].leftPadded(w) }
                    s += "  \(t)".padded(7) + row.joined(separator: "  ") + "\n"
                }
            }
            return s
        }

        /// `prefix` then "[ a  b ]" (cells right-aligned when `align`); too long, the vector
        /// continues on lines indented under its first entry, and when fewer than three entries
        /// fit after the prefix, it starts on the next line.
        func vector(_ cells: [String], after prefix: String, align: Bool = true) -> String {
            let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
            let padded = align ? cells.map { $0.leftPadded(w) } : cells
            var column = prefix.unicodeScalars.count
            guard let n0 = perLine(cells.count, cell: w, indent: column + 2, trailer: 2) else {
                return prefix + "[ " + padded.joined(separator: "  ") + " ]"
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
            let pad = String(repeating: " ", count: column + 2)
            return head + "[ " + lines.joined(separator: "\n" + pad) + " ]"
        }

        /// Rows of right-aligned cells; too wide, in blocks of columns, each headed
        /// "columns j–k of n" as `run` prints its matrices.
        func matrix(_ cells: [String], rows: Int, cols: Int, indent: String) -> String {
            let w = cells.map { $0.unicodeScalars.count }.max() ?? 0
            let n = perLine(cols, cell: w, indent: indent.unicodeScalars.count + 2, trailer: 2) ?? cols
            var s = ""
            for start in stride(from: 0, to: cols, by: n) {
                let end = min(start + n, cols)
                if n < cols { s += indent + "columns \(start)–\(end - 1) of \(cols)\n" }
                for r in 0..<rows {
                    s += indent + "[ " + (start..<end).map { cells[r * cols + $0].leftPadded(w) }.joined(separator: "  ") + " ]\n"
                }
            }
            return s
        }

        func complexMatrix(_ m: ComplexMatrix, _ d: Int, indent: String) -> String {
            matrix(m.values.map { complexText($0, d) }, rows: m.rows, cols: m.cols, indent: indent)
        }
    }
}
