/// `"model": "rnn"`: `"weights": {"activation": "sigmoid", "W": H×H, "U": H×X, "b": H}`, with
/// h_t = act(W·h_{t−1} + U·x_t + b) as seed 004 writes it. `b` is optional (no bias at all when
/// absent); `activation` is sigmoid (default), tanh or relu.
public struct RNNModel: CellModel {
    public init() {}

    public var name: String { "rnn" }
    static let rnnWeightKeys = ["activation", "W", "U", "b"]
    static let rnnActivations = ["sigmoid", "tanh", "relu"]

    public func decode(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        let weights = reader.require(c.fields, "weights", meaning: "the cell's parameters W, U and optionally b, activation").flatMap {
            Self.decodeRNNWeights($0, .root / "weights", inputSize: c.inputSize, reader: reader)
        }
        return SpecDecoder.decodeProblem(c, weights: weights, as: RNNCell.self, hasState: false, reader: reader)
    }

    /// Layers and directions, as W/U/b or as nn.RNN's state dict (`activation` tanh by default,
    /// as nn.RNN's `nonlinearity`; b = b_ih + b_hh, each stepped by −λ·δb).
    public func decodeNetwork(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        NetworkDecoder.decode(c, as: RNNCell.self, hasState: false, reader: reader) { node, path, X in
            if node.members?.contains(where: { StateDictKey($0.key) != nil }) == true {
                return Self.decodeRNNStateDict(node, path, inputSize: X, reader: reader).map { ($0, UpdateRule(doubled: [.b])) }
            }
            return Self.decodeRNNWeights(node, path, inputSize: X, reader: reader).map { ($0, UpdateRule.sgd) }
        }
    }

    /// nn.RNN's `weight_ih_l0` (H×X, our U), `weight_hh_l0` (H×H, our W), `bias_ih_l0` + `bias_hh_l0` (b).
    static func decodeRNNStateDict(_ node: JSONNode, _ path: JSONPath, inputSize X: Int, reader: SpecReader) -> RNNParameters? {
        let keys = StateDictKey.Block.allCases.map { StateDictKey(block: $0, layer: 0, reverse: false).name }
        guard let f = reader.object(node, path, allowed: keys + ["activation"]) else { return nil }
        var activation = Activation.tanh
        if let a = f["activation"], let name = reader.choice(a, path / "activation", among: rnnActivations) {
            activation = Activation(rawValue: name) ?? .tanh
        }
        guard let ih = reader.require(f, keys[0], meaning: "PyTorch's input weights, H×X"),
              let hh = reader.require(f, keys[1], meaning: "PyTorch's recurrent weights, H×H"),
              let H = reader.rowCount(hh, path / keys[1], meaning: "H×H: hidden size") else { return nil }
        let U = reader.matrix(ih, path / keys[0], rows: H, cols: X, meaning: "H×X: hidden size \(H) × input size \(X)")
        let W = reader.matrix(hh, path / keys[1], rows: H, cols: H, meaning: "H×H: hidden size H = \(H)")
        let bih = f[keys[2]].map { reader.vector($0, path / keys[2], count: H, meaning: "hidden size H = \(H)") } ?? Vector(zeros: H)
        let bhh = f[keys[3]].map { reader.vector($0, path / keys[3], count: H, meaning: "hidden size H = \(H)") } ?? Vector(zeros: H)
        guard let U, let W, let bih, let bhh else { return nil }
        return RNNParameters(W: W, U: U, b: bih + bhh, activation: activation)
    }

    public var template: SpecTemplate.ModelTemplate {
        // The first activation is init's default: sigmoid, the default of a spec without one.
        SpecTemplate.ModelTemplate(name: name, layouts: ["sigmoid", "tanh", "relu"], hasState: false,
                                   parameterCount: { _, X, H in H * H + H * X + H }) { activation, X, H, draw in
            // h_t = act(W·h_{t−1} + U·x_t + b): the layout names the activation.
            [("activation", "\"\(activation)\""), ("W", draw.matrix(H, H)), ("U", draw.matrix(H, X)), ("b", draw.vector(H))]
        }
    }

    static func decodeRNNWeights(_ node: JSONNode, _ path: JSONPath, inputSize X: Int?, reader: SpecReader) -> RNNParameters? {
        guard let f = reader.object(node, path, allowed: rnnWeightKeys) else { return nil }
        var activation = Activation.sigmoid
        if let a = f["activation"], let name = reader.choice(a, path / "activation", among: rnnActivations) {
            activation = Activation(rawValue: name) ?? .sigmoid
        }
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
        return RNNParameters(W: W, U: U, b: b, activation: activation)
    }
}
