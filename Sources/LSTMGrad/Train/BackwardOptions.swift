/// Switches that change what backward computes, for teaching (truncated gradients).
public struct BackwardOptions: Sendable, Equatable {
    /// Drop every term that reaches t from t+1 (Δout_t and δstate_{t+1}·f_{t+1}).
    public var recurrentTerms: Bool = true
    public init(recurrentTerms: Bool = true) { self.recurrentTerms = recurrentTerms }
}
