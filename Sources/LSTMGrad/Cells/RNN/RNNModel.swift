/// `"model": "rnn"`: `"weights": {"activation": "sigmoid", "W": H×H, "U": H×X, "b": H}`, with
/// h_t = act(W·h_{t−1} + U·x_t + b) as seed 004 writes it. `b` is optional (no bias at all when
/// absent); `activation` is sigmoid (default), tanh or relu. Or PyTorch's `nn.RNN` state dict:
/// `{"weight_ih_l0": H×X (U), "weight_hh_l0": H×H (W), "bias_ih_l0": H, "bias_hh_l0": H}`
/// (b = bias_ih + bias_hh), whose `activation` defaults to tanh, as nn.RNN's does.
public struct RNNModel: CellModel {
    public init() {}

    public var name: String { "rnn" }
    static let rnnWeightKeys = ["activation", "W", "U", "b"]
    static let rnnActivations = ["sigmoid", "tanh", "relu"]

    public func decode(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        let decoded = reader.require(c.fields, "weights", meaning: "the cell's parameters W, U and optionally b, activation").flatMap {
            Self.decodeRNNWeights($0, .root / "weights", inputSize: c.inputSize, reader: reader)
        }
        var problem = SpecDecoder.decodeProblem(c, weights: decoded?.0, as: RNNCell.self, hasState: false, reader: reader)
        if let layout = decoded?.1 {
            problem?.layout = layout
            problem?.update = layout.update
        }
        return problem
    }

    /// Layers and directions, as W/U/b or as nn.RNN's state dict (`activation` tanh by default,
    /// as nn.RNN's `nonlinearity`; b = b_ih + b_hh, each stepped by −λ·δb).
    public func decodeNetwork(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        NetworkDecoder.decode(c, as: RNNCell.self, hasState: false, reader: reader) { node, path, X in
            if node.members?.contains(where: { StateDictKey($0.key) != nil }) == true {
                return Self.decodeRNNStateDict(node, path, inputSize: X, reader: reader).map { ($0.0, UpdateRule(doubled: [.b]), $0.1) }
            }
            return Self.decodeRNNWeights(node, path, inputSize: X, reader: reader).map { ($0.0, UpdateRule.sgd, nil) }
        }
    }

    /// One layer and direction of nn.RNN's state dict, its keys renamed to layer 0 (the
    /// network decoder's), read as a one-layer state dict is.
    static func decodeRNNStateDict(_ node: JSONNode, _ path: JSONPath, inputSize X: Int, reader: SpecReader) -> (RNNParameters, RNNLayout?)? {
        let keys = StateDictKey.keys().map(\.name)
        guard let f = reader.object(node, path, allowed: keys + ["activation"]) else { return nil }
        var activation = Activation.tanh
        if let a = f["activation"], let name = reader.choice(a, path / "activation", among: rnnActivations) {
            activation = Activation(rawValue: name) ?? .tanh
        }
        return decodeRNNStateDict(f, path, inputSize: X, activation: activation, origins: false, reader: reader)
    }

    public var template: SpecTemplate.ModelTemplate {
        // The first activation is init's default: sigmoid, the default of a spec without one.
        SpecTemplate.ModelTemplate(name: name, layouts: ["sigmoid", "tanh", "relu", "pytorch"], hasState: false,
                                   parameterCount: { _, X, H in H * H + H * X + H }) { layout, X, H, draw in
            // h_t = act(W·h_{t−1} + U·x_t + b): the layout names the activation.
            guard layout == "pytorch" else {
                return [("activation", "\"\(layout)\""), ("W", draw.matrix(H, H)), ("U", draw.matrix(H, X)), ("b", draw.vector(H))]
            }
            // nn.RNN's state dict with its default tanh: the same draws in the same order (W, U,
            // b), written by the layout's own converter (the one --write-updated uses);
            // bias_ih_l0 holds b and bias_hh_l0 zeros.
            let W = Matrix(rows: H, cols: H, values: (0..<(H * H)).map { _ in draw.number() })
            let U = Matrix(rows: H, cols: X, values: (0..<(H * X)).map { _ in draw.number() })
            let b = Vector((0..<H).map { _ in draw.number() })
            let p = RNNParameters(W: W, U: U, b: b, activation: .tanh)
            let layout = RNNLayout.pytorch(biasIH: b, biasHH: Vector(zeros: H))
            return [("activation", "\"tanh\"")] + UpdatedSpec.weightMembers(layout.writtenBlocks(p))
        }
    }

    static let rnnStateDictKeys = StateDictKey.keys().map(\.name)

    /// The parameters, and the layout when the spec gave PyTorch's state dict.
    static func decodeRNNWeights(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> (RNNParameters, RNNLayout?)? {
        guard let f = reader.object(node, path, allowed: rnnWeightKeys + rnnStateDictKeys) else { return nil }
        let stateDict = rnnStateDictKeys.contains { f.has($0) }
        if stateDict, let other = ["W", "U", "b"].first(where: { f.has($0) }) {
            reader.fail(.conflict("give the weights as W, U, b or as PyTorch's state dict (weight_ih_l0, …), not both"), f[other]!, path / other)
            return nil
        }
        var activation = stateDict ? Activation.tanh : Activation.sigmoid
        if let a = f["activation"], let name = reader.choice(a, path / "activation", among: rnnActivations) {
            activation = Activation(rawValue: name) ?? .sigmoid
        }
        if stateDict { return decodeRNNStateDict(f, path, inputSize: X, activation: activation, reader: reader) }
        guard let wNode = reader.require(f, "W", meaning: "recurrent weights, H×H"),
              let uNode = reader.require(f, "U", meaning: "input weights, H×X") else { return nil }
        guard let H = reader.rowCount(wNode, path / "W", meaning: "H×H: hidden size × hidden size") else { return nil }
        let W = reader.matrix(wNode, path / "W", rows: H, cols: H, meaning: "H×H: hidden size H = \(H), from W's rows")
        guard let X else { return nil }
        let U = reader.matrix(uNode, path / "U", rows: H, cols: X, meaning: "H×X: hidden size \(H) × input size \(X)")
        var b: Vector?
        if let bNode = f["b"] {
            guard let v = reader.vector(bNode, path / "b", count: H, meaning: "hidden size H = \(H)") else { return nil }
            b = v
        }
        guard let W, let U else { return nil }
        return (RNNParameters(W: W, U: U, b: b, activation: activation), nil)
    }

    /// `origins`: whether size errors say which key a size came from (a network's layers are
    /// read under renamed keys, whose names would mislead).
    static func decodeRNNStateDict(_ f: SpecReader.Fields, _ path: JSONPath, inputSize X: Int?, activation: Activation,
                                   origins: Bool = true, reader: SpecReader) -> (RNNParameters, RNNLayout?)? {
        let ih = StateDictKey(.weightIH).name, hh = StateDictKey(.weightHH).name
        let bih = StateDictKey(.biasIH).name, bhh = StateDictKey(.biasHH).name
        guard let ihNode = reader.require(f, ih, meaning: "PyTorch's input weights, H×X"),
              let hhNode = reader.require(f, hh, meaning: "PyTorch's recurrent weights, H×H") else { return nil }
        guard let H = reader.rowCount(hhNode, path / hh, meaning: "H×H: hidden size × hidden size") else { return nil }
        let hidden = SpecReader.Size("H", H, "hidden size", from: origins ? path / hh : nil)
        reader.note(hidden)
        let W = reader.matrix(hhNode, path / hh, rows: hidden, cols: hidden)
        guard let X else { return nil }
        let U = reader.matrix(ihNode, path / ih, rows: hidden, cols: SpecReader.Size("X", X, "input size", from: origins ? .root / "inputs" / 0 : nil))
        let biasIH = f[bih].map { reader.vector($0, path / bih, count: hidden) }
        let biasHH = f[bhh].map { reader.vector($0, path / bhh, count: hidden) }
        guard let W, let U else { return nil }
        if biasIH == .some(nil) || biasHH == .some(nil) { return nil }
        // Without either bias the cell has none (bias=False); with one, the other is zeros.
        let hasBias = f.has(bih) || f.has(bhh)
        let ib = (biasIH ?? nil) ?? Vector(zeros: H), hb = (biasHH ?? nil) ?? Vector(zeros: H)
        let layout = RNNLayout.pytorch(biasIH: hasBias ? ib : nil, biasHH: hasBias ? hb : nil)
        return (layout.summingCopies(into: RNNParameters(W: W, U: U, b: hasBias ? ib : nil, activation: activation)), layout)
    }
}
