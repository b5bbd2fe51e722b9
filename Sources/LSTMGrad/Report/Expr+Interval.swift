#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An expression evaluated over intervals: each leaf is the set of values it may stand for (a
/// student's number within its written digits), and the result encloses every value the
/// equation can take for any choice of those. `check` uses it to judge "carried forward"
/// whatever the student rounded or kept on the calculator. The arithmetic is `Expr.evaluate`'s,
/// node by node, on `Interval`s; an operand read twice (a ⊙ (1 − a²)) makes the enclosure a
/// little wider than the exact range, never narrower.
extension Expr {
    public func evaluateIntervals(_ lookup: (QuantityName) -> IntervalValue?) throws(MissingOperand) -> IntervalValue {
        switch self {
        case .ref(let name):
            guard let v = lookup(name) else { throw MissingOperand(name: name) }
            return v
        case .number(let x):
            return IntervalValue(point: .scalar(x))
        case .sum(let terms):
            var acc = try terms[0].evaluateIntervals(lookup)
            for term in terms.dropFirst() { acc = IntervalValue.elementwise(acc, try term.evaluateIntervals(lookup), +) }
            return acc
        case .difference(let a, let b):
            return IntervalValue.elementwise(try a.evaluateIntervals(lookup), try b.evaluateIntervals(lookup), -)
        case .hadamard(let factors):
            var acc = try factors[0].evaluateIntervals(lookup)
            for f in factors.dropFirst() { acc = IntervalValue.elementwise(acc, try f.evaluateIntervals(lookup), *) }
            return acc
        case .scaled(let factors):
            var s = Interval(point: 1)
            for f in factors.dropLast() { s = s * (try f.evaluateIntervals(lookup).entries[0]) }
            let v = try factors[factors.count - 1].evaluateIntervals(lookup)
            return v.replacingEntries(v.entries.map { s * $0 })
        case .matVec(let m, let v):
            let mv = try m.evaluateIntervals(lookup), x = try v.evaluateIntervals(lookup)
            let shape = mv.shape.matrix
            return Self.vector((0..<shape.rows).map { r in
                Self.dot((0..<shape.cols).map { mv.entries[r * shape.cols + $0] }, x.entries)
            })
        case .transposedMatVec(let m, let v):
            let mv = try m.evaluateIntervals(lookup), x = try v.evaluateIntervals(lookup)
            let shape = mv.shape.matrix
            return Self.vector((0..<shape.cols).map { c in
                Self.dot((0..<shape.rows).map { mv.entries[$0 * shape.cols + c] }, x.entries)
            })
        case .outer(let u, let v):
            let a = try u.evaluateIntervals(lookup).entries, b = try v.evaluateIntervals(lookup).entries
            let entries = a.flatMap { x in b.map { x * $0 } }
            return IntervalValue(shape: .matrix(Matrix(rows: a.count, cols: b.count, values: entries.map(\.mid))), entries: entries)
        case .dot(let u, let v):
            let d = Self.dot(try u.evaluateIntervals(lookup).entries, try v.evaluateIntervals(lookup).entries)
            return IntervalValue(shape: .scalar(d.mid), entries: [d])
        case .function(let f, let e):
            let v = try e.evaluateIntervals(lookup)
            switch f {
            case .tanh: return v.replacingEntries(v.entries.map { $0.monotone(Activation.tanh.apply) })
            case .sigmoid: return v.replacingEntries(v.entries.map { $0.monotone(Activation.sigmoid.apply) })
            case .relu: return v.replacingEntries(v.entries.map { $0.monotone(Activation.relu.apply) })
            case .reluDerivative: return v.replacingEntries(v.entries.map { $0.monotone { $0 > 0 ? 1 : 0 } })
            case .softmax: return Self.vector(Self.softmax(v.entries))
            // sign is non-decreasing, so its bounds are those of the ends.
            case .sign: return v.replacingEntries(v.entries.map { $0.monotone { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } })
            }
        case .square(let e):
            let v = try e.evaluateIntervals(lookup)
            return v.replacingEntries(v.entries.map(\.squared))
        case .clamp(let e, let m):
            // clamp(x, −m, m) is non-decreasing as well.
            let v = try e.evaluateIntervals(lookup)
            return v.replacingEntries(v.entries.map { $0.monotone { Swift.min(Swift.max($0, -m), m) } })
        case .part(let e, let offset, let count):
            return Self.vector(Array(try e.evaluateIntervals(lookup).entries[offset..<offset + count]))
        case .stack(let parts):
            var entries: [Interval] = []
            for p in parts { entries += try p.evaluateIntervals(lookup).entries }
            return Self.vector(entries)
        }
    }

    static func vector(_ entries: [Interval]) -> IntervalValue {
        IntervalValue(shape: .vector(Vector(entries.map(\.mid))), entries: entries)
    }

    static func dot(_ a: [Interval], _ b: [Interval]) -> Interval {
        var s = Interval(point: 0)
        for k in a.indices { s = s + a[k] * b[k] }
        return s
    }

    /// softmax_k is increasing in z_k and decreasing in every other entry, so its bounds take
    /// z_k at one end and the others at the opposite end (shifted by the largest bound for
    /// stability, as `softmax` is).
    static func softmax(_ z: [Interval]) -> [Interval] {
        let shift = z.map(\.hi).max() ?? 0
        let lo = z.map { exp($0.lo - shift) }, hi = z.map { exp($0.hi - shift) }
        let sumLo = lo.reduce(0, +), sumHi = hi.reduce(0, +)
        return z.indices.map { k in
            Interval(lo[k] / (lo[k] + sumHi - hi[k]), hi[k] / (hi[k] + sumLo - lo[k]))
        }
    }
}
