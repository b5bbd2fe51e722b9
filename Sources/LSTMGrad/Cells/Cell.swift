/// Named parameter blocks, so that SGD, finite differences and the report treat every cell and
/// head alike. Gradients have the parameters' own type.
public protocol ParameterSet: Sendable {
    /// Canonical block names in report order, e.g. `W.a`, `U.a`, `b.a`.
    var blockNames: [String] { get }
    /// A block's numbers (row-major for a matrix).
    subscript(block name: String) -> [Double] { get set }
    /// A block as the report shows it (matrix or vector).
    func value(of name: String) -> Value
    /// The same shapes, all zero.
    var zeroed: Self { get }
}

extension ParameterSet {
    /// θ ← θ − λ·δθ, block by block.
    public func sgdStep(gradients: Self, learningRate: Double) -> Self {
        var out = self
        for name in blockNames {
            let g = gradients[block: name]
            out[block: name] = zip(self[block: name], g).map { $0 - learningRate * $1 }
        }
        return out
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { blockNames.reduce(0) { $0 + self[block: $1].count } }
}

/// The recurrent state carried between timesteps: `out` (h) for every cell, and `state` (C)
/// for an LSTM.
public struct CellState: Sendable, Equatable {
    public var out: Vector
    public var state: Vector?

    public init(out: Vector, state: Vector? = nil) {
        self.out = out
        self.state = state
    }
}

/// A recurrent cell: forward and backward through time, side by side, plus what the report
/// prints of them. `Step` is everything forward computes at one t (backward reads only that);
/// `StepDeltas` every δ at one t.
public protocol Cell: Sendable {
    associatedtype Parameters: ParameterSet
    associatedtype Step: Sendable
    associatedtype StepDeltas: Sendable

    var parameters: Parameters { get }
    var hiddenSize: Int { get }
    var inputSize: Int { get }

    init(parameters: Parameters)

    /// Runs the sequence from `initial`; one `Step` per input.
    func forward(_ inputs: [Vector], initial: CellState) -> [Step]

    /// h_t of a step: what the head and the next step read.
    func output(of step: Step) -> Vector

    /// Backpropagation through time. `fromLoss[t]` is Δ_t = ∂L/∂out_t through the loss at t
    /// only; the recurrent terms are the cell's business.
    func backward(_ steps: [Step], fromLoss: [Vector], options: BackwardOptions) -> CellGradients<Self>

    /// The forward values of step t, in the sheet's order.
    func forwardQuantities(_ step: Step, t: Int, names: Notation) -> [Quantity]
    /// The δ values of step t, in the sheet's order.
    func backwardQuantities(_ deltas: StepDeltas, step: Step, t: Int, names: Notation) -> [Quantity]
    /// Quantities printed once after the t = 0 backward step (gradients of the initial state).
    func initialStateQuantities(_ gradients: CellGradients<Self>, names: Notation) -> [Quantity]
    /// Extra views of the totals (e.g. the stacked δW of the published example).
    func totalQuantities(_ gradients: Parameters, names: Notation) -> [Quantity]
    /// The model's one-line description for the report header.
    var summary: String { get }
    /// How each reported quantity is computed, by canonical key (for show-work and `check`).
    func work(for pass: Pass<Self>, names: Notation) -> [String: Work]
    /// The canonical base name of h_t in the report (`out` for the LSTM, `h` for RNN and GRU):
    /// the head's equations name their operand by it.
    var outputName: String { get }
}

extension Cell {
    /// A cell that does not describe its work: quantities print values only.
    public func work(for pass: Pass<Self>, names: Notation) -> [String: Work] { [:] }

    public var outputName: String { "out" }
}

/// Switches that change what backward computes, for teaching (issue: truncated gradients).
public struct BackwardOptions: Sendable, Equatable {
    /// Drop every term that reaches t from t+1 (Δout_t and δstate_{t+1}·f_{t+1}).
    public var recurrentTerms: Bool = true
    public init(recurrentTerms: Bool = true) { self.recurrentTerms = recurrentTerms }
}

/// Everything backward produces: per-step deltas, parameter gradients (the parameters' type),
/// and the gradients of the initial state and of every input.
public struct CellGradients<C: Cell>: Sendable {
    public var deltas: [C.StepDeltas]
    public var parameters: C.Parameters
    public var initial: CellState
    public var inputs: [Vector]

    public init(deltas: [C.StepDeltas], parameters: C.Parameters, initial: CellState, inputs: [Vector]) {
        self.deltas = deltas
        self.parameters = parameters
        self.initial = initial
        self.inputs = inputs
    }
}
