/// The singular values of a complex n×n matrix M and its right singular vectors, by one-sided
/// Jacobi rotations (Hestenes): the columns of M·V are made mutually orthogonal by plane
/// rotations; then σ_j = ‖(M·V)_j‖ and V holds the right singular vectors.
///
/// Used for numerical rank: the rank of M at tolerance δ counts σ_j > δ, and the columns of V
/// whose σ_j ≤ δ span the numerical null space. One-sided Jacobi computes small singular values
/// to high relative accuracy, which is what a rank decision needs.
public struct SingularValues: Sendable {
    /// σ_1 ≥ σ_2 ≥ … ≥ σ_n ≥ 0.
    public var values: [Double]
    /// Column j is the right singular vector of σ_j (n×n, unitary).
    public var vectors: ComplexMatrix

    public init(_ m: ComplexMatrix) {
        let rows = m.rows, n = m.cols
        var a = m
        var v = ComplexMatrix.identity(n)
        let eps = Double.ulpOfOne
        // Sweeps until every pair of columns is orthogonal to working precision; quadratic
        // convergence makes 10 sweeps rare and 60 unreachable for finite input.
        for _ in 0..<60 {
            var rotated = false
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) {
                    // Gram entries: α = ‖a_p‖², β = ‖a_q‖², γ = a_pᴴ·a_q.
                    var alpha = 0.0, beta = 0.0
                    var gamma = Complex.zero
                    for r in 0..<rows {
                        let x = a[r, p], y = a[r, q]
                        alpha += x.re * x.re + x.im * x.im
                        beta += y.re * y.re + y.im * y.im
                        gamma += x.conjugate * y
                    }
                    let g = gamma.magnitude
                    if g == 0 || g <= eps * (alpha * beta).squareRoot() { continue }
                    rotated = true
                    // With γ = |γ|·e^{iφ}, D = diag(1, e^{−iφ}) makes the Gram matrix real:
                    // [[α, |γ|], [|γ|, β]]; the real rotation [[c, s], [−s, c]] with
                    // ζ = (β − α)/2|γ|, t = sgn ζ/(|ζ| + √(1 + ζ²)) diagonalizes it.
                    let zeta = (beta - alpha) / (2 * g)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot(), s = c * t
                    let phase = Complex(gamma.re / g, -gamma.im / g)  // e^{−iφ}
                    // [a_p, a_q] ← [a_p, a_q]·D·R: a_p' = c·a_p − s·e^{−iφ}·a_q, a_q' = s·a_p + c·e^{−iφ}·a_q
                    for r in 0..<rows {
                        let x = a[r, p], y = phase * a[r, q]
                        a[r, p] = c * x - s * y
                        a[r, q] = s * x + c * y
                    }
                    for r in 0..<n {
                        let x = v[r, p], y = phase * v[r, q]
                        v[r, p] = c * x - s * y
                        v[r, q] = s * x + c * y
                    }
                }
            }
            if !rotated { break }
        }
        var sigma = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var s = 0.0
            for r in 0..<rows { s += a[r, j].re * a[r, j].re + a[r, j].im * a[r, j].im }
            sigma[j] = s.squareRoot()
        }
        // Descending; ties keep column order (deterministic).
        let order = (0..<n).sorted { sigma[$0] != sigma[$1] ? sigma[$0] > sigma[$1] : $0 < $1 }
        values = order.map { sigma[$0] }
        var sorted = ComplexMatrix(zeros: n, n)
        for (k, j) in order.enumerated() { for r in 0..<n { sorted[r, k] = v[r, j] } }
        vectors = sorted
    }

    public init(_ m: Matrix) { self.init(ComplexMatrix(m)) }

    /// How many σ_j exceed δ.
    public func rank(tolerance delta: Double) -> Int { values.filter { $0 > delta }.count }

    /// The right singular vectors of the σ_j ≤ δ: an orthonormal basis of the numerical null space.
    public func nullSpace(tolerance delta: Double) -> [[Complex]] {
        let n = vectors.cols
        return (0..<n).filter { values[$0] <= delta }.map { j in (0..<n).map { vectors[$0, j] } }
    }
}
