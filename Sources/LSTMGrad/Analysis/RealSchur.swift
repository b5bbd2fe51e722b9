/// The real Schur form of a real square matrix, A = D·Z·T·Zᵀ·D⁻¹:
/// - D is diagonal with powers of two (balancing, exact in binary floating point);
/// - Z is orthogonal (Householder reduction to Hessenberg form, then Francis double-shift QR);
/// - T is quasi-upper-triangular: 1×1 blocks carry the real eigenvalues, 2×2 blocks
///   [[a, b], [c, a]] with b·c < 0 carry the complex pairs a ± i·√(−b·c), which are therefore
///   conjugate to the last bit.
///
/// Nothing is averaged or rounded towards a neighbour: each eigenvalue is read off its own block.
public struct RealSchur: Sendable {
    public var t: Matrix
    public var z: Matrix
    /// The diagonal of D.
    public var scaling: [Double]
    /// Eigenvalues in T's diagonal order; a complex pair as λ (positive imaginary part), λ̄.
    public var eigenvalues: [Complex]
    /// Where each eigenvalue's block starts on T's diagonal, and whether it is a 2×2 block.
    public var blocks: [(start: Int, size: Int)]
    /// Francis double-shift sweeps used.
    public var sweeps: Int

    static let eps = Double.ulpOfOne
    static let safeMin = Double.leastNormalMagnitude

    public init(_ a: Matrix) throws(Eigen.Failure) {
        let n = a.rows
        let (balanced, d) = RealSchur.balanced(a)
        scaling = d
        var h = balanced
        var z = RealSchur.hessenberg(&h)
        sweeps = try RealSchur.francis(&h, &z)
        t = h
        self.z = z
        // Read the eigenvalues off the blocks.
        var values: [Complex] = []
        var blocks: [(start: Int, size: Int)] = []
        var k = 0
        while k < n {
            if k + 1 < n && h[k + 1, k] != 0 {
                let re = h[k, k]
                let im = abs(h[k, k + 1]).squareRoot() * abs(h[k + 1, k]).squareRoot()
                values.append(Complex(re, im))
                values.append(Complex(re, -im))
                blocks.append((k, 2))
                blocks.append((k, 2))
                k += 2
            } else {
                values.append(Complex(h[k, k]))
                blocks.append((k, 1))
                k += 1
            }
        }
        eigenvalues = values
        self.blocks = blocks
    }

    // MARK: balancing

    /// B = D⁻¹·A·D with D = diag(2^k_i) chosen so that each row and column of B have comparable
    /// off-diagonal norms (Parlett and Reinsch). Powers of two scale without rounding, so B has
    /// exactly A's eigenvalues; an eigenvector y of B gives the eigenvector D·y of A.
    static func balanced(_ a: Matrix) -> (Matrix, [Double]) {
        let n = a.rows
        var b = a
        var d = [Double](repeating: 1, count: n)
        for _ in 0..<200 {
            var changed = false
            for i in 0..<n {
                var c = 0.0, r = 0.0
                for j in 0..<n where j != i {
                    c += b[j, i] * b[j, i]
                    r += b[i, j] * b[i, j]
                }
                c = c.squareRoot()
                r = r.squareRoot()
                if c == 0 || r == 0 || !c.isFinite || !r.isFinite { continue }
                // The power of two f nearest to √(r/c) balances c·f against r/f.
                let k = max(-400, min(400, Int(((log2(r) - log2(c)) / 2).rounded())))
                if k == 0 { continue }
                let f = Double(sign: .plus, exponent: k, significand: 1)
                // Only when it pays: the sum of the two norms must drop by 5 %.
                if c * f + r / f >= 0.95 * (c + r) { continue }
                d[i] *= f
                for j in 0..<n {
                    b[i, j] /= f
                    b[j, i] *= f
                }
                changed = true
            }
            if !changed { break }
        }
        return (b, d)
    }

    // MARK: Hessenberg reduction

    /// Householder reflections P_k = I − τ·v·vᵀ bring `h` to upper Hessenberg form in place
    /// (zero below the first subdiagonal); returns Z = P_0·P_1⋯ with h_new = Zᵀ·h_old·Z.
    static func hessenberg(_ h: inout Matrix) -> Matrix {
        let n = h.rows
        var z = Matrix.identity(n)
        guard n > 2 else { return z }
        for k in 0..<(n - 2) {
            var norm = 0.0
            for r in (k + 1)..<n { norm = hypot(norm, h[r, k]) }
            if norm == 0 { continue }
            let x0 = h[k + 1, k]
            let beta = x0 >= 0 ? -norm : norm
            // v = (1, x_2/(x_1 − β), …), τ = (β − x_1)/β maps x to (β, 0, …, 0).
            var v = [Double](repeating: 0, count: n)
            v[k + 1] = 1
            for r in (k + 2)..<n { v[r] = h[r, k] / (x0 - beta) }
            let tau = (beta - x0) / beta
            // From the left: rows k+1…n−1.
            for c in k..<n {
                var s = 0.0
                for r in (k + 1)..<n { s += v[r] * h[r, c] }
                s *= tau
                for r in (k + 1)..<n { h[r, c] -= s * v[r] }
            }
            // From the right: columns k+1…n−1.
            for r in 0..<n {
                var s = 0.0
                for c in (k + 1)..<n { s += h[r, c] * v[c] }
                s *= tau
                for c in (k + 1)..<n { h[r, c] -= s * v[c] }
            }
            for r in 0..<n {
                var s = 0.0
                for c in (k + 1)..<n { s += z[r, c] * v[c] }
                s *= tau
                for c in (k + 1)..<n { z[r, c] -= s * v[c] }
            }
            h[k + 1, k] = beta
            for r in (k + 2)..<n { h[r, k] = 0 }
        }
        return z
    }

    // MARK: Francis double-shift QR

    /// Reduces the Hessenberg matrix `h` to real Schur form in place, accumulating the
    /// orthogonal transformations into `z`. Returns the number of double-shift sweeps.
    ///
    /// Each sweep applies the implicit double shift of the trailing 2×2 block's eigenvalues (a
    /// pair of real or complex conjugate shifts, in real arithmetic) by chasing a 3×3 bulge
    /// down the active window; a subdiagonal entry that is negligible next to its diagonal
    /// neighbours is set to zero (deflation), which splits the problem. Every tenth sweep on one
    /// window uses an exceptional shift, to break the rare cycles of the standard one.
    static func francis(_ h: inout Matrix, _ z: inout Matrix) throws(Eigen.Failure) -> Int {
        let n = h.rows
        let small = safeMin * (Double(n) / eps)
        var hi = n - 1
        var its = 0, sweeps = 0
        let maxSweeps = 40 * max(n, 10) * n
        while hi >= 0 {
            // Find the top l of the active window [l, hi]: h[l, l−1] negligible.
            var l = hi
            while l > 0 {
                let sub = abs(h[l, l - 1])
                if sub <= small { break }
                var near = abs(h[l - 1, l - 1]) + abs(h[l, l])
                if near == 0 {
                    if l >= 2 { near += abs(h[l - 1, l - 2]) }
                    if l + 1 <= hi { near += abs(h[l + 1, l]) }
                }
                if sub <= eps * near {
                    // Negligible only if also small against the product of the diagonal
                    // difference and the diagonal (Ahues and Tisseur's test), which keeps
                    // tiny eigenvalues next to large ones accurate.
                    let up = abs(h[l - 1, l])
                    let ab = max(sub, up), ba = min(sub, up)
                    let diff = abs(h[l - 1, l - 1] - h[l, l])
                    let aa = max(abs(h[l, l]), diff), bb = min(abs(h[l, l]), diff)
                    let s = aa + ab
                    if ba * (ab / s) <= max(small, eps * (bb * (aa / s))) { break }
                }
                l -= 1
            }
            if l > 0 { h[l, l - 1] = 0 }
            if l == hi {
                hi -= 1
                its = 0
                continue
            }
            if l == hi - 1 {
                standardize(&h, &z, at: l)
                hi -= 2
                its = 0
                continue
            }
            its += 1
            sweeps += 1
            if sweeps > maxSweeps { throw .noConvergence }
            // The shifts: the eigenvalues of a 2×2 matrix, given by its trace s and determinant p.
            var s: Double, p: Double
            if its % 10 == 0 {
                let w = abs(h[hi, hi - 1]) + abs(h[hi - 1, hi - 2])
                let d = 0.75 * w + h[hi, hi]
                s = 2 * d
                p = d * d + 0.4375 * w * w
            } else {
                let a = h[hi - 1, hi - 1], b = h[hi - 1, hi], c = h[hi, hi - 1], d = h[hi, hi]
                s = a + d
                p = a * d - b * c
            }
            // First column of (H − σ₁I)(H − σ₂I) = H² − s·H + p·I, at rows l, l+1, l+2.
            var x = h[l, l] * h[l, l] + h[l, l + 1] * h[l + 1, l] - s * h[l, l] + p
            var y = h[l + 1, l] * (h[l, l] + h[l + 1, l + 1] - s)
            var w = h[l + 1, l] * h[l + 2, l + 1]
            let scale = abs(x) + abs(y) + abs(w)
            if scale > 0 {
                x /= scale
                y /= scale
                w /= scale
            }
            // Chase the bulge from l down to hi with 3-element reflectors, then one 2-element.
            for k in l...(hi - 1) {
                let count = k < hi - 1 ? 3 : 2
                if k > l {
                    x = h[k, k - 1]
                    y = h[k + 1, k - 1]
                    w = count == 3 ? h[k + 2, k - 1] : 0
                }
                let norm = hypot(hypot(x, y), w)
                if norm == 0 { continue }
                let beta = x >= 0 ? -norm : norm
                let tau = (beta - x) / beta
                let v1 = y / (x - beta), v2 = count == 3 ? w / (x - beta) : 0
                if k > l {
                    h[k, k - 1] = beta
                    h[k + 1, k - 1] = 0
                    if count == 3 { h[k + 2, k - 1] = 0 }
                }
                // From the left, rows k…k+count−1, every column from k on (the full T).
                for c in k..<n {
                    var sum = h[k, c] + v1 * h[k + 1, c]
                    if count == 3 { sum += v2 * h[k + 2, c] }
                    sum *= tau
                    h[k, c] -= sum
                    h[k + 1, c] -= sum * v1
                    if count == 3 { h[k + 2, c] -= sum * v2 }
                }
                // From the right, columns k…k+count−1, rows 0…min(k+3, hi).
                for r in 0...min(k + 3, hi) {
                    var sum = h[r, k] + v1 * h[r, k + 1]
                    if count == 3 { sum += v2 * h[r, k + 2] }
                    sum *= tau
                    h[r, k] -= sum
                    h[r, k + 1] -= sum * v1
                    if count == 3 { h[r, k + 2] -= sum * v2 }
                }
                for r in 0..<n {
                    var sum = z[r, k] + v1 * z[r, k + 1]
                    if count == 3 { sum += v2 * z[r, k + 2] }
                    sum *= tau
                    z[r, k] -= sum
                    z[r, k + 1] -= sum * v1
                    if count == 3 { z[r, k + 2] -= sum * v2 }
                }
            }
        }
        return sweeps
    }

    // MARK: 2×2 blocks

    /// Brings the 2×2 diagonal block at (l, l+1) to standard form by a plane rotation
    /// G = [[c, −s], [s, c]] applied to the whole of T (and to Z):
    /// - real eigenvalues: upper triangular [[λ₁, b − c], [0, λ₂]];
    /// - complex eigenvalues: [[m, b′], [c′, m]] with equal diagonal m and b′·c′ < 0.
    static func standardize(_ h: inout Matrix, _ z: inout Matrix, at l: Int) {
        let (block, cs, sn) = standardBlock(a: h[l, l], b: h[l, l + 1], c: h[l + 1, l], d: h[l + 1, l + 1])
        h[l, l] = block.a
        h[l, l + 1] = block.b
        h[l + 1, l] = block.c
        h[l + 1, l + 1] = block.d
        if cs == 1 && sn == 0 { return }
        let n = h.rows
        // Rows l, l+1 of the columns right of the block: Gᵀ·[row l; row l+1].
        for c in (l + 2)..<max(l + 2, n) {
            let x = h[l, c], y = h[l + 1, c]
            h[l, c] = cs * x + sn * y
            h[l + 1, c] = -sn * x + cs * y
        }
        // Columns l, l+1 of the rows above the block: [col l, col l+1]·G.
        for r in 0..<l {
            let x = h[r, l], y = h[r, l + 1]
            h[r, l] = cs * x + sn * y
            h[r, l + 1] = -sn * x + cs * y
        }
        for r in 0..<n {
            let x = z[r, l], y = z[r, l + 1]
            z[r, l] = cs * x + sn * y
            z[r, l + 1] = -sn * x + cs * y
        }
    }

    /// The standard form of [[a, b], [c, d]] and the rotation (cos θ, sin θ) that gives it:
    /// Gᵀ·B·G with G = [[c, −s], [s, c]]. A rotation leaves the trace, the determinant and the
    /// skew part b − c unchanged; the symmetric part [[α, β], [β, −α]] (α = (a − d)/2,
    /// β = (b + c)/2) turns by 2θ.
    static func standardBlock(a: Double, b: Double, c: Double, d: Double)
        -> (block: (a: Double, b: Double, c: Double, d: Double), cs: Double, sn: Double) {
        if c == 0 { return ((a, b, c, d), 1, 0) }
        if b == 0 {
            // Swap the two rows and columns: [[d, −c], [0, a]].
            return ((d, -c, 0, a), 0, 1)
        }
        let alpha = (a - d) / 2
        let scale = max(abs(alpha), abs(b), abs(c))
        // The discriminant α² + b·c, scaled against overflow: its sign decides real or complex.
        let disc = (alpha / scale) * (alpha / scale) + (b / scale) * (c / scale)
        if disc >= 0 {
            return realBlock(a: a, b: b, c: c, d: d)
        }
        // Equal diagonal already (then b·c = disc·scale² < 0): standard as it stands.
        if alpha == 0 { return ((a, b, c, d), 1, 0) }
        // Complex: turn by θ with (cos 2θ, sin 2θ) = ±(β, −α)/r, r = √(α² + β²), so that the
        // new α is 0 (equal diagonal); the sign keeps cos 2θ ≥ 0, hence cos θ ≥ √½ (stable).
        let beta = (b + c) / 2, skew = (b - c) / 2, mean = a + (d - a) / 2
        let r = hypot(alpha, beta)
        let sign = beta >= 0 ? 1.0 : -1.0
        let cos2 = sign * beta / r, sin2 = -sign * alpha / r
        let cs = ((1 + cos2) / 2).squareRoot()
        let sn = sin2 / (2 * cs)
        let newB = sign * r + skew, newC = sign * r - skew
        if newB * newC < 0 {
            return ((mean, newB, newC, mean), cs, sn)
        }
        // Rounding moved a (nearly) double real eigenvalue across zero discriminant: triangularize
        // the turned block as a real one and compose the two rotations.
        let (block, cs2, sn2) = realBlock(a: mean, b: newB, c: newC, d: mean)
        return (block, cs * cs2 - sn * sn2, sn * cs2 + cs * sn2)
    }

    /// Real eigenvalues: G's first column is the unit eigenvector (λ₁ − d, c) of
    /// λ₁ = d + μ₁, μ₁ = α + sgn(α)·√(α² + b·c) (no cancellation); then λ₂ = d − b·c/μ₁ and
    /// the block is [[λ₁, b − c], [0, λ₂]].
    static func realBlock(a: Double, b: Double, c: Double, d: Double)
        -> (block: (a: Double, b: Double, c: Double, d: Double), cs: Double, sn: Double) {
        if c == 0 { return ((a, b, c, d), 1, 0) }
        if b == 0 { return ((d, -c, 0, a), 0, 1) }
        let alpha = (a - d) / 2
        let scale = max(abs(alpha), abs(b), abs(c))
        let root = scale * max(0, (alpha / scale) * (alpha / scale) + (b / scale) * (c / scale)).squareRoot()
        let mu = alpha + (alpha >= 0 ? root : -root)
        if mu == 0 {
            // α = 0 and b·c = 0 cannot both hold here (b, c ≠ 0); guard anyway.
            return ((a, b, c, d), 1, 0)
        }
        let lambda1 = d + mu
        let lambda2 = d - (b / mu) * c
        let norm = hypot(mu, c)
        return ((lambda1, b - c, 0, lambda2), mu / norm, c / norm)
    }

    // MARK: eigenvectors

    /// The eigenvector of eigenvalue number `index` (in `eigenvalues` order), as a vector of A
    /// (balancing undone), not normalized. Back-substitution on T: (T − λI)·y = 0 with y zero
    /// below the eigenvalue's block; then x = D·Z·y. A pivot T_jj − λ that vanishes (a repeated
    /// eigenvalue) is replaced by ε·‖T‖, as LAPACK's trevc does; the caller checks the result.
    public func eigenvector(_ index: Int) -> [Complex] {
        let n = t.rows
        let lambda = eigenvalues[index]
        let (start, size) = blocks[index]
        var y = [Complex](repeating: .zero, count: n)
        var top: Int
        if size == 1 {
            y[start] = .one
            top = start - 1
        } else {
            // Block [[m, b], [c, m]], λ = m ± iω: (m − λ)·y₀ + b·y₁ = 0 gives y = (1, −i·c/ω) for λ = m + iω.
            let c = t[start + 1, start], omega = abs(lambda.im)
            y[start] = .one
            y[start + 1] = Complex(0, -c / omega)
            if lambda.im < 0 { y[start + 1] = y[start + 1].conjugate }
            top = start - 1
        }
        let tNorm = t.values.map(abs).max() ?? 0
        let floor = max(RealSchur.eps * tNorm, RealSchur.safeMin * Double(n) / RealSchur.eps)
        var j = top
        while j >= 0 {
            func rhs(_ row: Int) -> Complex {
                var s = Complex.zero
                for c in (j + 1)..<n where y[c] != .zero { s += t[row, c] * y[c] }
                return s
            }
            if j >= 1 && t[j, j - 1] != 0 {
                // A 2×2 block at (j−1, j): solve [[p, q], [r, s]]·(y_{j−1}, y_j) = −(rhs).
                let f0 = -rhs(j - 1), f1 = -rhs(j)
                let p = Complex(t[j - 1, j - 1]) - lambda, q = Complex(t[j - 1, j])
                let r = Complex(t[j, j - 1]), s = Complex(t[j, j]) - lambda
                var det = p * s - q * r
                if det.magnitude < floor * floor { det = Complex(floor * floor) }
                y[j - 1] = (f0 * s - q * f1) / det
                y[j] = (p * f1 - r * f0) / det
                j -= 2
            } else {
                var pivot = Complex(t[j, j]) - lambda
                if pivot.magnitude < floor { pivot = Complex(floor) }
                y[j] = -rhs(j) / pivot
                j -= 1
            }
            // Keep the entries representable: rescale when they grow large.
            let big = y.map(\.magnitude).max() ?? 0
            if big > 1e100 { y = y.map { (1 / big) * $0 } }
        }
        var x = [Complex](repeating: .zero, count: n)
        for r in 0..<n {
            var s = Complex.zero
            for c in 0..<n where y[c] != .zero { s += z[r, c] * y[c] }
            x[r] = scaling[r] * s
        }
        return x
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
