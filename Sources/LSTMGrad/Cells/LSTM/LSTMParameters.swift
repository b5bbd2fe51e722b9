/// W_g (H×X), U_g (H×H), b_g (H) for each gate g.
public struct LSTMParameters: GatedParameterSet, Equatable {
    public var W: PerGate<Matrix>
    public var U: PerGate<Matrix>
    /// Zero, and no parameter, when the spec has no biases (the stacked form z = [W U]·[x; h]):
    /// a spec without a parameter does not learn it.
    public var b: PerGate<Vector>
    public var hasBias: Bool

    public init(W: PerGate<Matrix>, U: PerGate<Matrix>, b: PerGate<Vector>, hasBias: Bool = true) {
        self.W = W
        self.U = U
        self.b = b
        self.hasBias = hasBias
    }

    /// W, U and b per gate; without biases W and U only.
    public var blockNames: [QuantityName] {
        let blocks: [Symbol] = hasBias ? [.W, .U, .b] : [.W, .U]
        return blocks.flatMap { block in LSTMGate.allCases.map { QuantityName(block, $0.rawValue) } }
    }

    public var hiddenSize: Int { b.a.count }
    public var inputSize: Int { W.a.cols }

    public static let matrixBlocks: [Symbol] = [.W, .U]
    public static let vectorBlocks: [Symbol] = [.b]
    public static func matrices(_ block: Symbol) -> WritableKeyPath<LSTMParameters, PerGate<Matrix>> { block == .W ? \.W : \.U }
    public static func vectors(_ block: Symbol) -> WritableKeyPath<LSTMParameters, PerGate<Vector>> { \.b }

    /// W = [W_a; W_i; W_f; W_o] (4H×X), as the published example stacks them.
    public var stackedW: Matrix { W.stacked }
    public var stackedU: Matrix { U.stacked }
    public var stackedB: Vector { b.stacked }
}
