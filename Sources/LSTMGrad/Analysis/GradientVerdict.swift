/// Vanishing, exploding or neither, and which fact decided it.
///
/// For a vanilla RNN the sufficient condition of Pascanu, Mikolov and Bengio decides when it
/// holds (γ·σ_max(W) < 1: vanishing for every input sequence). Otherwise, and for gated cells,
/// the measured growth decides: the average factor per step of ‖∂s_{T−1}/∂s_{−1}‖₂ over the whole
/// sequence, r = ‖∂s_{T−1}/∂s_{−1}‖₂^(1/T). r < 0.95 is vanishing, r > 1.05 exploding, and
/// in between neither — a statement about this sequence only. The necessary condition for
/// exploding (σ_max(W) > 1/γ) is reported: when it fails, exploding is impossible.
public struct GradientVerdict: Sendable, Equatable {
    public enum Kind: String, Sendable { case vanishing, exploding, neither }
    public enum Basis: String, Sendable {
        case sufficientCondition = "sufficient_condition"
        case measuredGrowth = "measured_growth"
    }

    /// Within 5 % of 1 per step counts as neither.
    public static let band = 0.05

    public var kind: Kind
    public var decidedBy: Basis
    /// The RNN's conditions (nil for gated cells).
    public var conditions: PascanuConditions?
    /// ‖∂s_{T−1}/∂s_{−1}‖₂ over the whole sequence.
    public var measured: GradientFlow.Reach

    public var perStep: Double { measured.perStep }

    public init(conditions: PascanuConditions?, measured: GradientFlow.Reach) {
        self.conditions = conditions
        self.measured = measured
        if let c = conditions, c.sufficientForVanishing {
            kind = .vanishing
            decidedBy = .sufficientCondition
            return
        }
        decidedBy = .measuredGrowth
        let r = measured.perStep
        if r < 1 - GradientVerdict.band {
            kind = .vanishing
        } else if r > 1 + GradientVerdict.band {
            kind = .exploding
        } else {
            kind = .neither
        }
    }
}
