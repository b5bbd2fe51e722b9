/// A column vector of doubles, stored contiguously.
public struct Vector: Equatable, Sendable {
    public var values: [Double]

    public init(_ values: [Double]) { self.values = values }
    public init(zeros count: Int) { values = [Double](repeating: 0, count: count) }

    public var count: Int { values.count }

    public subscript(index: Int) -> Double {
        get { values[index] }
        set { values[index] = newValue }
    }

    /// Applies `body` to every entry.
    public func map(_ body: (Double) -> Double) -> Vector { Vector(values.map(body)) }

    /// Σ_k v_k w_k
    public func dot(_ other: Vector) -> Double {
        precondition(count == other.count, "dot: \(count) vs \(other.count)")
        var sum = 0.0
        for k in 0..<count { sum += values[k] * other.values[k] }
        return sum
    }

    /// The Euclidean norm ‖v‖₂.
    public var norm: Double { dot(self).squareRoot() }

    public var sum: Double { values.reduce(0, +) }

    static func zip(_ a: Vector, _ b: Vector, _ op: (Double, Double) -> Double) -> Vector {
        precondition(a.count == b.count, "elementwise: \(a.count) vs \(b.count)")
        var out = a.values
        for k in 0..<out.count { out[k] = op(out[k], b.values[k]) }
        return Vector(out)
    }

    public static func + (a: Vector, b: Vector) -> Vector { zip(a, b, +) }
    public static func - (a: Vector, b: Vector) -> Vector { zip(a, b, -) }
    /// Hadamard product a ⊙ b.
    public static func * (a: Vector, b: Vector) -> Vector { zip(a, b, *) }
    public static func * (s: Double, v: Vector) -> Vector { v.map { s * $0 } }
    public static func += (a: inout Vector, b: Vector) { a = a + b }
    public static prefix func - (v: Vector) -> Vector { v.map { -$0 } }
}

/// 1 − v, elementwise.
public func oneMinus(_ v: Vector) -> Vector { v.map { 1 - $0 } }
