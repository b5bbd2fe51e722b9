/// A complete problem: a cell with its parameters, a head, a loss, the sequence and its targets.
public struct Problem<C: Cell>: Sendable {
    public var cell: C
    public var head: Head
    public var loss: Loss
    public var inputs: [Vector]
    public var targets: Targets
    public var initial: CellState
    public var learningRate: Double
    /// The layout's update rule (plain SGD unless the layout stores a block twice).
    public var update: UpdateRule = .sgd
    /// How the spec wrote the cell's parameters, when not in the canonical blocks: the report
    /// and `--write-updated` give gradients and parameters back in it.
    public var layout: (any ParameterLayout<C.Parameters>)? = nil
    /// The optimizer, clipping, frozen blocks and optimizer state (plain SGD by default).
    public var training = TrainingSetup()

    public init(cell: C, head: Head, loss: Loss, inputs: [Vector], targets: Targets, initial: CellState, learningRate: Double) {
        self.cell = cell
        self.head = head
        self.loss = loss
        self.inputs = inputs
        self.targets = targets
        self.initial = initial
        self.learningRate = learningRate
    }

    public var steps: Int { inputs.count }
    /// B, the number of sequences: one (a batch is a `NetworkProblem`, whose `sequenceCount`
    /// a loss averaged over the batch divides by).
    public var sequenceCount: Int { 1 }

    /// The same problem with other parameters (for SGD steps and finite differences).
    public func with(cell parameters: C.Parameters? = nil, head headParameters: HeadParameters? = nil,
                     initial: CellState? = nil, inputs: [Vector]? = nil) -> Problem {
        var p = self
        if let c = parameters { p.cell = C(parameters: c) }
        if let h = headParameters { p.head.parameters = h }
        if let s = initial { p.initial = s }
        if let x = inputs { p.inputs = x }
        return p
    }

    /// The head's and the loss's equations for this problem.
    /// Every parameter block, the cell's then the head's.
    public var blockNames: [QuantityName] { cell.parameters.blockNames + (head.parameters?.blockNames ?? []) }

    /// Every parameter block's value by name, the cell's and the head's.
    public var parameterValues: Trace {
        var t = Trace()
        t.store(cell.parameters)
        if let hp = head.parameters { t.store(hp) }
        return t
    }

    /// The step of the spec's update (its optimizer, or plain SGD, after clipping) from the
    /// parameters and gradients in `values`: every block after the step, and the state after it.
    public func optimizerStep(_ values: Trace) -> (parameters: [(QuantityName, [Double])], state: OptimizerState) {
        training.step(values, blocks: blockNames, doubled: update.doubled, learningRate: learningRate)
    }

    public var headEquations: HeadEquations {
        HeadEquations(head: head, loss: loss, targets: targets, steps: inputs.count, output: cell.outputSymbol,
                      sequences: sequenceCount, outputs: head.parameters?.V.rows ?? cell.hiddenSize)
    }

    /// Forward only, to the total loss (what finite differences differentiate).
    public func lossValue() -> Double {
        Pass.forward(self).losses.reduce(0, +)
    }
}
