/// The eigenvalues and eigenvectors of a real square matrix A, and W = Q·Λ·Q⁻¹ when A has that
/// decomposition.
///
/// - Symmetric A: cyclic Jacobi rotations (real eigenvalues, an orthonormal Q, Q⁻¹ = Qᵀ).
/// - Otherwise: balancing, Householder reduction to Hessenberg form and Francis double-shift QR
///   to the real Schur form (`RealSchur`); each eigenvalue is read off its own diagonal block,
///   never averaged with a neighbour, and complex pairs are exact conjugates.
///
/// Repeated eigenvalues. m computed eigenvalues count as one eigenvalue λ̄ (their mean) of
/// algebraic multiplicity m — a "group"; the printed values stay the computed ones — when
/// - they agree to the solver's accuracy: all within τ_eq = 1e−12·‖A‖₂ of λ̄; or
/// - m ≤ 4 and they are the split of a Jordan block: rounding (a perturbation of ε·‖A‖₂) spreads
///   an m×m block's eigenvalue over a circle of radius about ε^(1/m)·‖A‖₂, so they lie within
///   τ_m = 10·ε^(1/m)·‖A‖₂ of λ̄, AND A − λ̄I has fewer than m singular values below
///   δ_m = √(τ_m·‖A‖₂). (A Jordan block's other singular values are of the order of its
///   coupling, i.e. of ‖A‖₂; δ_m lies halfway between the split and ‖A‖₂ on a log scale, so
///   near-coincident eigenvalues of a non-normal but diagonalizable matrix are not mistaken for
///   one. A larger block splits by more than 1e−3·‖A‖₂; its eigenvalues stay simple.)
/// The geometric multiplicity of a group is the number of singular values of A − λ̄I (one-sided
/// Jacobi SVD) below δ_m, the dimension of its numerical null space; A is defective when a group
/// has fewer independent eigenvectors than members. Close eigenvalues that are neither (e.g.
/// 1e−10 and 3e−10, each with its own eigenvector) stay simple.
public struct EigenDecomposition: Sendable {
    /// One eigenvalue of A with its eigenvectors: a simple eigenvalue (one member), or a group
    /// of computed eigenvalues equal within τ_m.
    public struct Eigenspace: Sendable, Equatable {
        /// Indices into `eigenvalues`.
        public var members: [Int]
        /// The mean of the members: the shift of the rank test (never printed as an eigenvalue).
        public var center: Complex
        /// max |λ_i − λ̄| over the members.
        public var spread: Double
        /// τ_m for m = the number of members (0 for a simple eigenvalue).
        public var tolerance: Double
        /// Singular values of A − λ̄I, largest first (groups of a non-symmetric A only).
        public var singularValues: [Double]
        /// Unit eigenvectors, first significant entry real and positive: as many as the
        /// geometric multiplicity.
        public var vectors: [[Complex]]

        public var algebraic: Int { members.count }
        public var geometric: Int { vectors.count }
        public var isDefective: Bool { geometric < algebraic }
        /// The rank test's threshold δ_m (0 for a simple eigenvalue).
        public var rankTolerance: Double
    }

    public var matrix: Matrix
    public var symmetric: Bool
    /// ‖A‖₂ = σ_max(A), the scale of every tolerance.
    public var norm: Double
    /// Real part ascending, then |imaginary part| ascending; a complex pair as λ, λ̄ (positive
    /// imaginary part first).
    public var eigenvalues: [Complex]
    /// Every eigenvalue belongs to exactly one eigenspace; in order of their first member.
    public var eigenspaces: [Eigenspace]
    /// Q: column k an eigenvector of λ_k (nil when A is defective).
    public var vectors: ComplexMatrix?
    /// Q⁻¹ (nil when A is defective or Q is numerically singular).
    public var inverseVectors: ComplexMatrix?
    /// Francis double-shift sweeps (non-symmetric) or Jacobi sweeps (symmetric).
    public var iterations: Int

    /// ρ(A) = max |λ|.
    public var spectralRadius: Double { eigenvalues.map(\.magnitude).max() ?? 0 }
    public var hasComplexEigenvalues: Bool { eigenvalues.contains { !$0.isReal } }
    /// The groups: eigenvalues of multiplicity ≥ 2 within tolerance.
    public var groups: [Eigenspace] { eigenspaces.filter { $0.algebraic > 1 } }
    public var defects: [Eigenspace] { eigenspaces.filter(\.isDefective) }
    public var isDefective: Bool { eigenspaces.contains(where: \.isDefective) }
    /// τ₂ = 10·√ε·‖A‖₂: the split of a rounded 2×2 Jordan block.
    public var pairTolerance: Double { Eigen.groupTolerance(multiplicity: 2, norm: norm) }
    /// τ_eq = 1e−12·‖A‖₂: eigenvalues this close are equal to the solver's accuracy.
    public var equalTolerance: Double { Eigen.equalTolerance(norm: norm) }

    /// Λ as a diagonal complex matrix.
    public var lambda: ComplexMatrix {
        var m = ComplexMatrix(zeros: eigenvalues.count, eigenvalues.count)
        for (k, l) in eigenvalues.enumerated() { m[k, k] = l }
        return m
    }

    /// QΛⁿQ⁻¹, or nil without an eigendecomposition.
    public func power(_ n: Int) -> ComplexMatrix? {
        guard let q = vectors, let qi = inverseVectors else { return nil }
        var ln = ComplexMatrix(zeros: eigenvalues.count, eigenvalues.count)
        for (k, l) in eigenvalues.enumerated() { ln[k, k] = l.power(n) }
        return q.times(ln).times(qi)
    }

    /// max |Q·Λ·Q⁻¹ − A| (nil without an eigendecomposition).
    public var reconstructionError: Double? {
        power(1).map { p in zip(p.values, matrix.values).map { ($0 - Complex($1)).magnitude }.max() ?? 0 }
    }

    /// max_k ‖A·q_k − λ_k·q_k‖₂ over the columns of Q (nil without Q).
    public var maxResidual: Double? {
        vectors == nil ? nil : (0..<eigenvalues.count).compactMap(residual).max() ?? 0
    }

    /// ‖A·q − λ·q‖₂ for eigenvalue k's column of Q (nil without Q).
    public func residual(_ k: Int) -> Double? {
        guard let q = vectors else { return nil }
        let n = matrix.rows
        var s = 0.0
        for r in 0..<n {
            var acc = Complex.zero
            for c in 0..<n { acc += matrix[r, c] * q[c, k] }
            let d = acc - eigenvalues[k] * q[r, k]
            s += d.re * d.re + d.im * d.im
        }
        return s.squareRoot()
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

    public static let eps = Double.ulpOfOne

    /// The order eigenvalues are listed in: real part ascending, then |imaginary part|
    /// ascending, the positive imaginary part first.
    public static func listedBefore(_ a: Complex, _ b: Complex) -> Bool {
        if a.re != b.re { return a.re < b.re }
        if abs(a.im) != abs(b.im) { return abs(a.im) < abs(b.im) }
        return a.im > b.im
    }

    /// τ_m = 10·ε^(1/m)·‖A‖₂.
    public static func groupTolerance(multiplicity m: Int, norm: Double) -> Double {
        10 * pow(eps, 1 / Double(m)) * norm
    }

    /// τ_eq = 1e−12·‖A‖₂, the accuracy the solver promises on well-conditioned eigenvalues.
    public static func equalTolerance(norm: Double) -> Double { 1e-12 * norm }

    /// The largest Jordan block recognized from the split of its eigenvalues.
    public static let largestJordanBlock = 4

    /// δ_m = √(τ_m·‖A‖₂), m at most 4: singular values of A − λ̄I below it count as zero.
    public static func rankTolerance(multiplicity m: Int, norm: Double) -> Double {
        (groupTolerance(multiplicity: min(m, largestJordanBlock), norm: norm) * norm).squareRoot()
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
        let norm = spectralNorm(m)
        if isSymmetric(m) {
            let (values, vecs, sweeps) = jacobi(m)
            let order = (0..<n).sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
            let eigenvalues = order.map { Complex(values[$0]) }
            let columns = order.map { j in normalized((0..<n).map { Complex(vecs[$0, j]) }) }
            let partner = Array(0..<n)
            var spaces: [EigenDecomposition.Eigenspace] = []
            // Jordan blocks cannot occur: only eigenvalues equal to the solver's accuracy group.
            for g in groups(eigenvalues, partner: partner, norm: norm, accept: { $0.spread <= equalTolerance(norm: norm) }) {
                // A symmetric matrix is always diagonalizable: its group keeps the Jacobi vectors.
                spaces.append(.init(members: g.members, center: g.center, spread: g.spread, tolerance: g.tolerance,
                                    singularValues: [], vectors: g.members.map { columns[$0] },
                                    rankTolerance: g.members.count > 1 ? rankTolerance(multiplicity: g.members.count, norm: norm) : 0))
            }
            var q = ComplexMatrix(zeros: n, n)
            for k in 0..<n { for r in 0..<n { q[r, k] = columns[k][r] } }
            // Q is orthogonal: Q⁻¹ = Qᵀ.
            var qt = ComplexMatrix(zeros: n, n)
            for r in 0..<n { for c in 0..<n { qt[c, r] = q[r, c] } }
            return EigenDecomposition(matrix: m, symmetric: true, norm: norm, eigenvalues: eigenvalues,
                                      eigenspaces: spaces.sorted { $0.members[0] < $1.members[0] },
                                      vectors: q, inverseVectors: qt, iterations: sweeps)
        }

        let schur = try RealSchur(m)
        // Sorted order, remembering each value's place in the Schur form.
        let order = (0..<n).sorted { i, j in
            let a = schur.eigenvalues[i], b = schur.eigenvalues[j]
            return a == b ? i < j : listedBefore(a, b)
        }
        let eigenvalues = order.map { schur.eigenvalues[$0] }
        var place = [Int](repeating: 0, count: n)  // Schur index → sorted index
        for (k, j) in order.enumerated() { place[j] = k }
        // The conjugate partner of each eigenvalue (itself when real), in sorted indices.
        var partner = Array(0..<n)
        for (k, j) in order.enumerated() where !schur.eigenvalues[j].isReal {
            partner[k] = place[schur.eigenvalues[j].im > 0 ? j + 1 : j - 1]
        }
        // Back-substituted eigenvectors: computed for λ with Im λ ≥ 0, conjugated for λ̄.
        var single = [[Complex]](repeating: [], count: n)
        for k in 0..<n where eigenvalues[k].im >= 0 {
            single[k] = normalized(schur.eigenvector(order[k]))
            if partner[k] != k { single[partner[k]] = single[k].map(\.conjugate) }
        }

        var spaces: [EigenDecomposition.Eigenspace] = []
        var done = Set<Int>()
        let found = groups(eigenvalues, partner: partner, norm: norm) { g in
            if g.spread <= equalTolerance(norm: norm) { return true }
            return g.members.count <= largestJordanBlock && nullity(m, g, norm: norm) < g.members.count
        }
        for g in found {
            if g.members.count == 1 {
                let k = g.members[0]
                spaces.append(.init(members: [k], center: eigenvalues[k], spread: 0, tolerance: 0, singularValues: [],
                                    vectors: [single[k]], rankTolerance: 0))
                continue
            }
            let first = g.members.min()!
            if done.contains(first) { continue }
            let space = groupSpace(m, g, single: single, norm: norm)
            spaces.append(space)
            done.formUnion(g.members)
            // The conjugate group (if it is another one) gets the conjugate results, bit for bit.
            let mirror = g.members.map { partner[$0] }.sorted()
            if mirror != g.members.sorted() {
                var c = space
                c.members = g.members.map { partner[$0] }
                c.center = space.center.conjugate
                c.vectors = space.vectors.map { $0.map(\.conjugate) }
                spaces.append(c)
                done.formUnion(c.members)
            }
        }
        spaces.sort { $0.members.min()! < $1.members.min()! }

        var q: ComplexMatrix?
        var qi: ComplexMatrix?
        if !spaces.contains(where: \.isDefective) {
            var cols = ComplexMatrix(zeros: n, n)
            for s in spaces {
                for (j, k) in s.members.sorted().enumerated() { for r in 0..<n { cols[r, k] = s.vectors[j][r] } }
            }
            q = cols
            qi = cols.inverse
        }
        return EigenDecomposition(matrix: m, symmetric: false, norm: norm, eigenvalues: eigenvalues, eigenspaces: spaces,
                                  vectors: q, inverseVectors: qi, iterations: schur.sweeps)
    }

    /// A candidate group of computed eigenvalues.
    struct Group {
        var members: [Int]
        var center: Complex
        var spread: Double
        var tolerance: Double
    }

    /// Groups the eigenvalues: for m = n down to 2, a connected component of
    /// {|λ_i − λ_j| ≤ 2τ_m} among the eigenvalues not yet grouped that has exactly m members, all
    /// within τ_m of their mean, is a candidate, and `accept` decides. Conjugation maps
    /// candidates onto candidates (every test is symmetric), a group and its conjugate image are
    /// accepted together, and a self-conjugate group has a real mean. Every eigenvalue left over
    /// is simple (a group of one).
    static func groups(_ values: [Complex], partner: [Int], norm: Double, accept: (Group) -> Bool) -> [Group] {
        let n = values.count
        var grouped = [Bool](repeating: false, count: n)
        var out: [Group] = []
        if n >= 2 {
            for m in stride(from: n, through: 2, by: -1) {
                let tau = groupTolerance(multiplicity: m, norm: norm)
                let free = (0..<n).filter { !grouped[$0] }
                if free.count < m { continue }
                // Union-find over the free eigenvalues.
                var parent = [Int](0..<n)
                func root(_ i: Int) -> Int {
                    var r = i
                    while parent[r] != r { r = parent[r] }
                    return r
                }
                for (a, i) in free.enumerated() {
                    for j in free[(a + 1)...] where (values[i] - values[j]).magnitude <= 2 * tau {
                        let ri = root(i), rj = root(j)
                        if ri != rj { parent[max(ri, rj)] = min(ri, rj) }
                    }
                }
                var components: [Int: [Int]] = [:]
                for i in free { components[root(i), default: []].append(i) }
                var accepted: [Int: Group] = [:]
                for (r, members) in components where members.count == m {
                    if let g = candidate(members, values, partner: partner, tau: tau), accept(g) { accepted[r] = g }
                }
                for (_, g) in accepted.sorted(by: { $0.key < $1.key }) {
                    // A group and its conjugate image are accepted together or not at all.
                    let mirror = g.members.map { partner[$0] }.sorted()
                    if mirror != g.members {
                        let mirrorRoot = root(mirror[0])
                        guard accepted[mirrorRoot] != nil else { continue }
                    }
                    for i in g.members { grouped[i] = true }
                    out.append(g)
                }
            }
        }
        for i in 0..<n where !grouped[i] {
            out.append(Group(members: [i], center: values[i], spread: 0, tolerance: 0))
        }
        return out.sorted { $0.members[0] < $1.members[0] }
    }

    static func candidate(_ members: [Int], _ values: [Complex], partner: [Int], tau: Double) -> Group? {
        let sorted = members.sorted()
        var re = 0.0, im = 0.0
        for i in sorted {
            re += values[i].re
            im += values[i].im
        }
        let m = Double(sorted.count)
        var center = Complex(re / m, im / m)
        if sorted.map({ partner[$0] }).sorted() == sorted { center.im = 0 }
        let spread = sorted.map { (values[$0] - center).magnitude }.max() ?? 0
        guard spread <= tau else { return nil }
        return Group(members: sorted, center: center, spread: spread, tolerance: tau)
    }

    /// The number of singular values of A − λ̄I at most δ_m.
    static func nullity(_ a: Matrix, _ g: Group, norm: Double) -> Int {
        var shifted = ComplexMatrix(a)
        for k in 0..<a.rows { shifted[k, k] -= g.center }
        return SingularValues(shifted).values.filter { $0 <= rankTolerance(multiplicity: g.members.count, norm: norm) }.count
    }

    /// The eigenspace of a group of a non-symmetric A: the singular values of A − λ̄I decide
    /// the geometric multiplicity g (how many are ≤ δ_m). With g = m, the back-substituted
    /// eigenvectors are kept when they are far from dependent (each eigenvalue keeps its own
    /// vector); otherwise the null space of A − λ̄I gives an orthonormal basis.
    static func groupSpace(_ a: Matrix, _ g: Group, single: [[Complex]], norm: Double) -> EigenDecomposition.Eigenspace {
        let n = a.rows
        var shifted = ComplexMatrix(a)
        for k in 0..<n { shifted[k, k] -= g.center }
        let svd = SingularValues(shifted)
        let delta = rankTolerance(multiplicity: g.members.count, norm: norm)
        // σ_min(A − λ̄I) ≤ |λ_i − λ̄| + (backward error of λ_i) ≤ τ_m + O(ε‖A‖) < δ_m, so at least
        // one singular value is under the threshold; the bound to m is the algebraic multiplicity.
        var basis = svd.nullSpace(tolerance: delta)
        if basis.isEmpty { basis = [(0..<n).map { svd.vectors[$0, n - 1] }] }
        // The smallest singular values come last; more null vectors than members cannot all
        // belong to this group.
        if basis.count > g.members.count { basis = Array(basis.suffix(g.members.count)) }
        var vectors = basis.map(normalized)
        if basis.count == g.members.count {
            var own = ComplexMatrix(zeros: n, g.members.count)
            for (j, k) in g.members.enumerated() { for r in 0..<n { own[r, j] = single[k][r] } }
            let sigma = SingularValues(own).values
            if (sigma.last ?? 0) >= 0.01 { vectors = g.members.map { single[$0] } }
        }
        return .init(members: g.members, center: g.center, spread: g.spread, tolerance: g.tolerance,
                     singularValues: svd.values, vectors: vectors, rankTolerance: delta)
    }

    /// Cyclic Jacobi rotations: a symmetric M = V·diag(values)·Vᵀ with V orthogonal.
    public static func jacobi(_ m: Matrix) -> (values: [Double], vectors: Matrix, sweeps: Int) {
        let n = m.rows
        var a = m
        var v = Matrix.identity(n)
        let total = m.values.reduce(0) { $0 + $1 * $1 }
        var sweeps = 0
        for _ in 0..<100 {
            var off = 0.0
            for p in 0..<n { for q in 0..<n where p != q { off += a[p, q] * a[p, q] } }
            if off <= 1e-32 * total || off == 0 { break }
            sweeps += 1
            var rotated = false
            for p in 0..<n {
                // Rotate only where a_pq still matters next to its diagonal (relative to √|a_pp·a_qq|,
                // which keeps small eigenvalues accurate) and to the matrix (ε²·‖A‖_F).
                for q in (p + 1)..<max(p + 1, n)
                where abs(a[p, q]) > max(eps * (abs(a[p, p]) * abs(a[q, q])).squareRoot(), eps * eps * total.squareRoot()) {
                    rotated = true
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
            if !rotated {
                sweeps -= 1
                break
            }
        }
        return ((0..<n).map { a[$0, $0] }, v, sweeps)
    }

    /// Unit 2-norm, with the first significant entry real and positive.
    static func normalized(_ v: [Complex]) -> [Complex] {
        let norm = v.reduce(0.0) { hypot($0, $1.magnitude) }
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
        guard n > 0 else { return Matrix.identity(m.rows) }
        var result = m
        for _ in 1..<n { result = result.times(m) }
        return result
    }

    /// ‖M‖₂ = σ_max(M) = √(largest eigenvalue of MᵀM). σ_max keeps full relative precision this
    /// way (only tiny singular values would not): MᵀM is reduced to tridiagonal form by
    /// Householder reflections, and its largest eigenvalue found by bisection on Sturm counts.
    public static func spectralNorm(_ m: Matrix) -> Double {
        if m.rows == 1 || m.cols == 1 { return m.values.reduce(0.0) { hypot($0, $1) } }
        let g = m.rows >= m.cols ? m.transposed.times(m) : m.times(m.transposed)
        return max(0, largestSymmetricEigenvalue(g)).squareRoot()
    }

    /// The largest eigenvalue of a symmetric matrix: Householder tridiagonalization, then
    /// bisection with Sturm sequence counts (the number of eigenvalues below x is the number of
    /// negative pivots of T − xI), to the last bit the bracket allows.
    static func largestSymmetricEigenvalue(_ s: Matrix) -> Double {
        let n = s.rows
        var a = s.values
        var d = [Double](repeating: 0, count: n), e = [Double](repeating: 0, count: n)
        // A ← P·A·P with P = I − τ·v·vᵀ zeroing column k below the subdiagonal:
        // p = τ·A·v, w = p − (τ/2)(pᵀv)·v, A ← A − v·wᵀ − w·vᵀ (trailing block only).
        for k in 0..<max(0, n - 2) {
            var norm = 0.0
            for r in (k + 1)..<n { norm = hypot(norm, a[r * n + k]) }
            if norm == 0 { continue }
            let x0 = a[(k + 1) * n + k]
            let beta = x0 >= 0 ? -norm : norm
            var v = [Double](repeating: 0, count: n)
            v[k + 1] = 1
            for r in (k + 2)..<n { v[r] = a[r * n + k] / (x0 - beta) }
            let tau = (beta - x0) / beta
            var p = [Double](repeating: 0, count: n)
            for r in (k + 1)..<n {
                var sum = 0.0
                for c in (k + 1)..<n { sum += a[r * n + c] * v[c] }
                p[r] = tau * sum
            }
            var pv = 0.0
            for r in (k + 1)..<n { pv += p[r] * v[r] }
            let half = tau * pv / 2
            for r in (k + 1)..<n { p[r] -= half * v[r] }
            for r in (k + 1)..<n {
                for c in (k + 1)..<n { a[r * n + c] -= v[r] * p[c] + p[r] * v[c] }
            }
            a[(k + 1) * n + k] = beta
            a[k * n + k + 1] = beta
            for r in (k + 2)..<n {
                a[r * n + k] = 0
                a[k * n + r] = 0
            }
        }
        for k in 0..<n {
            d[k] = a[k * n + k]
            if k + 1 < n { e[k] = a[(k + 1) * n + k] }
        }
        // Gershgorin bounds on the spectrum.
        var lo = Double.infinity, hi = -Double.infinity
        for k in 0..<n {
            let r = (k > 0 ? abs(e[k - 1]) : 0) + (k + 1 < n ? abs(e[k]) : 0)
            lo = min(lo, d[k] - r)
            hi = max(hi, d[k] + r)
        }
        guard lo.isFinite && hi.isFinite else { return hi }
        // Eigenvalues of T below x: negative pivots of the LDLᵀ factorization of T − xI.
        func below(_ x: Double) -> Int {
            var count = 0
            var q = d[0] - x
            if q < 0 { count += 1 }
            for k in 1..<max(1, n) {
                let prev = q == 0 ? Double.leastNonzeroMagnitude : q
                q = d[k] - x - e[k - 1] * e[k - 1] / prev
                if q < 0 { count += 1 }
            }
            return count
        }
        // The largest eigenvalue is the x where the count reaches n.
        for _ in 0..<2200 {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if below(mid) == n { hi = mid } else { lo = mid }
        }
        return hi
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
