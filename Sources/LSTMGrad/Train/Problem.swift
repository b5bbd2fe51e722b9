/// A complete problem: a cell with its parameters, a head, a loss, the sequence and its targets.
public struct Problem<C: Cell>: Sendable {
    public var cell: C
    public var head: Head
    public var loss: Loss
    public var inputs: [Vector]
    public var targets: Targets
    public var initial: CellState
    public var learningRate: Double

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

    /// Forward only, to the total loss (what finite differences differentiate).
    public func lossValue() -> Double {
        let steps = cell.forward(inputs, initial: initial)
        let scale = loss.mean ? 1 / Double(inputs.count) : 1
        var total = 0.0
        for t in 0..<steps.count {
            let hs = head.forward(cell.output(of: steps[t]))
            total += loss.evaluate(head: head, step: hs, t: t, targets: targets, scale: scale).loss
        }
        return total
    }
}

/// One forward + backward pass and the SGD update: every value the report prints.
public struct Pass<C: Cell>: Sendable {
    public var problem: Problem<C>
    public var steps: [C.Step]
    public var headSteps: [Head.Step]
    /// L_t per timestep (already scaled by 1/T for a mean loss).
    public var losses: [Double]
    /// ∂L/∂y_t and ∂L/∂v_t per timestep.
    public var dy: [Vector]
    public var dv: [Vector]
    public var gradients: CellGradients<C>
    public var headGradients: HeadParameters?
    public var updated: C.Parameters
    public var updatedHead: HeadParameters?

    public var loss: Double { losses.reduce(0, +) }

    /// Runs forward, backward and one SGD step.
    public init(_ problem: Problem<C>, options: BackwardOptions = BackwardOptions()) {
        self.problem = problem
        let cell = problem.cell
        let head = problem.head
        steps = cell.forward(problem.inputs, initial: problem.initial)
        let T = steps.count
        let scale = problem.loss.mean ? 1 / Double(T) : 1
        var headGrads = head.parameters?.zeroed
        var fromLoss: [Vector] = []
        headSteps = []
        losses = []
        dy = []
        dv = []
        for t in 0..<T {
            let out = cell.output(of: steps[t])
            let hs = head.forward(out)
            let l = problem.loss.evaluate(head: head, step: hs, t: t, targets: problem.targets, scale: scale)
            let (dvt, delta) = head.backward(hs, out: out, dy: l.dy, fusedDv: l.fusedDv, grads: &headGrads)
            headSteps.append(hs)
            losses.append(l.loss)
            dy.append(l.dy)
            dv.append(dvt)
            fromLoss.append(delta)
        }
        gradients = cell.backward(steps, fromLoss: fromLoss, options: options)
        headGradients = headGrads
        updated = cell.parameters.sgdStep(gradients: gradients.parameters, learningRate: problem.learningRate)
        updatedHead = head.parameters.map { $0.sgdStep(gradients: headGrads!, learningRate: problem.learningRate) }
    }
}
