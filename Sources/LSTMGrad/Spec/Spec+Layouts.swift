/// Weight layouts convert to per-gate parameters here, on the way in, and nowhere else.
public enum LSTMLayouts {
    static let blocks = ["W", "U", "b"]

    /// The per-gate layout of the published example:
    /// `{"W": {"a": …, "i": …, "f": …, "o": …}, "U": {…}, "b": {…}}`, with W_g H×X, U_g H×H,
    /// b_g H (b optional: zeros). H comes from b, else from U.
    static func decode(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> LSTMParameters? {
        guard let f = reader.object(node, path, allowed: blocks) else { return nil }
        let gateNames = LSTMGate.allCases.map(\.rawValue)
        var perBlock: [String: SpecReader.Fields] = [:]
        for block in blocks {
            guard let n = f[block] else {
                if block != "b" { reader.fail(.missing(field: block, meaning: block == "W" ? "input weights W_g, H×X per gate" : "recurrent weights U_g, H×H per gate"), node, path) }
                continue
            }
            guard let gf = reader.object(n, path / block, allowed: gateNames, what: "an object with one entry per gate a, i, f, o") else { continue }
            for g in gateNames where !gf.has(g) {
                reader.fail(.missing(field: g, meaning: "every gate a, i, f, o needs its \(block)_\(g)"), n, path / block)
            }
            perBlock[block] = gf
        }
        // H: from b_a, else from U_a's rows.
        var H: Int?
        var hFrom: JSONPath?
        if let b = perBlock["b"], let g = b.has("a") ? "a" : b.order.first, let n = b[g] {
            hFrom = path / "b" / g
            H = reader.entryCount(n)
            // Not a vector: report it here, since no H can be read from it.
            if H == nil { _ = reader.vector(n, hFrom!, count: nil, meaning: "hidden size H") }
        } else if let u = perBlock["U"], let g = u.has("a") ? "a" : u.order.first, let n = u[g] {
            hFrom = path / "U" / g
            H = reader.rowCount(n)
            if H == nil { _ = reader.matrix(n, hFrom!, rows: 1, cols: 1, meaning: "H×H: hidden size") }
        }
        guard let H, let X else { return nil }
        let hidden = SpecReader.Size("H", H, "hidden size", from: hFrom)
        let input = SpecReader.Size("X", X, "input size", from: .root / "inputs" / 0)
        reader.note(hidden)
        var W: [LSTMGate: Matrix] = [:], U: [LSTMGate: Matrix] = [:], b: [LSTMGate: Vector] = [:]
        for gate in LSTMGate.allCases {
            let g = gate.rawValue
            if let n = perBlock["W"]?[g] {
                W[gate] = reader.matrix(n, path / "W" / g, rows: hidden, cols: input)
            }
            if let n = perBlock["U"]?[g] {
                U[gate] = reader.matrix(n, path / "U" / g, rows: hidden, cols: hidden)
            }
            if let n = perBlock["b"]?[g] {
                b[gate] = reader.vector(n, path / "b" / g, count: hidden)
            } else if perBlock["b"] == nil {
                b[gate] = Vector(zeros: H)
            }
        }
        guard W.count == 4, U.count == 4, b.count == 4 else { return nil }
        return LSTMParameters(W: PerGate { W[$0]! }, U: PerGate { U[$0]! }, b: PerGate { b[$0]! })
    }
}
