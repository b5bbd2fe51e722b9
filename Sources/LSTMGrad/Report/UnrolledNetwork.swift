/// The unrolled network as the solution page draws it: which forward values stand at each
/// timestep, grouped in bands (one per layer and direction, then the head), the loss of each
/// step, the gradients shown with each value and the δ of the carried state over t. Built once
/// by `ReportBuilder` from the cell's and the head's own report lines; the drawing only reads it.
public struct UnrolledNetwork: Sendable {
    /// One layer and direction (a stacked or bidirectional network has several), or the head.
    public struct Band: Sendable {
        public var title: String
        /// The band's values at each timestep t = 0…T−1, in the sheet's order.
        public var steps: [[QuantityName]]

        public init(title: String, steps: [[QuantityName]]) {
            self.title = title
            self.steps = steps
        }
    }

    public var bands: [Band]
    /// x_t at each t (the inputs, below the bands).
    public var inputs: [QuantityName]
    /// L_t at each t (above the bands).
    public var losses: [QuantityName]
    /// The state a step hands to the next (h, and the LSTM's state): the recurrent edges, and
    /// the initial values at t = −1.
    public var carried: [Symbol]
    /// The gradients the report prints for a value (∂L/∂a_t after the activation, then δa_t).
    public var gradients: [QuantityName: [QuantityName]]
    /// ‖δ‖ of the last carried value (δstate_t, or δh_t) at each t where the report has it,
    /// t = −1 included: the gradient-flow plot.
    public var flow: [(name: QuantityName, norm: Double)]

    public init(bands: [Band], inputs: [QuantityName], losses: [QuantityName], carried: [Symbol],
                gradients: [QuantityName: [QuantityName]], flow: [(name: QuantityName, norm: Double)]) {
        self.bands = bands
        self.inputs = inputs
        self.losses = losses
        self.carried = carried
        self.gradients = gradients
        self.flow = flow
    }

    /// The number of timesteps.
    public var steps: Int { inputs.count }
}
