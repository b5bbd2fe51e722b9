import LSTMGrad

/// The evaluator of show-work lines shared by the LSTM, RNN and GRU tests: it re-evaluates the
/// printed arithmetic independently of the library.

/// A value with its shape: vectors are columns.
struct Tensor {
    var rows: Int, cols: Int, v: [Double]
    static func scalar(_ x: Double) -> Tensor { Tensor(rows: 1, cols: 1, v: [x]) }
    var isScalar: Bool { v.count == 1 }
    var transposed: Tensor {
        var out = [Double](repeating: 0, count: v.count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = v[i * cols + j] } }
        return Tensor(rows: cols, cols: rows, v: out)
    }
    func map(_ f: (Double) -> Double) -> Tensor { Tensor(rows: rows, cols: cols, v: v.map(f)) }
    static func elementwise(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws -> Tensor {
        if a.isScalar { return b.map { f(a.v[0], $0) } }
        if b.isScalar { return a.map { f($0, b.v[0]) } }
        guard a.v.count == b.v.count else { throw CLIRunner.SpawnError(description: "shapes \(a.rows)×\(a.cols), \(b.rows)×\(b.cols)") }
        return Tensor(rows: a.rows, cols: a.cols, v: zip(a.v, b.v).map(f))
    }
}

/// Numbers, `[a b]` (a column) and `[a b; c d]`, `+ −`, `·` (matrix product, dot product of
/// two columns, scalars broadcast), `⊙`, `⊗` (outer product), `ᵀ`, `²`, `σ(…)`, `tanh(…)`,
/// `tanh²(…)`, `softmax(…)`, `relu(…)`, `relu′(…)` and parentheses.
struct Evaluator {
    var s: [Character]
    var k = 0
    init(_ text: String) { s = Array(text) }

    mutating func skip() { while k < s.count, s[k] == " " { k += 1 } }
    mutating func eat(_ word: String) -> Bool {
        skip()
        let w = Array(word)
        guard k + w.count <= s.count, Array(s[k..<(k + w.count)]) == w else { return false }
        k += w.count
        return true
    }
    func fail(_ what: String) -> Error { CLIRunner.SpawnError(description: "\(what) at \(k) in \(String(s))") }

    mutating func expression() throws -> Tensor {
        var v = try term()
        while true {
            if eat("+") { v = try .elementwise(v, try term(), +) }
            else if eat("−") { v = try .elementwise(v, try term(), -) }
            else { return v }
        }
    }

    mutating func term() throws -> Tensor {
        var a = try postfix()
        while true {
            if eat("·") {
                let b = try postfix()
                if a.isScalar || b.isScalar {
                    a = try .elementwise(a, b, *)
                } else if a.cols == b.rows {
                    var out = [Double](repeating: 0, count: a.rows * b.cols)
                    for i in 0..<a.rows { for j in 0..<b.cols { for m in 0..<a.cols { out[i * b.cols + j] += a.v[i * a.cols + m] * b.v[m * b.cols + j] } } }
                    a = Tensor(rows: a.rows, cols: b.cols, v: out)
                } else if a.cols == 1, b.cols == 1, a.rows == b.rows {
                    // A one-row matrix prints as a vector: its product with a column.
                    a = .scalar(zip(a.v, b.v).map(*).reduce(0, +))
                } else {
                    throw fail("shapes do not multiply")
                }
            } else if eat("⊙") {
                a = try .elementwise(a, try postfix(), *)
            } else if eat("⊗") {
                let b = try postfix()
                a = a.isScalar || b.isScalar ? try .elementwise(a, b, *)
                    : Tensor(rows: a.v.count, cols: b.v.count, v: a.v.flatMap { x in b.v.map { x * $0 } })
            } else {
                return a
            }
        }
    }

    mutating func postfix() throws -> Tensor {
        var v = try primary()
        while true {
            if eat("ᵀ") { v = v.transposed } else if eat("²") { v = v.map { $0 * $0 } } else { return v }
        }
    }

    mutating func primary() throws -> Tensor {
        if eat("tanh²(") { return try closing().map { $0.tanhValue * $0.tanhValue } }
        if eat("tanh(") { return try closing().map(\.tanhValue) }
        if eat("σ(") { return try closing().map { 1 / (1 + (-$0).exponential) } }
        if eat("relu′(") { return try closing().map { $0 > 0 ? 1 : 0 } }
        if eat("relu(") { return try closing().map { max($0, 0) } }
        if eat("softmax(") {
            let z = try closing()
            let m = z.v.max() ?? 0
            let e = z.map { ($0 - m).exponential }
            let sum = e.v.reduce(0, +)
            return e.map { $0 / sum }
        }
        if eat("(") { return try closing() }
        if eat("[") {
            var rows: [[Double]] = [[]]
            while !eat("]") {
                if eat(";") { rows.append([]); continue }
                rows[rows.count - 1].append(try number())
            }
            if rows.count == 1 { return Tensor(rows: rows[0].count, cols: 1, v: rows[0]) }
            return Tensor(rows: rows.count, cols: rows[0].count, v: rows.flatMap { $0 })
        }
        return .scalar(try number())
    }

    mutating func closing() throws -> Tensor {
        let v = try expression()
        guard eat(")") else { throw fail("expected )") }
        return v
    }

    mutating func number() throws -> Double {
        skip()
        let start = k
        while k < s.count, "-0123456789.".contains(s[k]) { k += 1 }
        guard let x = Double(String(s[start..<k])) else { throw fail("expected a number") }
        return x
    }
}
