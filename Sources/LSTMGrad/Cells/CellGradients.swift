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
