/// Everything forward computes at one timestep, as a typed record read from the pass's values
/// (`LSTMCell.step`): what the analysis and the fast kernel's tests read.
public struct LSTMStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    public var prevState: Vector
    /// a_t = tanh(â), i_t, f_t, o_t = σ(·).
    public var gates: PerGate<Vector>
    public var state: Vector
    public var tanhState: Vector
    public var out: Vector
}

/// Every δ of one timestep, named as in the published example (read from the pass's values by
/// `LSTMCell.deltas`).
public struct LSTMStepDeltas: Sendable {
    /// Δ_t: ∂L/∂out_t through the loss at t.
    public var fromLoss: Vector
    /// Δout_t: ∂L/∂out_t through step t+1 (zero at t = T−1).
    public var fromNext: Vector
    /// δout_t = Δ_t + Δout_t.
    public var out: Vector
    /// δstate_t.
    public var state: Vector
    /// δa_t, δi_t, δf_t, δo_t: gradients of the pre-activations.
    public var gates: PerGate<Vector>
    /// Gradients of the gate outputs (after the activation): δstate⊙i, δstate⊙a, δstate⊙state_{t−1}, δout⊙tanh(state).
    public var gateOutputs: PerGate<Vector>
    /// δx_t = Wᵀ·δgates_t.
    public var x: Vector
    /// Δout_{t−1} = Uᵀ·δgates_t, and its four per-gate terms U_gᵀ·δg_t.
    public var toPrevOut: Vector
    public var toPrevOutTerms: PerGate<Vector>
    /// The two terms of δstate_t: through out_t (δout_t ⊙ o_t ⊙ (1 − tanh²(state_t))) and from
    /// t+1 (δstate_{t+1} ⊙ f_{t+1}, zero at t = T−1 or without recurrent terms).
    public var stateThroughOut: Vector = Vector(zeros: 0)
    public var stateFromNext: Vector = Vector(zeros: 0)
    /// False with `--no-recurrent-terms`: Δout_{t−1} and δstate_t ⊙ f_t are computed but not passed back.
    public var passedBack: Bool = true
}
