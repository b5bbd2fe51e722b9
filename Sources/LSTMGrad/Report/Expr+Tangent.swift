/// Forward-mode differentiation of an equation: its value and its derivative along a direction,
/// from the operands' values and their derivatives (tangents). What the analysis uses to take
/// the Jacobian ∂s_t/∂s_{t−1} of any cell straight from the cell's own equations, exactly,
/// without a hand-derived copy of them.
extension Expr {
    /// The value and the directional derivative. `tangent(name)` is the derivative of a leaf
    /// along the direction (nil: the leaf does not change, e.g. a parameter or an input).
    /// The derivative is nil where it is zero.
    public func evaluate(_ lookup: (QuantityName) -> Value?, tangent: (QuantityName) -> Value?) throws(MissingOperand) -> (value: Value, tangent: Value?) {
        func both(_ e: Expr) throws(MissingOperand) -> (value: Value, tangent: Value?) { try e.evaluate(lookup, tangent: tangent) }
        func add(_ a: Value?, _ b: Value?) -> Value? {
            guard let a else { return b }
            guard let b else { return a }
            return Value.elementwise(a, b, +)
        }
        func times(_ a: Value, _ b: Value?) -> Value? { b.map { Value.elementwise(a, $0, *) } }
        /// (u, du) ⊙ (v, dv) = (u ⊙ v, du ⊙ v + u ⊙ dv)
        func product(_ x: (value: Value, tangent: Value?), _ y: (value: Value, tangent: Value?)) -> (value: Value, tangent: Value?) {
            (Value.elementwise(x.value, y.value, *), add(times(y.value, x.tangent), times(x.value, y.tangent)))
        }
        func bilinear(_ u: Expr, _ v: Expr, _ f: (Value, Value) -> Value) throws(MissingOperand) -> (value: Value, tangent: Value?) {
            let a = try both(u), b = try both(v)
            return (f(a.value, b.value), add(a.tangent.map { f($0, b.value) }, b.tangent.map { f(a.value, $0) }))
        }
        switch self {
        case .ref(let name):
            guard let v = lookup(name) else { throw MissingOperand(name: name) }
            return (v, tangent(name))
        case .number(let x):
            return (.scalar(x), nil)
        case .sum(let terms):
            var acc = try both(terms[0])
            for term in terms.dropFirst() {
                let x = try both(term)
                acc = (Value.elementwise(acc.value, x.value, +), add(acc.tangent, x.tangent))
            }
            return acc
        case .difference(let a, let b):
            let x = try both(a), y = try both(b)
            let dy = y.tangent.map { $0.replacingNumbers($0.numbers.map { -$0 }) }
            return (Value.elementwise(x.value, y.value, -), add(x.tangent, dy))
        case .hadamard(let factors), .scaled(let factors):
            // A scaled product multiplies scalars into the last factor: the same product rule.
            var acc = try both(factors[0])
            for f in factors.dropFirst() { acc = product(acc, try both(f)) }
            return acc
        // Bilinear in their operands: d f(u, v) = f(du, v) + f(u, dv).
        case .matVec(let m, let v): return try bilinear(m, v) { .vector($0.matrix.times($1.vector)) }
        case .transposedMatVec(let m, let v): return try bilinear(m, v) { .vector($0.matrix.transposedTimes($1.vector)) }
        case .outer(let u, let v): return try bilinear(u, v) { .matrix(Matrix.outer($0.vector, $1.vector)) }
        case .dot(let u, let v): return try bilinear(u, v) { .scalar($0.vector.dot($1.vector)) }
        case .function(let f, let e):
            let x = try both(e)
            let y = try self.evaluate(lookup)
            guard let dx = x.tangent else { return (y, nil) }
            let yv = y.numbers, xv = x.value.numbers, d = dx.numbers
            switch f {
            case .tanh: return (y, dx.replacingNumbers((0..<d.count).map { (1 - yv[$0] * yv[$0]) * d[$0] }))
            case .sigmoid: return (y, dx.replacingNumbers((0..<d.count).map { yv[$0] * (1 - yv[$0]) * d[$0] }))
            case .relu: return (y, dx.replacingNumbers((0..<d.count).map { xv[$0] > 0 ? d[$0] : 0 }))
            // relu′ and sign are piecewise constant: derivative 0 (where it exists).
            case .reluDerivative, .sign: return (y, nil)
            case .softmax:
                // ∂softmax(v)·dv = y ⊙ (dv − y·dv)
                let s = zip(yv, d).reduce(0) { $0 + $1.0 * $1.1 }
                return (y, .vector(Vector((0..<d.count).map { yv[$0] * (d[$0] - s) })))
            }
        case .clamp(let e, let m):
            // clamp′(x) = 1 where −m < x < m, else 0
            let x = try both(e)
            let y = try self.evaluate(lookup)
            let xv = x.value.numbers
            return (y, x.tangent.map { d in d.replacingNumbers(d.numbers.enumerated().map { abs(xv[$0.offset]) < m ? $0.element : 0 }) })
        case .square(let e):
            let x = try both(e)
            let value = x.value.replacingNumbers(x.value.numbers.map { $0 * $0 })
            return (value, x.tangent.map { Value.elementwise(x.value.replacingNumbers(x.value.numbers.map { 2 * $0 }), $0, *) })
        case .stack(let parts):
            var values: [Double] = [], tangents: [Double] = []
            var any = false
            for p in parts {
                let x = try both(p)
                values += x.value.numbers
                if let d = x.tangent { tangents += d.numbers; any = true } else { tangents += [Double](repeating: 0, count: x.value.numbers.count) }
            }
            return (.vector(Vector(values)), any ? .vector(Vector(tangents)) : nil)
        case .part(let e, let offset, let count):
            let x = try both(e)
            func cut(_ v: Value) -> Value { .vector(Vector(Array(v.numbers[offset..<(offset + count)]))) }
            return (cut(x.value), x.tangent.map(cut))
        }
    }
}

extension Cell {
    /// J_t = ∂s_t/∂s_{t−1}, s the carried state (h, and the LSTM's state after it): S×S with
    /// S = H·`carried.count`, from the cell's forward equations by forward-mode
    /// differentiation, one column per entry of s_{t−1}. `values` holds a forward pass.
    public func stepJacobian(_ values: Trace, t: Int) -> Matrix {
        let H = hiddenSize, S = H * carried.count
        let equations = forwardEquations(t: t)
        var J = Matrix(zeros: S, S)
        for j in 0..<S {
            var tangents: [QuantityName: Value] = [:]
            var seed = Vector(zeros: H)
            seed[j % H] = 1
            tangents[QuantityName(carried[j / H], t: t - 1)] = .vector(seed)
            for eq in equations {
                let d = try? eq.rhs.evaluate({ values[$0] }, tangent: { tangents[$0] }).tangent
                if let d { tangents[eq.name] = d }
            }
            for (k, symbol) in carried.enumerated() {
                guard let d = tangents[QuantityName(symbol, t: t)] else { continue }
                for r in 0..<H { J[k * H + r, j] = d.numbers[r] }
            }
        }
        return J
    }
}
