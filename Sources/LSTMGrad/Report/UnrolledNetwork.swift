/// The unrolled network as the solution page draws it: which forward values stand at each
/// timestep, grouped in bands (one per layer and direction, then the head), the loss of each
/// step, the gradients shown with each value and the δ of the carried state over t. Built once
/// by `ReportBuilder` (one cell) or the network report from the cell's and the head's own
/// report lines; the drawing only reads it.
public struct UnrolledNetwork: Sendable {
    /// One layer and direction (a stacked or bidirectional network has several), or the head.
    public struct Band: Sendable {
        public var title: String
        /// The band's values at each timestep t = 0…T−1 (real time, for a reverse band too),
        /// in the sheet's order.
        public var steps: [[QuantityName]]
        /// The band runs from t = T−1 down to 0: its steps read t+1, its initial state enters at
        /// t = T−1 (drawn right of the last step).
        public var reverse: Bool
        /// The carried values before the band's first step (h_−1, state_−1): none for the head.
        public var initial: [QuantityName]
        /// ‖δ‖ of the band's last carried value (δstate_t, or δh_t) at each t where the report has
        /// it, the initial state included: the gradient-flow plot.
        public var flow: [FlowPoint]

        public init(title: String, steps: [[QuantityName]], reverse: Bool = false, initial: [QuantityName] = [], flow: [FlowPoint] = []) {
            self.title = title
            self.steps = steps
            self.reverse = reverse
            self.initial = initial
            self.flow = flow
        }
    }

    /// One point of the gradient flow: the δ, where it stands in time (−1 for a forward band's
    /// initial state, T for a reverse band's) and its norm.
    public struct FlowPoint: Sendable {
        public var name: QuantityName
        public var t: Int
        public var norm: Double
    }

    public var bands: [Band]
    /// x_t at each t (the inputs, below the bands).
    public var inputs: [QuantityName]
    /// L_t at each t (above the bands).
    public var losses: [QuantityName]
    /// The state a step hands to the next (h, and the LSTM's state): the recurrent edges.
    public var carried: [Symbol]
    /// The gradients the report prints for a value (∂L/∂a_t after the activation, then δa_t).
    public var gradients: [QuantityName: [QuantityName]]
    /// What the drawing shows when the report has more (the sequence of a batch drawn).
    public var caption: String?

    public init(bands: [Band], inputs: [QuantityName], losses: [QuantityName], carried: [Symbol],
                gradients: [QuantityName: [QuantityName]], caption: String? = nil) {
        self.bands = bands
        self.inputs = inputs
        self.losses = losses
        self.carried = carried
        self.gradients = gradients
        self.caption = caption
    }

    /// The number of timesteps.
    public var steps: Int { inputs.count }

    /// Whether a band runs backward in time (the drawing then has a column right of t = T−1).
    public var hasReverse: Bool { bands.contains(where: \.reverse) }

    /// The bands with a gradient flow to plot.
    public var flows: [Band] { bands.filter { $0.flow.count > 1 } }

    /// The gradients among `printed` of each value: ∂L/∂a_t, δa_t, da_t at the value's place.
    public static func gradients(of names: some Sequence<QuantityName>, printed: Set<QuantityName>) -> [QuantityName: [QuantityName]] {
        var out: [QuantityName: [QuantityName]] = [:]
        for name in names {
            out[name] = name.symbol.gradientSymbols.map { symbol in
                var g = name
                g.symbol = symbol
                return g
            }.filter(printed.contains)
        }
        return out
    }

    /// The δ of a carried value (δstate for state, δh for h): the symbol the gradient flow plots.
    public static func flowSymbol(_ carried: Symbol) -> Symbol? { carried.gradientSymbols.dropFirst().first }

    /// The norm of each of `points` (a δ and where it stands in time) that the report prints.
    public static func flow(_ points: [(name: QuantityName, t: Int)], printed: Set<QuantityName>, values: Trace) -> [FlowPoint] {
        points.filter { printed.contains($0.name) }.map {
            FlowPoint(name: $0.name, t: $0.t, norm: values.value($0.name).numbers.reduce(0) { $0 + $1 * $1 }.squareRoot())
        }
    }
}
