/// The right-hand side of an equation, as data (micrograd's idea: each node knows its operation
/// and its operands). Leaves name other quantities; evaluating the tree with a lookup gives the
/// value in the reference pass, with a student's numbers gives the carried-forward value, and an
/// edited tree gives a classic mistake. `Expr+Rendering.swift` prints it in symbols or numbers.
public indirect enum Expr: Sendable, Equatable {
    /// Another quantity (a parameter, an input, a value computed before).
    case ref(QuantityName)
    /// A constant written into the equation (1 in 1 − f, the 2 of ‖·‖², 1/T).
    case number(Double)
    /// a + b + …
    case sum([Expr])
    /// a − b
    case difference(Expr, Expr)
    /// a ⊙ b ⊙ … (elementwise; a scalar factor multiplies every entry)
    case hadamard([Expr])
    /// s·t·…·v: scalar factors, then the value they scale.
    case scaled([Expr])
    /// M·v
    case matVec(Expr, Expr)
    /// Mᵀ·v
    case transposedMatVec(Expr, Expr)
    /// u ⊗ v = u·vᵀ
    case outer(Expr, Expr)
    /// u·v, a scalar
    case dot(Expr, Expr)
    /// f(e), elementwise (softmax over the vector)
    case function(Function, Expr)
    /// e², elementwise (`tanh²(e)` when e is a function application)
    case square(Expr)
    /// [a; b; …]: vectors one after another (δgates_t = [δa_t; δi_t; δf_t; δo_t])
    case stack([Expr])
    /// clamp(e, −m, m), elementwise: e limited to [−m, m] (the Huber loss's derivative).
    case clamp(Expr, Double)
    /// e[offset ..< offset + count]: entries of a vector (a layer's δx_t split between the two
    /// directions of the layer below it)
    case part(Expr, offset: Int, count: Int)

    public enum Function: String, Sendable, Equatable {
        case tanh
        case sigmoid = "σ"
        case relu
        /// relu′(z) = 1 where z > 0, else 0.
        case reluDerivative = "relu′"
        case softmax
        /// sign(z) = −1, 0 or 1 (the L1 loss's derivative; sign(0) = 0 as in torch.sign).
        case sign
    }
}

/// Why an expression cannot be evaluated: an operand with no value.
public struct MissingOperand: Error, Sendable {
    public var name: QuantityName
}

extension Expr {
    /// The value of the expression, each leaf looked up by `lookup`.
    public func evaluate(_ lookup: (QuantityName) -> Value?) throws(MissingOperand) -> Value {
        switch self {
        case .ref(let name):
            guard let v = lookup(name) else { throw MissingOperand(name: name) }
            return v
        case .number(let x):
            return .scalar(x)
        case .sum(let terms):
            var acc = try terms[0].evaluate(lookup)
            for term in terms.dropFirst() { acc = Value.elementwise(acc, try term.evaluate(lookup), +) }
            return acc
        case .difference(let a, let b):
            return Value.elementwise(try a.evaluate(lookup), try b.evaluate(lookup), -)
        case .hadamard(let factors):
            var acc = try factors[0].evaluate(lookup)
            for f in factors.dropFirst() { acc = Value.elementwise(acc, try f.evaluate(lookup), *) }
            return acc
        case .scaled(let factors):
            var s = 1.0
            for f in factors.dropLast() { s *= try f.evaluate(lookup).numbers[0] }
            let v = try factors[factors.count - 1].evaluate(lookup)
            return v.replacingNumbers(v.numbers.map { s * $0 })
        case .matVec(let m, let v):
            return .vector(try m.evaluate(lookup).matrix.times(try v.evaluate(lookup).vector))
        case .transposedMatVec(let m, let v):
            return .vector(try m.evaluate(lookup).matrix.transposedTimes(try v.evaluate(lookup).vector))
        case .outer(let u, let v):
            return .matrix(Matrix.outer(try u.evaluate(lookup).vector, try v.evaluate(lookup).vector))
        case .dot(let u, let v):
            return .scalar(try u.evaluate(lookup).vector.dot(try v.evaluate(lookup).vector))
        case .function(let f, let e):
            let v = try e.evaluate(lookup)
            switch f {
            case .tanh: return v.replacingNumbers(v.numbers.map { Activation.tanh.apply($0) })
            case .sigmoid: return v.replacingNumbers(v.numbers.map { Activation.sigmoid.apply($0) })
            case .relu: return v.replacingNumbers(v.numbers.map { Activation.relu.apply($0) })
            case .reluDerivative: return v.replacingNumbers(v.numbers.map { $0 > 0 ? 1 : 0 })
            case .softmax: return .vector(LSTMGrad.softmax(v.vector))
            case .sign: return v.replacingNumbers(v.numbers.map { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
            }
        case .clamp(let e, let m):
            let v = try e.evaluate(lookup)
            return v.replacingNumbers(v.numbers.map { Swift.min(Swift.max($0, -m), m) })
        case .square(let e):
            let v = try e.evaluate(lookup)
            return v.replacingNumbers(v.numbers.map { $0 * $0 })
        case .stack(let parts):
            var numbers: [Double] = []
            for p in parts { numbers += try p.evaluate(lookup).numbers }
            return .vector(Vector(numbers))
        case .part(let e, let offset, let count):
            return .vector(Vector(Array(try e.evaluate(lookup).numbers[offset..<(offset + count)])))
        }
    }

    /// Every quantity the expression reads, in reading order, each once.
    public var operands: [QuantityName] {
        var seen = Set<QuantityName>()
        var out: [QuantityName] = []
        visit { if seen.insert($0).inserted { out.append($0) } }
        return out
    }

    func visit(_ body: (QuantityName) -> Void) {
        switch self {
        case .ref(let n): body(n)
        case .number: break
        case .sum(let es), .hadamard(let es), .scaled(let es), .stack(let es): for e in es { e.visit(body) }
        case .difference(let a, let b), .matVec(let a, let b), .transposedMatVec(let a, let b), .outer(let a, let b), .dot(let a, let b):
            a.visit(body)
            b.visit(body)
        case .function(_, let e), .square(let e), .clamp(let e, _), .part(let e, _, _): e.visit(body)
        }
    }

    // MARK: edits (a classic mistake is an edit of the equation, never a copy of it)

    /// The expression with every node for which `edit` returns a replacement replaced
    /// (outermost first; a replaced node is not searched further).
    public func replacing(_ edit: (Expr) -> Expr?) -> Expr {
        if let e = edit(self) { return e }
        switch self {
        case .ref, .number: return self
        case .sum(let es): return .sum(es.map { $0.replacing(edit) })
        case .hadamard(let es): return .hadamard(es.map { $0.replacing(edit) })
        case .scaled(let es): return .scaled(es.map { $0.replacing(edit) })
        case .stack(let es): return .stack(es.map { $0.replacing(edit) })
        case .difference(let a, let b): return .difference(a.replacing(edit), b.replacing(edit))
        case .matVec(let a, let b): return .matVec(a.replacing(edit), b.replacing(edit))
        case .transposedMatVec(let a, let b): return .transposedMatVec(a.replacing(edit), b.replacing(edit))
        case .outer(let a, let b): return .outer(a.replacing(edit), b.replacing(edit))
        case .dot(let a, let b): return .dot(a.replacing(edit), b.replacing(edit))
        case .function(let f, let e): return .function(f, e.replacing(edit))
        case .square(let e): return .square(e.replacing(edit))
        case .clamp(let e, let m): return .clamp(e.replacing(edit), m)
        case .part(let e, let offset, let count): return .part(e.replacing(edit), offset: offset, count: count)
        }
    }

    /// The expression with one operand read in place of another (state_t where state_{t−1}
    /// belongs).
    public func substituting(_ name: QuantityName, with other: QuantityName) -> Expr {
        replacing { $0 == .ref(name) ? .ref(other) : nil }
    }

    /// The outermost sum without the terms that read `name` (a forgotten term); nil when
    /// no term does.
    public func droppingTerms(reading name: QuantityName) -> Expr? {
        guard case .sum(let terms) = self else { return nil }
        let kept = terms.filter { !$0.operands.contains(name) }
        guard kept.count < terms.count, !kept.isEmpty else { return nil }
        return kept.count == 1 ? kept[0] : .sum(kept)
    }

    /// tanh² replaced by tanh (the mistake tanh′ = 1 − tanh).
    public var withTanhSquaredAsTanh: Expr {
        replacing { e in
            if case .square(let inner) = e, case .function(.tanh, _) = inner { return inner }
            return nil
        }
    }

    /// x² replaced by x everywhere (tanh′ written as 1 − a instead of 1 − a²).
    public var withSquaresDropped: Expr {
        replacing { e in
            if case .square(let inner) = e { return inner }
            return nil
        }
    }
}

extension Value {
    /// a ∘ b entry by entry; a scalar (or a single number) meets every entry of the other. The
    /// result has the shape of the operand that is not a scalar.
    static func elementwise(_ a: Value, _ b: Value, _ op: (Double, Double) -> Double) -> Value {
        let x = a.numbers, y = b.numbers
        if x.count == y.count {
            var out = [Double](repeating: 0, count: x.count)
            for k in 0..<x.count { out[k] = op(x[k], y[k]) }
            if case .scalar = a { return b.replacingNumbers(out) }
            return a.replacingNumbers(out)
        }
        if x.count == 1 { return b.replacingNumbers(y.map { op(x[0], $0) }) }
        precondition(y.count == 1, "shapes differ: \(x.count) and \(y.count) numbers")
        return a.replacingNumbers(x.map { op($0, y[0]) })
    }
}

// MARK: building equations as Swift expressions

extension Expr {
    public static func + (a: Expr, b: Expr) -> Expr {
        if case .sum(let xs) = a { return .sum(xs + [b]) }
        return .sum([a, b])
    }

    public static func - (a: Expr, b: Expr) -> Expr { .difference(a, b) }

    /// a ⊙ b
    public static func ⊙ (a: Expr, b: Expr) -> Expr {
        if case .hadamard(let xs) = a { return .hadamard(xs + [b]) }
        return .hadamard([a, b])
    }

    /// M·v
    public static func * (m: Expr, v: Expr) -> Expr { .matVec(m, v) }

    /// 1 − e
    public static func oneMinus(_ e: Expr) -> Expr { .difference(.number(1), e) }

    public static func tanh(_ e: Expr) -> Expr { .function(.tanh, e) }
    public static func σ(_ e: Expr) -> Expr { .function(.sigmoid, e) }

    /// Σ of the terms (one term: itself).
    public static func sum(of terms: [Expr]) -> Expr { terms.count == 1 ? terms[0] : .sum(terms) }
}

infix operator ⊙: MultiplicationPrecedence
