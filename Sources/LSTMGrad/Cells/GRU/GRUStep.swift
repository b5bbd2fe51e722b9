/// Everything forward computes at one timestep (read from the pass's values by `GRUCell.step`).
public struct GRUStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    /// r_t, z_t = σ(·), n_t = tanh(n̂).
    public var gates: GRUGates<Vector>
    /// hn_t = U_n·h_{t−1} + bh_n, the recurrent part of the candidate before the reset gate.
    public var hn: Vector
    public var out: Vector
}

public struct GRUStepDeltas: Sendable {
    /// Δ_t (loss term) and Δh_t (recurrent term, from step t+1).
    public var fromLoss: Vector
    public var fromNext: Vector
    /// δh_t = Δ_t + Δh_t.
    public var out: Vector
    /// Gradients of the gate outputs ∂L/∂r_t, ∂L/∂z_t, ∂L/∂n_t.
    public var gateOutputs: GRUGates<Vector>
    /// δr_t, δz_t, δn_t: gradients of the pre-activations.
    public var gates: GRUGates<Vector>
    /// δhn_t = δn_t ⊙ r_t.
    public var hn: Vector
    public var x: Vector
    /// Δh_{t−1}: the direct term through the update (δh ⊙ z or δh ⊙ (1 − z)) plus U_gᵀ·δg.
    public var toPrevOut: Vector
    public var toPrevDirect: Vector
}
