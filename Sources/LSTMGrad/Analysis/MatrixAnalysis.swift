/// Seed 004, exercise 2(c): the eigendecomposition of W and Wⁿ two ways.
public struct MatrixAnalysis: Sendable {
    public var matrix: Matrix
    public var power: Int
    public var eigen: EigenDecomposition
    /// Wⁿ by repeated multiplication (always available).
    public var byMultiplication: Matrix
    /// QΛⁿQ⁻¹ (nil when W is defective).
    public var byEigen: ComplexMatrix?
    /// max |QΛQ⁻¹ − W| (nil when defective).
    public var reconstructionError: Double?

    public init(_ m: Matrix, power n: Int) throws(Eigen.Failure) {
        matrix = m
        power = n
        eigen = try Eigen.decompose(m)
        byMultiplication = Eigen.power(m, n)
        byEigen = eigen.power(n)
        reconstructionError = eigen.power(1).map { r in
            zip(r.values, m.values).map { ($0 - Complex($1)).magnitude }.max() ?? 0
        }
    }

    /// Whether every printed number is finite (huge entries or powers overflow a double).
    public var isFinite: Bool {
        func ok(_ z: Complex) -> Bool { z.re.isFinite && z.im.isFinite }
        return eigen.eigenvalues.allSatisfy(ok) && byMultiplication.values.allSatisfy(\.isFinite)
            && (eigen.vectors?.values.allSatisfy(ok) ?? true) && (eigen.inverseVectors?.values.allSatisfy(ok) ?? true)
            && (byEigen?.values.allSatisfy(ok) ?? true)
    }

    /// max |QΛⁿQ⁻¹ − Wⁿ (multiplied)|.
    public var powerDifference: Double? {
        byEigen.map { e in zip(e.values, byMultiplication.values).map { ($0 - Complex($1)).magnitude }.max() ?? 0 }
    }

    /// What ρ(W) says about Wⁿ as n grows.
    public var verdict: String {
        let rho = eigen.spectralRadius
        let r = fixed(rho, 6)
        if abs(rho - 1) <= 1e-12 {
            if eigen.isDefective {
                return "ρ(W) = \(r) = 1 and W is defective: Wⁿ grows polynomially (like n^(k−1) for a k×k Jordan block)"
            }
            return "ρ(W) = \(r) = 1: the |λ| = 1 components of Wⁿ neither vanish nor explode (if every λ = 1 and W is diagonalizable, then W = I and Wⁿ = I)"
        }
        if rho < 1 {
            return "ρ(W) = \(r) < 1: every |λ| < 1, so Wⁿ → 0 like \(r)ⁿ; gradients through n steps vanish"
        }
        return "ρ(W) = \(r) > 1: Wⁿ grows like \(r)ⁿ along the eigenvector of the largest |λ|; gradients through n steps explode"
    }
}

/// x with `decimals` fixed decimals.
func fixed(_ x: Double, _ decimals: Int) -> String {
    var b = OutputBuffer()
    b.writeFixed(x, decimals: decimals)
    return b.text
}

/// x as d.ddd·10^e, e.g. "1.2e-16" (for errors and norms spanning many orders).
public func scientific(_ x: Double, digits: Int = 3) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
    if x == 0 { return "0" }
    var e = 0
    var m = abs(x)
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    var s = fixed(m, digits - 1)
    if s.hasPrefix("10") {
        e += 1
        s = fixed(m / 10, digits - 1)
    }
    return (x < 0 ? "-" : "") + s + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + String(abs(e))
}

/// a + bi with fixed decimals ("0.500000 − 0.300000i"; real numbers without the i part).
func complexText(_ z: Complex, _ decimals: Int) -> String {
    if z.im == 0 { return fixed(z.re, decimals) }
    return fixed(z.re, decimals) + (z.im < 0 ? " − " : " + ") + fixed(abs(z.im), decimals) + "i"
}
