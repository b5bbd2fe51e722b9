/// `"model": "gru"`. Weights per gate:
/// `{"convention": "pytorch", "W": {"r", "z", "n"} (H×X), "U": {…} (H×H), "b": {…}, "bh": {…}}`
/// (b = PyTorch's b_i·, bh = b_h·; both optional, zeros), or PyTorch's `nn.GRU` state dict:
/// `{"weight_ih_l0": 3H×X, "weight_hh_l0": 3H×H, "bias_ih_l0": 3H, "bias_hh_l0": 3H}`, rows r, z, n.
/// `convention` is "pytorch" (h = (1 − z)⊙n + z⊙h_{t−1}, the default) or "z_new" (h = z⊙n + (1 − z)⊙h_{t−1}).
public struct GRUModel: CellModel {
    public init() {}

    public var name: String { "gru" }
    static let gruPerGateKeys = ["W", "U", "b", "bh"]
    static let gruStateDictKeys = StateDictKey.keys().map(\.name)

    public func decode(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        let weightsNode = reader.require(c.fields, "weights", meaning: "the GRU's parameters")
        let weights = weightsNode.flatMap { Self.decodeGRUWeights($0, .root / "weights", inputSize: c.inputSize, reader: reader) }
        var problem = SpecDecoder.decodeProblem(c, weights: weights, as: GRUCell.self, hasState: false, reader: reader)
        // A state dict's gradients and updates are given back in its names.
        if let members = weightsNode?.members, members.contains(where: { StateDictKey($0.key) != nil }) { problem?.layout = GRULayout.pytorch }
        return problem
    }

    /// Layers and directions, per gate or as nn.GRU's state dict.
    public func decodeNetwork(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        NetworkDecoder.decode(c, as: GRUCell.self, hasState: false, reader: reader) { node, path, X in
            let stateDict = node.members?.contains(where: { StateDictKey($0.key) != nil }) == true
            return Self.decodeGRUWeights(node, path, inputSize: X, reader: reader).map { ($0, UpdateRule.sgd, stateDict ? GRULayout.pytorch : nil) }
        }
    }

    public var template: SpecTemplate.ModelTemplate {
        SpecTemplate.ModelTemplate(name: name, layouts: ["per-gate", "pytorch"], hasState: false,
                                   parameterCount: { _, X, H in 3 * (H * X + H * H + H) }) { layout, X, H, draw in
            // Per gate r, z, n: W_g H×X, U_g H×H, b_g H (PyTorch's b_ig; b_hg "bh" may be added).
            guard layout == "pytorch" else { return SpecTemplate.perGate(gates: ["r", "z", "n"], X: X, H: H, draw: &draw) }
            // The same draws in the same order (W, U, b per gate; bh zeros), written by the
            // layout's own converter (the one --write-updated uses).
            func blocks(_ rows: Int, _ cols: Int) -> GRUGates<Matrix> {
                let m = GRUGate.allCases.map { _ in Matrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in draw.number() }) }
                return GRUGates(r: m[0], z: m[1], n: m[2])
            }
            let W = blocks(H, X), U = blocks(H, H)
            let b = blocks(1, H)
            let p = GRUParameters(W: W, U: U, b: GRUGates { Vector(b[$0].values) }, bh: GRUGates { _ in Vector(zeros: H) }, convention: .pytorch)
            return [("", UpdatedSpec.object(merging: UpdatedSpec.weightMembers(GRULayout.pytorch.writtenBlocks(p)), into: nil, fields: []))]
        }
    }

    static func decodeGRUWeights(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> GRUParameters? {
        guard let f = reader.object(node, path, allowed: ["convention"] + gruPerGateKeys + gruStateDictKeys) else { return nil }
        var convention = GRUConvention.pytorch
        if let n = f["convention"] {
            guard let name = reader.choice(n, path / "convention", among: GRUConvention.allCases.map(\.rawValue)) else { return nil }
            convention = GRUConvention(rawValue: name) ?? .pytorch
        }
        let perGate = gruPerGateKeys.contains { f.has($0) }
        let stateDict = gruStateDictKeys.contains { f.has($0) }
        if perGate && stateDict {
            reader.fail(.conflict("give the weights per gate (W, U, b, bh) or as PyTorch's state dict (weight_ih_l0, …), not both"), node, path)
            return nil
        }
        guard let X else { return nil }
        return stateDict ? decodeGRUStateDict(f, path, X: X, convention: convention, reader: reader)
                         : decodeGRUPerGate(f, path, X: X, convention: convention, reader: reader)
    }

    static func decodeGRUPerGate(_ f: SpecReader.Fields, _ path: JSONPath, X: Int, convention: GRUConvention, reader: SpecReader) -> GRUParameters? {
        let gateNames = GRUGate.allCases.map(\.rawValue)
        var blocks: [String: SpecReader.Fields] = [:]
        for block in gruPerGateKeys {
            guard let n = f[block] else {
                if block == "W" || block == "U" {
                    reader.fail(.missing(field: block, meaning: block == "W" ? "input weights W_g (PyTorch W_ig), H×X per gate r, z, n"
                                                                             : "recurrent weights U_g (PyTorch W_hg), H×H per gate r, z, n"), f.node, path)
                }
                continue
            }
            guard let gf = reader.object(n, path / block, allowed: gateNames, what: "an object with one entry per gate r, z, n") else { continue }
            for g in gateNames where !gf.has(g) {
                reader.fail(.missing(field: g, meaning: "every gate r, z, n needs its \(block)_\(g)"), n, path / block)
            }
            blocks[block] = gf
        }
        guard let u = blocks["U"], let g = u.has("r") ? "r" : u.order.first, let first = u[g],
              let H = reader.rowCount(first, path / "U" / g, meaning: "H×H: hidden size") else { return nil }
        var W: [GRUGate: Matrix] = [:], U: [GRUGate: Matrix] = [:], b: [GRUGate: Vector] = [:], bh: [GRUGate: Vector] = [:]
        for gate in GRUGate.allCases {
            let g = gate.rawValue
            if let n = blocks["W"]?[g] { W[gate] = reader.matrix(n, path / "W" / g, rows: H, cols: X, meaning: "H×X: hidden size \(H) × input size \(X)") }
            if let n = blocks["U"]?[g] { U[gate] = reader.matrix(n, path / "U" / g, rows: H, cols: H, meaning: "H×H: hidden size \(H)") }
            for (key, target) in [("b", 0), ("bh", 1)] {
                var v: Vector? = Vector(zeros: H)
                if let n = blocks[key]?[g] { v = reader.vector(n, path / key / g, count: H, meaning: "hidden size H = \(H)") }
                if target == 0 { b[gate] = v } else { bh[gate] = v }
            }
        }
        guard W.count == 3, U.count == 3, b.count == 3, bh.count == 3 else { return nil }
        return GRUParameters(W: GRUGates { W[$0]! }, U: GRUGates { U[$0]! }, b: GRUGates { b[$0]! }, bh: GRUGates { bh[$0]! },
                             convention: convention)
    }

    static func decodeGRUStateDict(_ f: SpecReader.Fields, _ path: JSONPath, X: Int, convention: GRUConvention, reader: SpecReader) -> GRUParameters? {
        guard let ih = reader.require(f, "weight_ih_l0", meaning: "PyTorch's input weights, 3H×X, rows r, z, n"),
              let hh = reader.require(f, "weight_hh_l0", meaning: "PyTorch's recurrent weights, 3H×H, rows r, z, n") else { return nil }
        guard let rows = reader.rowCount(hh, path / "weight_hh_l0", meaning: "3H×H") else { return nil }
        guard rows % 3 == 0 else {
            reader.fail(.invalidValue(expected: "3H rows (r, z, n stacked)", found: "\(rows) rows"), hh, path / "weight_hh_l0")
            return nil
        }
        let H = rows / 3
        let wih = reader.matrix(ih, path / "weight_ih_l0", rows: 3 * H, cols: X, meaning: "3H×X: 3·\(H) × input size \(X)")
        let whh = reader.matrix(hh, path / "weight_hh_l0", rows: 3 * H, cols: H, meaning: "3H×H: 3·\(H) × hidden size \(H)")
        let bih = f["bias_ih_l0"].map { reader.vector($0, path / "bias_ih_l0", count: 3 * H, meaning: "3H = \(3 * H)") } ?? Vector(zeros: 3 * H)
        let bhh = f["bias_hh_l0"].map { reader.vector($0, path / "bias_hh_l0", count: 3 * H, meaning: "3H = \(3 * H)") } ?? Vector(zeros: 3 * H)
        guard let wih, let whh, let bih, let bhh else { return nil }
        func rowsOf(_ m: Matrix, _ k: Int) -> Matrix {
            Matrix(rows: H, cols: m.cols, values: Array(m.values[(k * H * m.cols)..<((k + 1) * H * m.cols)]))
        }
        func part(_ v: Vector, _ k: Int) -> Vector { Vector(Array(v.values[(k * H)..<((k + 1) * H)])) }
        let index: (GRUGate) -> Int = { GRUGate.allCases.firstIndex(of: $0)! }
        return GRUParameters(W: GRUGates { rowsOf(wih, index($0)) }, U: GRUGates { rowsOf(whh, index($0)) },
                             b: GRUGates { part(bih, index($0)) }, bh: GRUGates { part(bhh, index($0)) }, convention: convention)
    }
}
