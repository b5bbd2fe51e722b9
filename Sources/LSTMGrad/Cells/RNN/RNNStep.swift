/// Everything forward computes at one timestep (read from the pass's values by `RNNCell.step`).
public struct RNNStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    /// z_t = W·h_{t−1} + U·x_t + b.
    public var pre: Vector
    /// h_t = act(z_t).
    public var out: Vector
    /// act′(z_t), the diagonal of ∂h_t/∂z_t.
    public var derivative: Vector
}

/// Every δ of one timestep (read from the pass's values by `RNNCell.deltas`).
public struct RNNStepDeltas: Sendable {
    /// Δ_t: ∂L/∂h_t through the loss at t (the loss term).
    public var fromLoss: Vector
    /// Δh_t: ∂L/∂h_t through step t+1 = Wᵀ·δz_{t+1} (the recurrent term; zero at t = T−1).
    public var fromNext: Vector
    /// δh_t = Δ_t + Δh_t.
    public var out: Vector
    /// δz_t = δh_t ⊙ act′(z_t).
    public var pre: Vector
    /// δx_t = Uᵀ·δz_t.
    public var x: Vector
    /// Δh_{t−1} = Wᵀ·δz_t.
    public var toPrevOut: Vector
}
