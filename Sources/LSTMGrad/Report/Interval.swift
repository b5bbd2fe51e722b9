/// A closed interval [lo, hi] of reals: every value a written number may stand for (0.01803 is
/// [0.018025, 0.018035]), carried through an equation by interval arithmetic so that `check`
/// can ask "could these rounded operands have given this answer?" without guessing how the
/// student rounded.
public struct Interval: Sendable, Equatable {
    public var lo: Double
    public var hi: Double

    public init(_ lo: Double, _ hi: Double) {
        self.lo = min(lo, hi)
        self.hi = max(lo, hi)
    }

    public init(point x: Double) { self.init(x, x) }

    /// x ± r
    public init(_ x: Double, radius r: Double) { self.init(x - r, x + r) }

    public var mid: Double { (lo + hi) / 2 }
    public var radius: Double { (hi - lo) / 2 }

    public func contains(_ x: Double) -> Bool { lo <= x && x <= hi }

    /// The interval grown by `r` on each side.
    public func widened(by r: Double) -> Interval { Interval(lo - r, hi + r) }

    public static func + (a: Interval, b: Interval) -> Interval { Interval(a.lo + b.lo, a.hi + b.hi) }
    public static func - (a: Interval, b: Interval) -> Interval { Interval(a.lo - b.hi, a.hi - b.lo) }
    public static prefix func - (a: Interval) -> Interval { Interval(-a.hi, -a.lo) }

    public static func * (a: Interval, b: Interval) -> Interval {
        let p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        return Interval(p.min()!, p.max()!)
    }

    /// f over the interval for a non-decreasing f (tanh, σ, relu).
    public func monotone(_ f: (Double) -> Double) -> Interval { Interval(f(lo), f(hi)) }

    /// x² over the interval (0 when it straddles 0).
    public var squared: Interval {
        if lo >= 0 { return Interval(lo * lo, hi * hi) }
        if hi <= 0 { return Interval(hi * hi, lo * lo) }
        return Interval(0, max(lo * lo, hi * hi))
    }
}

/// A value whose every number is an interval, in the shape of a `Value`.
public struct IntervalValue: Sendable, Equatable {
    /// The shape: a Value whose numbers are the midpoints.
    public var shape: Value
    public var entries: [Interval]

    public init(shape: Value, entries: [Interval]) {
        self.shape = shape
        self.entries = entries
    }

    /// Every number as an exact point.
    public init(point v: Value) {
        shape = v
        entries = v.numbers.map { Interval(point: $0) }
    }

    public func replacingEntries(_ e: [Interval]) -> IntervalValue {
        IntervalValue(shape: shape.replacingNumbers(e.map(\.mid)), entries: e)
    }

    /// Entry by entry; a single entry meets every entry of the other (as `Value.elementwise`).
    static func elementwise(_ a: IntervalValue, _ b: IntervalValue, _ op: (Interval, Interval) -> Interval) -> IntervalValue {
        let x = a.entries, y = b.entries
        if x.count == y.count {
            let out = (0..<x.count).map { op(x[$0], y[$0]) }
            if case .scalar = a.shape { return b.replacingEntries(out) }
            return a.replacingEntries(out)
        }
        if x.count == 1 { return b.replacingEntries(y.map { op(x[0], $0) }) }
        precondition(y.count == 1, "shapes differ: \(x.count) and \(y.count) numbers")
        return a.replacingEntries(x.map { op($0, y[0]) })
    }
}
