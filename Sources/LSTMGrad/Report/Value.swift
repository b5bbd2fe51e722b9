/// A printable value: a scalar, a vector or a matrix.
public enum Value: Sendable, Equatable {
    case scalar(Double)
    case vector(Vector)
    case matrix(Matrix)

    /// All numbers, row-major.
    public var numbers: [Double] {
        switch self {
        case .scalar(let x): return [x]
        case .vector(let v): return v.values
        case .matrix(let m): return m.values
        }
    }

    /// The same shape with other numbers.
    public func replacingNumbers(_ numbers: [Double]) -> Value {
        switch self {
        case .scalar: return .scalar(numbers[0])
        case .vector: return .vector(Vector(numbers))
        case .matrix(let m): return .matrix(Matrix(rows: m.rows, cols: m.cols, values: numbers))
        }
    }
}

extension Value {
    /// The numbers as a vector (a matrix row-major).
    public var vector: Vector { Vector(numbers) }

    /// The value as a matrix (a scalar is 1×1, a vector a column).
    public var matrix: Matrix {
        switch self {
        case .scalar(let x): return Matrix(rows: 1, cols: 1, values: [x])
        case .vector(let v): return Matrix(rows: v.count, cols: 1, values: v.values)
        case .matrix(let m): return m
        }
    }

    /// Every number rounded to `decimals` places as a hand calculation does: half away from
    /// zero, or cut off (`truncating`). A decimal tie is a tie even when the binary value lies a
    /// hair below it (−0.003155 rounds to −0.00316).
    public func rounded(decimals: Int, truncating: Bool = false) -> Value {
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let rule: FloatingPointRoundingRule = truncating ? .towardZero : .toNearestOrAwayFromZero
        return replacingNumbers(numbers.map { ($0 * scale * (1 + 1e-12)).rounded(rule) / scale })
    }
}
