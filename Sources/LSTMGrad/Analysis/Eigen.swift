/// An eigendecomposition W = QΛQ⁻¹ (when W has one), computed in pure Swift: Jacobi rotations
/// for a symmetric W, Hessenberg reduction and shifted QR iterations otherwise.
public struct EigenDecomposition: Sendable {
    /// An eigenvalue whose eigenvectors do not span its algebraic multiplicity.
    public struct Defect: Sendable, Equatable {
        public var eigenvalue: Complex
        public var algebraic: Int
        public var geometric: Int

        public init(eigenvalue: Complex, algebraic: Int, geometric: Int) {
            self.eigenvalue = eigenvalue
            self.algebraic = algebraic
            self.geometric = geometric
        }
    }

    public var matrix: Matrix
    public var symmetric: Bool
    /// Eigenvalues, real part ascending; a complex pair as λ, λ̄ (positive imaginary part first).
    public var eigenvalues: [Complex]
    /// Columns are unit eigenvectors (first significant entry real and positive); nil when W is
    /// defective.
    public var vectors: ComplexMatrix?
    public var inverseVectors: ComplexMatrix?
    public var defects: [Defect]

    /// ρ(W) = max |λ|.
    public var spectralRadius: Double { eigenvalues.map(\.magnitude).max() ?? 0 }
    public var isDefective: Bool { !defects.isEmpty }
    public var hasComplexEigenvalues: Bool { eigenvalues.contains { !$0.isReal } }

    /// Λ as a diagonal complex matrix.
    public var lambda: ComplexMatrix {
        var m = ComplexMatrix(zeros: eigenvalues.count, eigenvalues.count)
        for (k, l) in eigenvalues.enumerated() { m[k, k] = l }
        return m
    }

    /// QΛⁿQ⁻¹, or nil when W is defective.
    public func power(_ n: Int) -> ComplexMatrix? {
        guard let q = vectors, let qi = inverseVectors else { return nil }
        var ln = ComplexMatrix(zeros: eigenvalues.count, eigenvalues.count)
        for (k, l) in eigenvalues.enumerated() { ln[k, k] = l.power(n) }
        return q.times(ln).times(qi)
    }
}

public enum Eigen {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notSquare(rows: Int, cols: Int)
        case notFinite
        case noConvergence

        public var description: String {
            switch self {
            case .notSquare(let r, let c): return "the matrix is \(r)×\(c); eigenvalues need a square matrix"
            case .notFinite: return "the matrix has a non-finite entry"
            case .noConvergence: return "the QR iterations did not converge"
            }
        }
    }

    public static func isSymmetric(_ m: Matrix) -> Bool {
        guard m.rows == m.cols else { return false }
        for r in 0..<m.rows { for c in 0..<r where m[r, c] != m[c, r] { return false } }
        return true
    }

    /// The eigendecomposition of a square matrix.
    public static func decompose(_ m: Matrix) throws(Failure) -> EigenDecomposition {
        guard m.rows == m.cols else { throw .notSquare(rows: m.rows, cols: m.cols) }
        guard m.values.allSatisfy(\.isFinite) else { throw .notFinite }
        let n = m.rows
        if isSymmetric(m) {
            let (values, vectors) = jacobi(m)
            let order = (0..<n).sorted { values[$0] < values[$1] }
            var q = ComplexMatrix(zeros: n, n)
            for (k, j) in order.enumerated() {
                let v = normalized((0..<n).map { Complex(vectors[$0, j]) })
                for r in 0..<n { q[r, k] = v[r] }
            }
            return EigenDecomposition(matrix: m, symmetric: true, eigenvalues: order.map { Complex(values[$0]) },
                                      vectors: q, inverseVectors: q.inverse, defects: [])
        }
        let values = try generalEigenvalues(m)
        let scale = max(1, m.values.map(abs).max() ?? 0)
        // Clusters of (numerically) equal eigenvalues: algebraic multiplicity.
        var clusters: [[Complex]] = []
        for l in values {
            if let k = clusters.firstIndex(where: { ($0[0] - l).magnitude <= 1e-6 * scale }) {
                clusters[k].append(l)
            } else {
                clusters.append([l])
            }
        }
        var eigenvalues: [Complex] = []
        var columns: [[Complex]] = []
        var defects: [EigenDecomposition.Defect] = []
        for cluster in clusters {
            var mean = Complex.zero
            for l in cluster { mean += l }
            mean = (1 / Double(cluster.count)) * mean
            if abs(mean.im) <= 1e-12 * scale { mean.im = 0 }
            var shifted = ComplexMatrix(m)
            for k in 0..<n { shifted[k, k] -= mean }
            let basis = nullSpace(shifted, tolerance: 1e-9 * scale)
            if basis.count < cluster.count {
                defects.append(.init(eigenvalue: mean, algebraic: cluster.count, geometric: basis.count))
            }
            for k in 0..<cluster.count {
                eigenvalues.append(mean)
                if k < basis.count { columns.append(normalized(basis[k])) }
            }
        }
        let order = (0..<eigenvalues.count).sorted {
            let a = eigenvalues[$0], b = eigenvalues[$1]
            return a.re != b.re ? a.re < b.re : a.im > b.im
        }
        let sorted = order.map { eigenvalues[$0] }
        guard defects.isEmpty else {
            return EigenDecomposition(matrix: m, symmetric: false, eigenvalues: sorted, vectors: nil, inverseVectors: nil, defects: defects)
        }
        var q = ComplexMatrix(zeros: n, n)
        for (k, j) in order.enumerated() { for r in 0..<n { q[r, k] = columns[j][r] } }
        return EigenDecomposition(matrix: m, symmetric: false, eigenvalues: sorted, vectors: q, inverseVectors: q.inverse, defects: [])
    }

    /// Cyclic Jacobi rotations: a symmetric M = V·diag(values)·Vᵀ with V orthogonal.
    public static func jacobi(_ m: Matrix) -> (values: [Double], vectors: Matrix) {
        let n = m.rows
        var a = m
        var v = Matrix.identity(n)
        let total = m.values.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in 0..<n where p != q { off += a[p, q] * a[p, q] } }
            if off <= 1e-32 * total || off == 0 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where a[p, q] != 0 {
                    // Zero a[p, q]: θ = (a_qq − a_pp) / 2a_pq, t = sgn θ / (|θ| + √(θ² + 1)).
                    let theta = (a[q, q] - a[p, p]) / (2 * a[p, q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k, p], akq = a[k, q]
                        a[k, p] = c * akp - s * akq
                        a[k, q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p, k], aqk = a[q, k]
                        a[p, k] = c * apk - s * aqk
                        a[q, k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k, p], vkq = v[k, q]
                        v[k, p] = c * vkp - s * vkq
                        v[k, q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0, $0] }, v)
    }

    /// Eigenvalues of a general real matrix: Householder reduction to Hessenberg form, then
    /// complex single-shift QR iterations (Wilkinson shifts, Givens rotations) with deflation.
    /// Conjugate pairs are made exactly conjugate; real eigenvalues exactly real.
    public static func generalEigenvalues(_ m: Matrix) throws(Failure) -> [Complex] {
        let n = m.rows
        if n == 0 { return [] }
        var h = ComplexMatrix(hessenberg(m))
        var found: [Complex] = []
        var hi = n - 1
        var iterations = 0
        let eps = 2.220446049250313e-16
        while hi >= 0 {
            if hi == 0 {
                found.append(h[0, 0])
                break
            }
            var l = hi
            while l > 0 && h[l, l - 1].magnitude > eps * (h[l - 1, l - 1].magnitude + h[l, l].magnitude) { l -= 1 }
            if l > 0 { h[l, l - 1] = .zero }
            if l == hi {
                found.append(h[hi, hi])
                hi -= 1
                iterations = 0
                continue
            }
            iterations += 1
            if iterations > 500 { throw .noConvergence }
            // Wilkinson shift: the eigenvalue of the trailing 2×2 closer to its last entry.
            let a = h[hi - 1, hi - 1], b = h[hi - 1, hi], c = h[hi, hi - 1], d = h[hi, hi]
            let half = 0.5 * (a - d)
            let disc = (half * half + b * c).squareRoot
            let mid = 0.5 * (a + d)
            let mu1 = mid + disc, mu2 = mid - disc
            var mu = (mu1 - d).magnitude < (mu2 - d).magnitude ? mu1 : mu2
            if iterations % 11 == 0 { mu = d + Complex(0.75 * c.magnitude, 0.5 * c.magnitude) }  // exceptional shift
            for k in l...hi { h[k, k] -= mu }
            var rotations: [(Complex, Complex)] = []
            for k in l..<hi {
                let x = h[k, k], y = h[k + 1, k]
                let norm = (x.re * x.re + x.im * x.im + y.re * y.re + y.im * y.im).squareRoot()
                let (cr, sr) = norm == 0 ? (Complex.one, Complex.zero) : ((1 / norm) * x, (1 / norm) * y)
                rotations.append((cr, sr))
                for col in k...hi {
                    let u = h[k, col], w = h[k + 1, col]
                    h[k, col] = cr.conjugate * u + sr.conjugate * w
                    h[k + 1, col] = -sr * u + cr * w
                }
            }
            for (j, (cr, sr)) in rotations.enumerated() {
                let k = l + j
                for row in l...hi {
                    let u = h[row, k], w = h[row, k + 1]
                    h[row, k] = u * cr + w * sr
                    h[row, k + 1] = -(u * sr.conjugate) + w * cr.conjugate
                }
            }
            for k in l...hi { h[k, k] += mu }
        }
        // Tidy: real eigenvalues exactly real, complex ones in exact conjugate pairs.
        let scale = max(1, m.values.map(abs).max() ?? 0)
        var values = found.map { abs($0.im) <= 1e-10 * scale ? Complex($0.re) : $0 }
        var used = Set<Int>()
        for i in values.indices where values[i].im > 0 && !used.contains(i) {
            var best: Int?
            for j in values.indices where j != i && !used.contains(j) && values[j].im < 0 {
                if best == nil || (values[j] - values[i].conjugate).magnitude < (values[best!] - values[i].conjugate).magnitude { best = j }
            }
            if let j = best {
                let avg = 0.5 * (values[i] + values[j].conjugate)
                values[i] = avg
                values[j] = avg.conjugate
                used.insert(i)
                used.insert(j)
            }
        }
        return values
    }

    /// Householder reduction to upper Hessenberg form (similar to m: same eigenvalues).
    public static func hessenberg(_ m: Matrix) -> Matrix {
        let n = m.rows
        var a = m
        guard n > 2 else { return a }
        for k in 0..<(n - 2) {
            var alpha = 0.0
            for r in (k + 1)..<n { alpha += a[r, k] * a[r, k] }
            alpha = alpha.squareRoot()
            if alpha == 0 { continue }
            if a[k + 1, k] > 0 { alpha = -alpha }
            var v = [Double](repeating: 0, count: n)
            v[k + 1] = a[k + 1, k] - alpha
            for r in (k + 2)..<n { v[r] = a[r, k] }
            let vv = v.reduce(0) { $0 + $1 * $1 }
            if vv == 0 { continue }
            // A ← (I − 2vvᵀ/vᵀv)·A·(I − 2vvᵀ/vᵀv)
            for c in 0..<n {
                var s = 0.0
                for r in (k + 1)..<n { s += v[r] * a[r, c] }
                let f = 2 * s / vv
                for r in (k + 1)..<n { a[r, c] -= f * v[r] }
            }
            for r in 0..<n {
                var s = 0.0
                for c in (k + 1)..<n { s += a[r, c] * v[c] }
                let f = 2 * s / vv
                for c in (k + 1)..<n { a[r, c] -= f * v[c] }
            }
        }
        return a
    }

    /// A basis of {v : A·v = 0}, by Gaussian elimination with complete pivoting; pivots below
    /// `tolerance` count as zero.
    public static func nullSpace(_ a: ComplexMatrix, tolerance: Double) -> [[Complex]] {
        var m = a
        let rows = m.rows, cols = m.cols
        var pivotCols: [Int] = []
        var colOrder = Array(0..<cols)
        var rank = 0
        while rank < min(rows, cols) {
            var best = (r: -1, c: -1, mag: 0.0)
            for r in rank..<rows {
                for c in rank..<cols where m[r, colOrder[c]].magnitude > best.mag {
                    best = (r, c, m[r, colOrder[c]].magnitude)
                }
            }
            if best.mag <= tolerance { break }
            if best.r != rank { for c in 0..<cols { (m[rank, c], m[best.r, c]) = (m[best.r, c], m[rank, c]) } }
            colOrder.swapAt(rank, best.c)
            let pc = colOrder[rank]
            let p = m[rank, pc]
            for c in 0..<cols { m[rank, c] = m[rank, c] / p }
            for r in 0..<rows where r != rank {
                let f = m[r, pc]
                if f == .zero { continue }
                for c in 0..<cols { m[r, c] -= f * m[rank, c] }
            }
            pivotCols.append(pc)
            rank += 1
        }
        // Reduced row echelon form: each free column gives one basis vector.
        let free = colOrder[rank...]
        return free.map { f in
            var v = [Complex](repeating: .zero, count: cols)
            v[f] = .one
            for (r, pc) in pivotCols.enumerated() { v[pc] = -m[r, f] }
            return v
        }
    }

    /// Unit 2-norm, with the first significant entry real and positive.
    static func normalized(_ v: [Complex]) -> [Complex] {
        let norm = v.reduce(0) { $0 + $1.re * $1.re + $1.im * $1.im }.squareRoot()
        guard norm > 0 else { return v }
        guard let first = v.first(where: { $0.magnitude > 1e-12 * norm }) else { return v }
        let phase = (1 / first.magnitude) * first.conjugate
        return v.map { x in
            var y = (1 / norm) * (x * phase)
            if abs(y.im) < 1e-15 { y.im = 0 }
            return y
        }
    }

    /// Wⁿ by n − 1 matrix products (the identity for n = 0).
    public static func power(_ m: Matrix, _ n: Int) -> Matrix {
        var result = Matrix.identity(m.rows)
        for _ in 0..<n { result = result.times(m) }
        return result
    }

    /// ‖M‖₂, the largest singular value: √(largest eigenvalue of MᵀM), by Jacobi.
    public static func spectralNorm(_ m: Matrix) -> Double {
        let g = m.transposed.times(m)
        return max(0, jacobi(g).values.max() ?? 0).squareRoot()
    }
}
