#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A complex number, for eigenvalues of non-symmetric matrices.
public struct Complex: Sendable, Equatable {
    public var re: Double
    public var im: Double

    public init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }

    public static let zero = Complex(0)
    public static let one = Complex(1)

    public var magnitude: Double { hypot(re, im) }
    public var conjugate: Complex { Complex(re, -im) }
    public var isReal: Bool { im == 0 }

    public static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    public static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    public static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }
    public static func * (a: Complex, b: Complex) -> Complex {
        Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re)
    }
    public static func * (s: Double, a: Complex) -> Complex { Complex(s * a.re, s * a.im) }
    public static func / (a: Complex, b: Complex) -> Complex {
        // Smith's algorithm: no overflow for large |b|.
        if abs(b.re) >= abs(b.im) {
            let r = b.im / b.re, d = b.re + b.im * r
            return Complex((a.re + a.im * r) / d, (a.im - a.re * r) / d)
        }
        let r = b.re / b.im, d = b.re * r + b.im
        return Complex((a.re * r + a.im) / d, (a.im * r - a.re) / d)
    }
    public static func += (a: inout Complex, b: Complex) { a = a + b }
    public static func -= (a: inout Complex, b: Complex) { a = a - b }

    /// The principal square root.
    public var squareRoot: Complex {
        let m = magnitude
        if m == 0 { return .zero }
        let r = ((m + abs(re)) / 2).squareRoot()
        if re >= 0 { return Complex(r, im / (2 * r)) }
        return Complex(abs(im) / (2 * r), im >= 0 ? r : -r)
    }

    /// zⁿ by repeated squaring.
    public func power(_ n: Int) -> Complex {
        var result = Complex.one, base = self, k = n
        while k > 0 {
            if k & 1 == 1 { result = result * base }
            base = base * base
            k >>= 1
        }
        return result
    }
}

/// A dense complex matrix, row-major (eigenvectors of non-symmetric matrices).
public struct ComplexMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public var values: [Complex]

    public init(zeros rows: Int, _ cols: Int) {
        self.rows = rows
        self.cols = cols
        values = [Complex](repeating: .zero, count: rows * cols)
    }

    public init(_ m: Matrix) {
        self.rows = m.rows
        self.cols = m.cols
        values = m.values.map { Complex($0) }
    }

    public subscript(r: Int, c: Int) -> Complex {
        get { values[r * cols + c] }
        set { values[r * cols + c] = newValue }
    }

    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(zeros: n, n)
        for k in 0..<n { m[k, k] = .one }
        return m
    }

    public func times(_ n: ComplexMatrix) -> ComplexMatrix {
        var out = ComplexMatrix(zeros: rows, n.cols)
        for r in 0..<rows {
            for k in 0..<cols {
                let a = self[r, k]
                for c in 0..<n.cols { out[r, c] += a * n[k, c] }
            }
        }
        return out
    }

    /// The real parts (the imaginary parts of a real matrix's QΛⁿQ⁻¹ vanish up to rounding).
    public var real: Matrix { Matrix(rows: rows, cols: cols, values: values.map(\.re)) }
    public var imaginary: Matrix { Matrix(rows: rows, cols: cols, values: values.map(\.im)) }
    public var isReal: Bool { values.allSatisfy(\.isReal) }

    /// The inverse by Gauss–Jordan elimination with partial pivoting; nil when singular.
    public var inverse: ComplexMatrix? {
        precondition(rows == cols, "inverse of a non-square matrix")
        let n = rows
        var a = self
        var inv = ComplexMatrix.identity(n)
        let scale = values.map(\.magnitude).max() ?? 0
        for col in 0..<n {
            var pivot = col
            for r in col..<n where a[r, col].magnitude > a[pivot, col].magnitude { pivot = r }
            if a[pivot, col].magnitude <= 1e-13 * max(scale, 1e-300) { return nil }
            if pivot != col {
                for c in 0..<n {
                    (a[col, c], a[pivot, c]) = (a[pivot, c], a[col, c])
                    (inv[col, c], inv[pivot, c]) = (inv[pivot, c], inv[col, c])
                }
            }
            let p = a[col, col]
            for c in 0..<n {
                a[col, c] = a[col, c] / p
                inv[col, c] = inv[col, c] / p
            }
            for r in 0..<n where r != col {
                let f = a[r, col]
                if f == .zero { continue }
                for c in 0..<n {
                    a[r, c] -= f * a[col, c]
                    inv[r, c] -= f * inv[col, c]
                }
            }
        }
        return inv
    }
}
