/// A dense matrix: `rows × cols` doubles in one row-major array.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var values: [Double]

    public init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "Matrix: \(values.count) values for \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    public init(zeros rows: Int, _ cols: Int) {
        self.init(rows: rows, cols: cols, values: [Double](repeating: 0, count: rows * cols))
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(zeros: n, n)
        for k in 0..<n { m[k, k] = 1 }
        return m
    }

    /// A matrix from nested rows (all of one length).
    public init(_ rowArrays: [[Double]]) {
        let cols = rowArrays.first?.count ?? 0
        self.init(rows: rowArrays.count, cols: cols, values: rowArrays.flatMap { $0 })
    }

    public subscript(r: Int, c: Int) -> Double {
        get { values[r * cols + c] }
        set { values[r * cols + c] = newValue }
    }

    public func row(_ r: Int) -> [Double] { Array(values[(r * cols)..<((r + 1) * cols)]) }
    public var rowArrays: [[Double]] { (0..<rows).map(row) }

    public var transposed: Matrix {
        var t = Matrix(zeros: cols, rows)
        for r in 0..<rows { for c in 0..<cols { t[c, r] = self[r, c] } }
        return t
    }

    /// M·v, shape (rows) from (cols).
    public func times(_ v: Vector) -> Vector {
        precondition(v.count == cols, "M·v: \(rows)×\(cols) with \(v.count)")
        var out = [Double](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = 0.0
            let base = r * cols
            for c in 0..<cols { s += values[base + c] * v.values[c] }
            out[r] = s
        }
        return Vector(out)
    }

    /// Mᵀ·v, shape (cols) from (rows).
    public func transposedTimes(_ v: Vector) -> Vector {
        precondition(v.count == rows, "Mᵀ·v: \(rows)×\(cols) with \(v.count)")
        var out = [Double](repeating: 0, count: cols)
        for r in 0..<rows {
            let vr = v.values[r]
            let base = r * cols
            for c in 0..<cols { out[c] += values[base + c] * vr }
        }
        return Vector(out)
    }

    /// M·N.
    public func times(_ n: Matrix) -> Matrix {
        precondition(cols == n.rows, "M·N: \(rows)×\(cols) with \(n.rows)×\(n.cols)")
        var out = Matrix(zeros: rows, n.cols)
        for r in 0..<rows {
            for k in 0..<cols {
                let a = self[r, k]
                if a == 0 { continue }
                for c in 0..<n.cols { out.values[r * n.cols + c] += a * n.values[k * n.cols + c] }
            }
        }
        return out
    }

    /// The outer product u ⊗ v = u·vᵀ.
    public static func outer(_ u: Vector, _ v: Vector) -> Matrix {
        var m = Matrix(zeros: u.count, v.count)
        m.addOuter(u, v)
        return m
    }

    /// M += u ⊗ v.
    public mutating func addOuter(_ u: Vector, _ v: Vector) {
        precondition(u.count == rows && v.count == cols, "addOuter shape")
        for r in 0..<rows {
            let ur = u.values[r]
            for c in 0..<cols { values[r * cols + c] += ur * v.values[c] }
        }
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "M+N shape")
        var out = a
        for k in 0..<out.values.count { out.values[k] += b.values[k] }
        return out
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix { a + (-1.0) * b }

    public static func * (s: Double, m: Matrix) -> Matrix {
        Matrix(rows: m.rows, cols: m.cols, values: m.values.map { s * $0 })
    }

    /// Rows stacked vertically: all blocks share `cols`.
    public static func stack(_ blocks: [Matrix]) -> Matrix {
        let cols = blocks.first?.cols ?? 0
        return Matrix(rows: blocks.reduce(0) { $0 + $1.rows }, cols: cols, values: blocks.flatMap(\.values))
    }

    /// The Frobenius norm.
    public var frobeniusNorm: Double { values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}
