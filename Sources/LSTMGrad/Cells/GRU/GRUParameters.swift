/// PyTorch's parameters, per gate: W_g = W_ig (H×X), U_g = W_hg (H×H), b_g = b_ig, bh_g = b_hg (H).
/// r_t = σ(W_r·x_t + b_r + U_r·h_{t−1} + bh_r), z_t likewise,
/// n_t = tanh(W_n·x_t + b_n + r_t ⊙ (U_n·h_{t−1} + bh_n)).
public struct GRUParameters: GatedParameterSet, Equatable {
    public var W: GRUGates<Matrix>
    public var U: GRUGates<Matrix>
    public var b: GRUGates<Vector>
    public var bh: GRUGates<Vector>
    public var convention: GRUConvention

    public init(W: GRUGates<Matrix>, U: GRUGates<Matrix>, b: GRUGates<Vector>, bh: GRUGates<Vector>, convention: GRUConvention) {
        self.W = W
        self.U = U
        self.b = b
        self.bh = bh
        self.convention = convention
    }

    public var hiddenSize: Int { U.r.rows }
    public var inputSize: Int { W.r.cols }

    public static let matrixBlocks: [Symbol] = [.W, .U]
    public static let vectorBlocks: [Symbol] = [.b, .bh]
    public static func matrices(_ block: Symbol) -> WritableKeyPath<GRUParameters, GRUGates<Matrix>> { block == .W ? \.W : \.U }
    public static func vectors(_ block: Symbol) -> WritableKeyPath<GRUParameters, GRUGates<Vector>> { block == .b ? \.b : \.bh }

    /// PyTorch's stacked state-dict tensors, rows r, z, n.
    public var weightIH: Matrix { W.stacked }
    public var weightHH: Matrix { U.stacked }
    public var biasIH: Vector { b.stacked }
    public var biasHH: Vector { bh.stacked }
}
