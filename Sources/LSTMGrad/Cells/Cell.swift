/// A recurrent cell as a plug-in: its parameters and its equations. The pass (`Pass`) evaluates
/// the equations in order; the report, show-work, `check` (carried forward, mistakes),
/// `gradcheck`, `--steps` and `--write-updated` all read the same equations and the values they
/// gave, and never name a concrete cell.
///
/// Conventions: step t reads `x[t]`, the parameters, and the values of step t−1 named by
/// `carried` (at t = 0 the initial state, `out[-1]`, `state[-1]`). Backward at t reads `Delta[t]`
/// (∂L_t/∂h_t through the head) and what step t+1 passed back; the cell names the zero vectors a
/// step starts from (`zeroDeltas`).
public protocol Cell: Sendable {
    associatedtype Parameters: ParameterSet
    /// Everything forward computes at one t, as a typed record (read from the pass's values).
    associatedtype Step: Sendable
    /// Every δ at one t, as a typed record.
    associatedtype StepDeltas: Sendable

    var parameters: Parameters { get }
    var hiddenSize: Int { get }
    var inputSize: Int { get }

    init(parameters: Parameters)

    /// The model's one-line description for the report header.
    var summary: String { get }
    /// h_t (`out` for the LSTM, `h` for the RNN and GRU): what the head reads.
    var outputSymbol: Symbol { get }
    /// The recurrent state carried from t−1 to t: h first, then the cell's own (the LSTM's `state`).
    var carried: [Symbol] { get }

    /// Forward at t: every value with its equation, in evaluation order.
    func forwardEquations(t: Int) -> [Equation]
    /// The forward values the report prints at t, in the sheet's order.
    func forwardLines(t: Int, names: Notation) -> [ReportLine]

    /// Backward at t of T: every δ with its equation, in evaluation order.
    func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation]
    /// δ values that are zero vectors of size H at step t (nothing reaches t = T−1 from t+1;
    /// with `--no-recurrent-terms` nothing reaches any step).
    func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName]
    /// The gradients of the carried initial state (in the order of `carried`), as computed at t = 0.
    func initialGradients(options: BackwardOptions) -> [QuantityName]
    /// The δ values the report prints at t, in the sheet's order.
    func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine]
    /// Printed once after the t = 0 backward step (the gradients of the initial state).
    func initialStateLines(names: Notation) -> [ReportLine]

    /// The gradient of every parameter block, summed over t, then other views of them (the
    /// stacked δW of the published example, PyTorch's stacked tensors).
    func gradientEquations(steps T: Int) -> [Equation]
    /// The views after the block totals that the report prints.
    func gradientLines(names: Notation) -> [ReportLine]
    /// Values only the report shows, evaluated after the gradients (the stacked δW of the
    /// published example, PyTorch's stacked tensors, the stacked pre-activations z_t): training
    /// steps and the gradient check do not pay for them.
    func viewEquations(steps T: Int) -> [Equation]

    /// The typed records, read from a pass's values.
    func step(_ values: Trace, t: Int) -> Step
    func deltas(_ values: Trace, t: Int) -> StepDeltas

    /// A faster computation of the pass for large problems (a kernel that computes the values
    /// the equations define; tests prove them equal), or nil to evaluate the equations.
    static func fastPass(_ problem: Problem<Self>, options: BackwardOptions, keepEquations: Bool) -> Pass<Self>?
    /// `--summary` through a fast kernel, or nil for the equations' pass.
    static func fastSummary(_ problem: Problem<Self>, model: String, options: BackwardOptions) -> GradientSummary?
    /// Whether `fastSummary` answers (it keeps only what backward reads).
    static var hasFastSummary: Bool { get }
    /// `--summary` of a network (layers, directions, a batch) through a fast kernel, or nil for
    /// the equations' pass.
    static func fastNetworkSummary(_ network: NetworkProblem<Self>, model: String, options: BackwardOptions) -> GradientSummary?

    /// `analyze`: how gradients flow back through this cell (`Analysis/GradientFlow+Cells.swift`),
    /// nil where the analysis has no account of the cell.
    static func gradientFlow(_ problem: Problem<Self>, window: Int?, lastRow: Bool) -> GradientFlow?
    /// The matrix whose powers `analyze` studies (the RNN's recurrent W), if the cell has one.
    static func recurrentMatrix(_ problem: Problem<Self>) -> Matrix?
}

extension Cell {
    public static func fastPass(_ problem: Problem<Self>, options: BackwardOptions, keepEquations: Bool) -> Pass<Self>? { nil }
    public static func fastSummary(_ problem: Problem<Self>, model: String, options: BackwardOptions) -> GradientSummary? { nil }
    public static var hasFastSummary: Bool { false }
    public static func fastNetworkSummary(_ network: NetworkProblem<Self>, model: String, options: BackwardOptions) -> GradientSummary? { nil }
    public static func gradientFlow(_ problem: Problem<Self>, window: Int?, lastRow: Bool) -> GradientFlow? { nil }
    public static func recurrentMatrix(_ problem: Problem<Self>) -> Matrix? { nil }
    public func initialStateLines(names: Notation) -> [ReportLine] { [] }
    public func gradientLines(names: Notation) -> [ReportLine] { [] }
    public func viewEquations(steps T: Int) -> [Equation] { [] }
}


extension Cell {
    /// The forward equations alone, from `initial` over `inputs`: every forward value by name.
    public func forwardValues(_ inputs: [Vector], initial: CellState) -> Trace {
        var v = Trace()
        v.store(parameters)
        for (t, x) in inputs.enumerated() { v[.x(t)] = .vector(x) }
        let start = initial.vectors
        for (k, symbol) in carried.enumerated() {
            v[QuantityName(symbol, t: -1)] = .vector(k < start.count ? start[k] : Vector(zeros: hiddenSize))
        }
        for t in inputs.indices {
            for eq in forwardEquations(t: t) { v.evaluate(eq) }
        }
        return v
    }

    /// The typed forward records of a sequence from `initial`.
    public func forward(_ inputs: [Vector], initial: CellState) -> [Step] {
        let v = forwardValues(inputs, initial: initial)
        return inputs.indices.map { step(v, t: $0) }
    }

    /// The carried state after step t of a forward run (h_t, and the LSTM's state_t).
    public func state(_ values: Trace, t: Int) -> CellState {
        let vs = carried.map { values.vector(QuantityName($0, t: t)) }
        return CellState(out: vs[0], state: vs.count > 1 ? vs[1] : nil)
    }
}
