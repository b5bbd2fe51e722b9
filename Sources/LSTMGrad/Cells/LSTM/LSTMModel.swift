/// `"model": "lstm"` (the default): the weights in any LSTM layout (`LSTMLayouts`), converted to
/// per-gate parameters; gradients, updates and `--write-updated` go back in the spec's layout.
public struct LSTMModel: CellModel {
    public init() {}

    public var name: String { "lstm" }

    /// Weights with peepholes are the peephole LSTM's (`PeepholeLSTMModel`).
    public func accepts(weights: JSONNode?) -> Bool { !PeepholeLSTMModel().accepts(weights: weights) }

    public func decode(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        let decodedWeights = reader.require(c.fields, "weights", meaning: "the cell's parameters").flatMap {
            LSTMLayouts.decodeAny($0, .root / "weights", inputSize: c.inputSize, reader: reader)
        }
        guard var problem = SpecDecoder.decodeProblem(c, weights: decodedWeights?.0, as: LSTMCell.self, hasState: true, reader: reader),
              let layout = decodedWeights?.1 else { return nil }
        problem.update = layout.update
        // A per-gate spec's blocks are the canonical ones: no second view.
        if case .perGate = layout {} else { problem.layout = layout }
        return problem
    }

    /// Layers and directions in any LSTM layout (each one as `decode` reads one cell's weights).
    public func decodeNetwork(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        NetworkDecoder.decode(c, as: LSTMCell.self, hasState: true, reader: reader) { node, path, X in
            LSTMLayouts.decodeAny(node, path, inputSize: X, reader: reader).map { p, layout in
                if case .perGate = layout { return (p, layout.update, nil) }
                return (p, layout.update, layout)
            }
        }
    }

    public var template: SpecTemplate.ModelTemplate {
        SpecTemplate.ModelTemplate(name: name, layouts: Self.layouts.map(\.name), hasState: true,
                                   parameterCount: { _, X, H in 4 * (H * X + H * H + H) }) { layout, X, H, draw in
            // Per gate a, i, f, o: W_g H×X, U_g H×H, b_g H; other layouts: the same numbers (same
            // draws, same order), written by the layout's own converter (the one
            // --write-updated uses).
            guard let target = Self.layouts.first(where: { $0.name == layout })?.layout else {
                return SpecTemplate.perGate(gates: LSTMGate.allCases.map(\.rawValue), X: X, H: H, draw: &draw)
            }
            let p = Self.parameters(X: X, H: H, draw: &draw)
            let l = target(p)
            return [("", UpdatedSpec.object(merging: UpdatedSpec.weightMembers(l.writtenBlocks(p)), into: nil, fields: l.writtenFields))]
        }
    }

    /// The LSTM layouts init writes (names as `--layout` takes them) and how each is spelled.
    static let layouts: [(name: String, layout: (@Sendable (LSTMParameters) -> LSTMLayout)?)] = [
        ("per-gate", nil),
        ("seed000", { _ in .seed000(candidate: "c") }),
        ("concatenated", { _ in .concatenated(hFirst: true, candidate: "a") }),
        ("stacked", { _ in .stacked(order: [.a, .i, .f, .o], spelling: ["a", "i", "f", "o"]) }),
        // bias_ih_l0 holds b and bias_hh_l0 zeros: the effective bias is b.
        ("pytorch", { p in .pytorch(biasIH: Vector(LSTMLayout.pytorchOrder.flatMap { p.b[$0].values }),
                                    biasHH: Vector(zeros: 4 * p.hiddenSize)) }),
        ("keras", { _ in .keras }),
    ]

    /// The per-gate parameters drawn in the order the per-gate layout writes them (W, U, b; gates
    /// a, i, f, o).
    static func parameters(X: Int, H: Int, draw: inout SpecTemplate.Draw) -> LSTMParameters {
        var W: [LSTMGate: Matrix] = [:], U: [LSTMGate: Matrix] = [:], b: [LSTMGate: Vector] = [:]
        for g in LSTMGate.allCases { W[g] = Matrix(rows: H, cols: X, values: (0..<(H * X)).map { _ in draw.number() }) }
        for g in LSTMGate.allCases { U[g] = Matrix(rows: H, cols: H, values: (0..<(H * H)).map { _ in draw.number() }) }
        for g in LSTMGate.allCases { b[g] = Vector((0..<H).map { _ in draw.number() }) }
        return LSTMParameters(W: PerGate { W[$0]! }, U: PerGate { U[$0]! }, b: PerGate { b[$0]! })
    }
}
