/// Weight layouts convert to per-gate parameters here, on the way in, and nowhere else.
public enum LSTMLayouts {
    static let blocks = ["W", "U", "b"]

    /// The per-gate layout of the published example:
    /// `{"W": {"a": …, "i": …, "f": …, "o": …}, "U": {…}, "b": {…}}`, with W_g H×X, U_g H×H,
    /// b_g H (b optional: zeros). H comes from b, else from U.
    static func decode(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> LSTMParameters? {
        guard let f = reader.object(node, path, allowed: blocks) else { return nil }
        return decodePerGate(f, node, path, inputSize: X, reader: reader)
    }

    /// The per-gate layout from an object already read (its keys checked).
    static func decodePerGate(_ f: SpecReader.Fields, _ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> LSTMParameters? {
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
            H = reader.entryCount(n, hFrom!, meaning: "hidden size H")
        } else if let u = perBlock["U"], let g = u.has("a") ? "a" : u.order.first, let n = u[g] {
            hFrom = path / "U" / g
            H = reader.rowCount(n, hFrom!, meaning: "H×H: hidden size")
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
        return LSTMParameters(W: PerGate { W[$0]! }, U: PerGate { U[$0]! }, b: PerGate { b[$0]! }, hasBias: perBlock["b"] != nil)
    }
}

/// How a spec wrote the LSTM's weights. Decoding converts every layout to `LSTMParameters`;
/// the report and `--write-updated` convert back, here and nowhere else.
public enum LSTMLayout: ParameterLayout, Equatable {
    /// `{"W": {"a": …}, "U": {…}, "b": {…}}` (the published example, seed 001).
    case perGate(candidate: String)
    /// Seed 000's W^{xg}, W^{hg}, W^g_0: `{"Wx": {"f","i","o","c"}, "Wh": {…}, "W0": {…}}`.
    case seed000(candidate: String)
    /// z = [h_{t−1}, x_t] (hFirst) or [x_t, h_{t−1}]: `{"z": "hx", "Wz": {gate: H×(H+X)}, "b": {…}}`.
    case concatenated(hFirst: Bool, candidate: String)
    /// W (4H×X), U (4H×H), b (4H) with the gates stacked in `order` (spelled as the spec did).
    case stacked(order: [LSTMGate], spelling: [String])
    /// PyTorch `nn.LSTM` state dict, order i, f, g, o; two biases (effective b = b_ih + b_hh).
    case pytorch(biasIH: Vector, biasHH: Vector)
    /// Keras LSTM: kernel X×4H, recurrent_kernel H×4H, bias 4H, order i, f, c, o (x·kernel).
    case keras

    public var name: String {
        switch self {
        case .perGate: return "per-gate"
        case .seed000: return "seed000"
        case .concatenated(let hFirst, _): return hFirst ? "concatenated [h, x]" : "concatenated [x, h]"
        case .stacked(_, let s): return "stacked (order \(s.joined(separator: ", ")))"
        case .pytorch: return "pytorch"
        case .keras: return "keras"
        }
    }

    static let pytorchOrder: [LSTMGate] = [.i, .f, .a, .o]
    static let kerasOrder: [LSTMGate] = [.i, .f, .a, .o]

    /// The spec's blocks of a parameter set (or of its gradients), in the spec's spelling and
    /// order; none for the per-gate layout, whose blocks are the canonical ones.
    public func blocks(_ p: LSTMParameters) -> [(name: String, value: Value)] {
        switch self {
        case .perGate:
            return []
        case .seed000(let c):
            let gates: [(String, LSTMGate)] = [("f", .f), ("i", .i), ("o", .o), (c, .a)]
            return gates.map { ("Wx.\($0.0)", Value.matrix(p.W[$0.1])) }
                + gates.map { ("Wh.\($0.0)", Value.matrix(p.U[$0.1])) }
                + gates.map { ("W0.\($0.0)", Value.vector(p.b[$0.1])) }
        case .concatenated(let hFirst, let c):
            let gates: [(String, LSTMGate)] = [("f", .f), ("i", .i), (c, .a), ("o", .o)]
            return gates.map { name, g in
                ("Wz.\(name)", Value.matrix(hFirst ? Matrix.hcat(p.U[g], p.W[g]) : Matrix.hcat(p.W[g], p.U[g])))
            }
        case .stacked(let order, _):
            return [("W", .matrix(Matrix.stack(order.map { p.W[$0] }))),
                    ("U", .matrix(Matrix.stack(order.map { p.U[$0] })))]
                + (p.hasBias ? [("b", .vector(Vector(order.flatMap { p.b[$0].values })))] : [])
        case .pytorch:
            let b = Vector(Self.pytorchOrder.flatMap { p.b[$0].values })
            return [("weight_ih_l0", .matrix(Matrix.stack(Self.pytorchOrder.map { p.W[$0] }))),
                    ("weight_hh_l0", .matrix(Matrix.stack(Self.pytorchOrder.map { p.U[$0] })))]
                + (p.hasBias ? [("bias_ih_l0", .vector(b)), ("bias_hh_l0", .vector(b))] : [])
        case .keras:
            return [("kernel", .matrix(Matrix.stack(Self.kerasOrder.map { p.W[$0] }).transposed)),
                    ("recurrent_kernel", .matrix(Matrix.stack(Self.kerasOrder.map { p.U[$0] }).transposed))]
                + (p.hasBias ? [("bias", .vector(Vector(Self.kerasOrder.flatMap { p.b[$0].values })))] : [])
        }
    }

    /// PyTorch's state dict trains its own tensors, each bias copy apart.
    public var trainsTensors: Bool { if case .pytorch = self { return true } else { return false } }

    /// PyTorch's two bias copies (b = bias_ih_l0 + bias_hh_l0), as given or as trained.
    public var copies: [String: Value] {
        guard case .pytorch(let bih, let bhh) = self else { return [:] }
        return [StateDictKey(.biasIH).name: .vector(bih), StateDictKey(.biasHH).name: .vector(bhh)]
    }

    /// b_g = (bias_ih_l0 + bias_hh_l0)'s rows of gate g.
    public func summingCopies(into p: LSTMParameters) -> LSTMParameters {
        guard case .pytorch(let bih, let bhh) = self, p.hasBias else { return p }
        var out = p
        let b = LSTMLayouts.split(bih + bhh, order: Self.pytorchOrder, H: p.hiddenSize)
        for gate in LSTMGate.allCases { out.b[gate] = b[gate]! }
        return out
    }

    public func holding(_ copies: [String: Value]) -> LSTMLayout {
        guard case .pytorch(let bih, let bhh) = self else { return self }
        return .pytorch(biasIH: copies[StateDictKey(.biasIH).name]?.vector ?? bih, biasHH: copies[StateDictKey(.biasHH).name]?.vector ?? bhh)
    }

    /// The concatenated layout writes its biases per gate beside W_z.
    public func writtenBlocks(_ p: LSTMParameters) -> [(name: String, value: Value)] {
        guard case .concatenated(_, let c) = self, p.hasBias else { return updatedBlocks(p) }
        let gates: [(String, LSTMGate)] = [("f", .f), ("i", .i), (c, .a), ("o", .o)]
        return updatedBlocks(p) + gates.map { ("b." + $0.0, .vector(p.b[$0.1])) }
    }

    /// The stacked layout's gate order; the concatenated layout's order of h and x.
    public var writtenFields: [(String, String)] {
        switch self {
        case .concatenated(let hFirst, _): return [("z", UpdatedSpec.quoted(hFirst ? "hx" : "xh"))]
        case .stacked(_, let spelling): return [("order", UpdatedSpec.quoted(spelling.joined()))]
        default: return []
        }
    }

    /// PyTorch stores the bias twice (b = b_ih + b_hh, each stepped by −λ·δb): the effective
    /// bias moves by 2λ·δb.
    public var update: UpdateRule { if case .pytorch = self { return UpdateRule(doubled: [.b]) } else { return .sgd } }

    /// In colah's notation the univariate sheet's names already are the labels.
    public func showsBlocks(in notation: Notation) -> Bool {
        if case .seed000 = self { return notation.name != Notation.colah.name }
        return true
    }

    /// A note the report prints for this layout, if any.
    public func note(learningRate: Double) -> String? {
        switch self {
        case .pytorch:
            return "PyTorch layout: b = bias_ih_l0 + bias_hh_l0; both biases receive the same gradient δb, so one SGD step moves the effective bias by 2·λ·δb (λ = \(shortest(learningRate)))."
        case .keras:
            return "Keras layout: gates i, f, c, o; z = x·kernel + h·recurrent_kernel + bias (row vectors), so kernel = [W_i; W_f; W_a; W_o]ᵀ."
        case .concatenated(let hFirst, _):
            return hFirst ? "Concatenated layout: W_z = [U_g  W_g] acting on z = [h_{t−1}, x_t]." : "Concatenated layout: W_z = [W_g  U_g] acting on z = [x_t, h_{t−1}]."
        case .stacked(_, let s):
            return "Stacked layout: rows of W, U, b in the gate order \(s.joined(separator: ", "))."
        case .perGate, .seed000:
            return nil
        }
    }
}

extension Matrix {
    /// [A B]: the columns of A, then those of B (same row count).
    public static func hcat(_ a: Matrix, _ b: Matrix) -> Matrix {
        var values: [Double] = []
        values.reserveCapacity(a.rows * (a.cols + b.cols))
        for r in 0..<a.rows { values += a.row(r) + b.row(r) }
        return Matrix(rows: a.rows, cols: a.cols + b.cols, values: values)
    }

    /// Columns lo..<hi.
    public func columns(_ range: Range<Int>) -> Matrix {
        var values: [Double] = []
        for r in 0..<rows { values += row(r)[range] }
        return Matrix(rows: rows, cols: range.count, values: values)
    }

    /// Rows lo..<hi.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, cols: cols, values: Array(values[(range.lowerBound * cols)..<(range.upperBound * cols)]))
    }
}

extension LSTMLayouts {
    /// Gate names a per-gate object may use: a, i, f, o, and for the candidate also c, C, g.
    static let gateAliases: [String: LSTMGate] = ["a": .a, "c": .a, "C": .a, "g": .a, "i": .i, "f": .f, "o": .o]

    enum Family: String, CaseIterable {
        case perGate = "per-gate", seed000, concatenated, stacked, pytorch, keras
    }

    /// Which layouts a key of `weights` belongs to.
    static let keyFamilies: [(String, Set<Family>)] = [
        ("W", [.perGate, .stacked]), ("U", [.perGate, .stacked]), ("b", [.perGate, .stacked, .concatenated]),
        ("order", [.stacked]),
        ("Wx", [.seed000]), ("Wh", [.seed000]), ("W0", [.seed000]),
        ("z", [.concatenated]), ("Wz", [.concatenated]),
        ("weight_ih_l0", [.pytorch]), ("weight_hh_l0", [.pytorch]), ("bias_ih_l0", [.pytorch]), ("bias_hh_l0", [.pytorch]),
        ("kernel", [.keras]), ("recurrent_kernel", [.keras]), ("bias", [.keras]),
    ]

    /// Decodes any layout: the parameters and how the spec wrote them.
    public static func decodeAny(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        let allowed = keyFamilies.map(\.0)
        guard let f = reader.object(node, path, allowed: allowed, what: "an object of weights (the layouts are listed by 'lstm-grad help spec')") else { return nil }
        let families = Dictionary(uniqueKeysWithValues: keyFamilies)
        var candidates = Set(Family.allCases)
        var narrowedBy: String?
        for key in f.order {
            let fam = families[key]!
            let next = candidates.intersection(fam)
            if next.isEmpty {
                let first = narrowedBy ?? key
                let a = families[first]!.map(\.rawValue).sorted().joined(separator: "/")
                let b = fam.map(\.rawValue).sorted().joined(separator: "/")
                reader.fail(.conflict("two weight layouts at once: \"\(first)\" belongs to the \(a) layout, \"\(key)\" to the \(b) layout; write the weights in one layout"),
                            f.members[key]!.value, path / key)
                return nil
            }
            if next != candidates { narrowedBy = key }
            candidates = next
        }
        if candidates.contains(.perGate) && candidates.contains(.stacked) {
            let w = f["W"] ?? f["U"]
            if f.has("order") {
                candidates = [.stacked]
            } else if let w, w.members == nil {
                reader.fail(.missing(field: "order", meaning: "stacked W (4H×X) and U (4H×H) need their gate order, e.g. \"ifgo\" (PyTorch) or \"aifo\""), node, path)
                return nil
            } else if w != nil {
                candidates = [.perGate]
            }
        }
        guard candidates.count == 1, let family = candidates.first else {
            reader.fail(.missing(field: "W", meaning: "the weights in one layout: W/U/b per gate, Wx/Wh/W0, z/Wz/b, W/U/b/order stacked, weight_ih_l0/…, or kernel/recurrent_kernel/bias"), node, path)
            return nil
        }
        switch family {
        case .perGate:
            guard let p = decodePerGate(f, node, path, inputSize: X, reader: reader) else { return nil }
            return (p, .perGate(candidate: "a"))
        case .seed000: return decodeSeed000(f, path, inputSize: X, reader: reader)
        case .concatenated: return decodeConcatenated(f, path, inputSize: X, reader: reader)
        case .stacked: return decodeStacked(f, path, inputSize: X, reader: reader)
        case .pytorch: return decodePyTorch(f, path, inputSize: X, reader: reader)
        case .keras: return decodeKeras(f, path, inputSize: X, reader: reader)
        }
    }

    /// An object with one entry per gate (aliases allowed); reports missing and doubled gates.
    /// Returns the nodes by gate and the name the spec used for the candidate.
    static func gateObject(_ node: JSONNode, _ path: JSONPath, block: String, reader: SpecReader) -> ([LSTMGate: (String, JSONNode)], String)? {
        guard let gf = reader.object(node, path, allowed: ["a", "c", "C", "g", "i", "f", "o"],
                                     what: "an object with one entry per gate i, f, o and the candidate (a, c, C or g)") else { return nil }
        var out: [LSTMGate: (String, JSONNode)] = [:]
        var candidate = "a"
        var ok = true
        for key in gf.order {
            let gate = gateAliases[key]!
            if let first = out[gate]?.0 {
                reader.fail(.conflict("\"\(key)\" and \"\(first)\" both name the candidate gate; give it once"), gf[key]!, path / key)
                ok = false
                continue
            }
            out[gate] = (key, gf[key]!)
            if gate == .a { candidate = key }
        }
        for gate in LSTMGate.allCases where out[gate] == nil {
            let name = gate == .a ? "a" : gate.rawValue
            reader.fail(.missing(field: name, meaning: "every gate needs its \(block): i, f, o and the candidate (a, c, C or g)"), node, path)
            ok = false
        }
        return ok ? (out, candidate) : nil
    }

    static func decodeSeed000(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        var objects: [String: [LSTMGate: (String, JSONNode)]] = [:]
        var candidate = "c"
        for (block, meaning) in [("Wx", "W^{xg}: input weights, H×X per gate"), ("Wh", "W^{hg}: recurrent weights, H×H per gate"), ("W0", "W^g_0: biases, H per gate")] {
            guard let n = reader.require(f, block, meaning: meaning) else { continue }
            if let oc = gateObject(n, path / block, block: block, reader: reader) {
                objects[block] = oc.0
                candidate = oc.1
            }
        }
        guard let wh = objects["Wh"], let H = reader.rowCount(wh[.f]!.1, path / "Wh" / wh[.f]!.0, meaning: "H×H: hidden size"), let X,
              let wx = objects["Wx"], let w0 = objects["W0"] else { return nil }
        var W: [LSTMGate: Matrix] = [:], U: [LSTMGate: Matrix] = [:], b: [LSTMGate: Vector] = [:]
        for gate in LSTMGate.allCases {
            let (nx, x) = wx[gate]!, (nh, h) = wh[gate]!, (n0, z) = w0[gate]!
            W[gate] = reader.matrix(x, path / "Wx" / nx, rows: H, cols: X, meaning: "H×X: hidden size \(H) × input size \(X)")
            U[gate] = reader.matrix(h, path / "Wh" / nh, rows: H, cols: H, meaning: "H×H: hidden size \(H)")
            b[gate] = reader.vector(z, path / "W0" / n0, count: H, meaning: "hidden size H = \(H)")
        }
        guard W.values.count == 4, U.values.count == 4, b.values.count == 4 else { return nil }
        let p = LSTMParameters(W: PerGate { W[$0]! }, U: PerGate { U[$0]! }, b: PerGate { b[$0]! })
        return (p, .seed000(candidate: candidate))
    }

    static func decodeConcatenated(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        var hFirst: Bool?
        if let z = reader.require(f, "z", meaning: "the concatenation order: \"hx\" for z = [h_{t−1}, x_t], \"xh\" for [x_t, h_{t−1}]") {
            if let s = reader.choice(z, path / "z", among: ["hx", "xh"]) { hFirst = s == "hx" }
        }
        let wzNode = reader.require(f, "Wz", meaning: "W_g of shape H×(H+X) per gate").flatMap { gateObject($0, path / "Wz", block: "Wz", reader: reader) }
        let bo = f["b"].flatMap { gateObject($0, path / "b", block: "b", reader: reader) }
        if f.has("b") && bo == nil { return nil }
        guard let hFirst, let wzc = wzNode, let X else { return nil }
        let (wz, candidate) = wzc
        let H: Int?
        if let bo {
            H = reader.entryCount(bo.0[.f]!.1, path / "b" / bo.0[.f]!.0, meaning: "hidden size H")
        } else {
            H = reader.rowCount(wz[.f]!.1, path / "Wz" / wz[.f]!.0, meaning: "H×(H+X): hidden size")
        }
        guard let H else { return nil }
        var W: [LSTMGate: Matrix] = [:], U: [LSTMGate: Matrix] = [:], b: [LSTMGate: Vector] = [:]
        for gate in LSTMGate.allCases {
            let (name, node) = wz[gate]!
            let order = hFirst ? "[h, x]" : "[x, h]"
            if let m = reader.matrix(node, path / "Wz" / name, rows: H, cols: H + X, meaning: "H×(H+X) acting on z = \(order), H = \(H), X = \(X)") {
                W[gate] = hFirst ? m.columns(H..<(H + X)) : m.columns(0..<X)
                U[gate] = hFirst ? m.columns(0..<H) : m.columns(X..<(X + H))
            }
            if let bo {
                let (bn, bnode) = bo.0[gate]!
                b[gate] = reader.vector(bnode, path / "b" / bn, count: H, meaning: "hidden size H = \(H)")
            } else {
                b[gate] = Vector(zeros: H)
            }
        }
        guard W.values.count == 4, b.values.count == 4 else { return nil }
        let p = LSTMParameters(W: PerGate { W[$0]! }, U: PerGate { U[$0]! }, b: PerGate { b[$0]! })
        return (p, .concatenated(hFirst: hFirst, candidate: candidate))
    }

    /// A gate order: a string like "ifgo" or an array ["i", "f", "g", "o"]; a permutation of the
    /// four gates (the candidate spelled a, c, C or g).
    static func decodeOrder(_ node: JSONNode, _ path: JSONPath, reader: SpecReader) -> ([LSTMGate], [String])? {
        var names: [String] = []
        if let s = node.string {
            names = s.map { String($0) }
        } else if let items = reader.array(node, path, what: "a gate order: a string like \"ifgo\" or an array of gate names") {
            for (k, item) in items.enumerated() {
                guard let s = reader.string(item, path / k) else { return nil }
                names.append(s)
            }
        } else {
            return nil
        }
        let gates = names.map { gateAliases[$0] }
        let written = names.joined(separator: ", ")
        guard names.count == 4, !gates.contains(where: { $0 == nil }), Set(gates.compactMap { $0 }).count == 4 else {
            reader.fail(.invalidValue(expected: "a permutation of the four gates i, f, o and the candidate (a, c, C or g), e.g. \"ifgo\"",
                                      found: "[\(written)]"), node, path)
            return nil
        }
        return (gates.map { $0! }, names)
    }

    /// Splits a 4H-row matrix (or 4H vector) into gate blocks of H rows in `order`.
    static func split(_ m: Matrix, order: [LSTMGate], H: Int) -> [LSTMGate: Matrix] {
        var out: [LSTMGate: Matrix] = [:]
        for (k, gate) in order.enumerated() { out[gate] = m.rows((k * H)..<((k + 1) * H)) }
        return out
    }

    static func split(_ v: Vector, order: [LSTMGate], H: Int) -> [LSTMGate: Vector] {
        var out: [LSTMGate: Vector] = [:]
        for (k, gate) in order.enumerated() { out[gate] = Vector(Array(v.values[(k * H)..<((k + 1) * H)])) }
        return out
    }

    /// H from a stacked 4H-row matrix or 4H vector: its rows / 4, or an error.
    static func hidden(from count: Int?, _ node: JSONNode, _ path: JSONPath, what: String, reader: SpecReader) -> Int? {
        guard let count else { return nil }
        guard count % 4 == 0, count > 0 else {
            reader.fail(.invalidValue(expected: "\(what) with 4H entries (four gates stacked)", found: "\(count), not a multiple of 4"), node, path)
            return nil
        }
        return count / 4
    }

    static func decodeStackedBlocks(_ f: SpecReader.Fields, _ path: JSONPath, names: (W: String, U: String, b: String),
                                    order: [LSTMGate], transposed: Bool, inputSize X: Int, reader: SpecReader) -> LSTMParameters? {
        guard let wNode = reader.require(f, names.W, meaning: transposed ? "the input kernel, X×4H" : "input weights, 4H×X"),
              let uNode = reader.require(f, names.U, meaning: transposed ? "the recurrent kernel, H×4H" : "recurrent weights, 4H×H") else { return nil }
        // H from the recurrent block: 4H rows (or, transposed, H rows).
        let H: Int?
        if transposed {
            H = reader.rowCount(uNode, path / names.U, meaning: "H×4H: hidden size × four gates")
        } else {
            H = hidden(from: reader.rowCount(uNode, path / names.U, meaning: "4H×H: four gates × hidden size"), uNode, path / names.U,
                       what: "a matrix", reader: reader)
        }
        guard let H else { return nil }
        let shape = transposed ? "\(X)×\(4 * H): X × 4H" : "\(4 * H)×\(X): 4H × X"
        let ushape = transposed ? "\(H)×\(4 * H): H × 4H" : "\(4 * H)×\(H): 4H × H"
        var W = reader.matrix(wNode, path / names.W, rows: transposed ? X : 4 * H, cols: transposed ? 4 * H : X, meaning: shape + ", H = \(H)")
        var U = reader.matrix(uNode, path / names.U, rows: transposed ? H : 4 * H, cols: transposed ? 4 * H : H, meaning: ushape)
        if transposed {
            W = W?.transposed
            U = U?.transposed
        }
        let b = f[names.b].map { reader.vector($0, path / names.b, count: 4 * H, meaning: "4H = \(4 * H), the gates' biases stacked") } ?? Vector(zeros: 4 * H)
        guard let W, let U, let b else { return nil }
        let w = split(W, order: order, H: H), u = split(U, order: order, H: H), bb = split(b, order: order, H: H)
        return LSTMParameters(W: PerGate { w[$0]! }, U: PerGate { u[$0]! }, b: PerGate { bb[$0]! }, hasBias: f[names.b] != nil)
    }

    static func decodeStacked(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        guard let orderNode = reader.require(f, "order", meaning: "the gate order of the stacked rows, e.g. \"ifgo\""),
              let os = decodeOrder(orderNode, path / "order", reader: reader), let X else { return nil }
        let (order, spelling) = os
        guard let p = decodeStackedBlocks(f, path, names: ("W", "U", "b"), order: order, transposed: false, inputSize: X, reader: reader) else { return nil }
        return (p, .stacked(order: order, spelling: spelling))
    }

    static func decodePyTorch(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        guard let X, var p = decodeStackedBlocks(f, path, names: ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0"),
                                                 order: LSTMLayout.pytorchOrder, transposed: false, inputSize: X, reader: reader) else { return nil }
        let H = p.hiddenSize
        let bih = Vector(LSTMLayout.pytorchOrder.flatMap { p.b[$0].values })
        let bhh = f["bias_hh_l0"].map { reader.vector($0, path / "bias_hh_l0", count: 4 * H, meaning: "4H = \(4 * H), the gates' biases stacked") } ?? Vector(zeros: 4 * H)
        guard let bhh else { return nil }
        p.hasBias = p.hasBias || f["bias_hh_l0"] != nil
        let layout = LSTMLayout.pytorch(biasIH: bih, biasHH: bhh)
        return (layout.summingCopies(into: p), layout)
    }

    static func decodeKeras(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (LSTMParameters, LSTMLayout)? {
        guard let X, let p = decodeStackedBlocks(f, path, names: ("kernel", "recurrent_kernel", "bias"),
                                                 order: LSTMLayout.kerasOrder, transposed: true, inputSize: X, reader: reader) else { return nil }
        return (p, .keras)
    }
}
