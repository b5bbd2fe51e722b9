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

    /// The cell's part in training: its canonical blocks, or its layout's own tensors.
    var trainedCell: TrainedCell<C.Parameters> { TrainedCell(parameters: cell.parameters, layout: layout) }

    /// Every tensor an optimizer steps (frozen ones too), with its value and the canonical
    /// blocks it holds: the cell's (a state dict's `bias_ih_l0` and `bias_hh_l0` apart), then
    /// the head's blocks.
    public var trainedTensors: [(name: QuantityName, value: Value, blocks: Set<QuantityName>)] {
        let c = trainedCell
        let holds = Dictionary(c.holdings, uniquingKeysWith: { a, _ in a })
        return c.tensors.map { ($0.name, $0.value, holds[$0.name] ?? [$0.name]) }
            + (head.parameters.map { h in h.blockNames.map { ($0, h.value(of: $0), [$0]) } } ?? [])
    }

    /// The parameter blocks' values and, where the layout trains its own tensors, the tensors'
    /// (`bias_ih_l0`): what `--write-updated` writes and the optimizer's state is shaped by.
    public var trainingValues: Trace {
        var t = parameterValues
        if trainedCell.tensorLayout != nil { for (name, value) in trainedCell.tensors { t[name] = value } }
        return t
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
