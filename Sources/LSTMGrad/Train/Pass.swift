/// One forward + backward pass and the update: the cell's and the head's equations evaluated in
/// order (forward at t = 0 … T−1, the loss, backward at t = T−1 … 0, the gradients summed over
/// t, the update), every value kept by name. The report, show-work and `check` read it; the
/// typed records (`steps`, `gradients`) are views of the same values.
public struct Pass<C: Cell>: Sendable {
    public var problem: Problem<C>
    public var values: Trace
    /// Every equation in evaluation order; empty unless asked for (show-work, `check`), since
    /// large passes need not keep them.
    public var equations: [Equation]
    public var options: BackwardOptions
    /// The optimizer's state after this pass's update (nil for plain SGD, whose update is an
    /// equation).
    public var optimizerState: OptimizerState?
    /// The layout after the update, holding each bias copy after its own step (nil: the
    /// problem's layout, unchanged).
    var steppedLayout: (any ParameterLayout<C.Parameters>)?

    /// Runs forward, backward and the update; `keepEquations` keeps every equation for the
    /// report's work. `provided` holds values already computed (by the fast kernel): their
    /// equations are not evaluated again.
    /// `views`: also the values only a report shows (`Cell.viewEquations`).
    public init(_ problem: Problem<C>, options: BackwardOptions = BackwardOptions(), keepEquations: Bool = false,
                views: Bool = true, provided: Trace = Trace()) {
        var pass = Pass.forward(problem, keepEquations: keepEquations, provided: provided)
        pass.options = options
        pass.backward(keepEquations: keepEquations, views: views)
        self = pass
    }

    private init(problem: Problem<C>, values: Trace, equations: [Equation], options: BackwardOptions) {
        self.problem = problem
        self.values = values
        self.equations = equations
        self.options = options
    }

    var T: Int { problem.inputs.count }
    var K: Int { problem.head.parameters?.V.rows ?? problem.cell.hiddenSize }

    /// The values every equation may read: parameters, λ, inputs, the initial state, labels.
    static func leaves(_ problem: Problem<C>) -> Trace {
        var v = Trace()
        v.store(problem.cell.parameters)
        if let hp = problem.head.parameters { v.store(hp) }
        v[.learningRate] = .scalar(problem.learningRate)
        for (t, x) in problem.inputs.enumerated() { v[.x(t)] = .vector(x) }
        let initial = problem.initial.vectors
        for (k, symbol) in problem.cell.carried.enumerated() {
            v[QuantityName(symbol, t: -1)] = .vector(k < initial.count ? initial[k] : Vector(zeros: problem.cell.hiddenSize))
        }
        let head = problem.headEquations
        let K = problem.head.parameters?.V.rows ?? problem.cell.hiddenSize
        for t in 0..<problem.inputs.count {
            for (name, value) in head.leaves(t, outputs: K) { v[name] = value }
        }
        return v
    }

    /// Forward only: every forward value and the loss at each t.
    static func forward(_ problem: Problem<C>, keepEquations: Bool = false, provided: Trace = Trace()) -> Pass {
        var values = provided
        for (name, value) in leaves(problem).values where values[name] == nil { values[name] = value }
        var kept: [Equation] = []
        let cell = problem.cell, head = problem.headEquations
        let T = problem.inputs.count
        var total = 0.0
        for t in 0..<T {
            for eq in cell.forwardEquations(t: t) + head.forwardEquations(t: t) {
                values.evaluate(eq)
                if keepEquations { kept.append(eq) }
            }
            let s = problem.head.step(values, t: t, output: cell.outputSymbol)
            let l = problem.loss.value(y: s.y, v: s.v, t: t, targets: problem.targets, scale: head.scale)
            values[QuantityName(.loss, t: t)] = .scalar(l)
            total += l
        }
        values[QuantityName(.loss)] = .scalar(total)
        return Pass(problem: problem, values: values, equations: kept, options: BackwardOptions())
    }

    /// Backward from t = T−1, the gradients summed over t, and the update.
    mutating func backward(keepEquations: Bool, views: Bool = true) {
        let cell = problem.cell, head = problem.headEquations
        func run(_ eqs: [Equation]) {
            for eq in eqs {
                values.evaluate(eq)
                if keepEquations { equations.append(eq) }
            }
        }
        let zero = Value.vector(Vector(zeros: cell.hiddenSize))
        for t in (0..<T).reversed() {
            run(head.backwardEquations(t: t, outputs: K))
            for name in cell.zeroDeltas(t: t, steps: T, options: options) where values[name] == nil { values[name] = zero }
            run(cell.backwardEquations(t: t, steps: T, options: options))
        }
        run(cell.gradientEquations(steps: T) + head.gradientEquations())
        if problem.training.isPlainSGD {
            run(problem.blockNames.map { problem.update.equation(for: $0) })
            if problem.layout?.copies.isEmpty == false {
                // Each bias copy takes its own step; the bias after it is their sum (the
                // equation's b − 2λ·δb, rounded as the copies are, so a written spec continues exactly).
                let after = problem.trainedCell.steppedCopies(gradients: problem.cell.parameters.reading(values, as: \.gradient),
                                                              learningRate: problem.learningRate)
                for block in after.parameters.blockNames where problem.update.doubled.contains(block.symbol) {
                    values[block.afterUpdate] = after.parameters.value(of: block)
                }
                steppedLayout = after.layout
            }
        } else {
            // The optimizer's step, torch.optim's own arithmetic (`Optimizer.swift`), over the
            // layout's tensors where it trains its own.
            let step = problem.training.step(cells: [problem.trainedCell], head: problem.head.parameters, values: values,
                                             learningRate: problem.learningRate)
            values.store(step.cells[0].parameters) { $0.afterUpdate }
            if let h = step.head { values.store(h) { $0.afterUpdate } }
            steppedLayout = step.cells[0].layout
            optimizerState = step.state
        }
        if views { run(cell.viewEquations(steps: T)) }
    }

    // MARK: views

    /// L_t per timestep (already scaled by 1/T for a mean loss), and the total.
    public var losses: [Double] { (0..<T).map { values.value(QuantityName(.loss, t: $0)).numbers[0] } }
    public var loss: Double { values.value(QuantityName(.loss)).numbers[0] }

    public var steps: [C.Step] { (0..<T).map { problem.cell.step(values, t: $0) } }
    public var headSteps: [Head.Step] { (0..<T).map { problem.head.step(values, t: $0, output: problem.cell.outputSymbol) } }
    /// ∂L/∂y_t and ∂L/∂v_t (Δ_t without a head).
    public var dy: [Vector] {
        (0..<T).map { t in values[QuantityName(.dy, t: t)]?.vector ?? values[QuantityName(.dv, t: t)]?.vector ?? values.vector(.Delta(t)) }
    }
    public var dv: [Vector] { (0..<T).map { t in values[QuantityName(.dv, t: t)]?.vector ?? values.vector(.Delta(t)) } }

    public var gradients: CellGradients<C> {
        let cell = problem.cell
        let initial = cell.initialGradients(options: options).map { values.vector($0) }
        return CellGradients(deltas: (0..<T).map { cell.deltas(values, t: $0) },
                             parameters: cell.parameters.reading(values, as: \.gradient),
                             initial: CellState(out: initial[0], state: initial.count > 1 ? initial[1] : nil),
                             inputs: (0..<T).map { values.vector(QuantityName(.deltaX, t: $0)) })
    }

    public var headGradients: HeadParameters? { problem.head.parameters?.reading(values, as: \.gradient) }
    /// The parameters after the update (the layout's own rule).
    public var updated: C.Parameters { problem.cell.parameters.reading(values, as: \.afterUpdate) }
    public var updatedHead: HeadParameters? { problem.head.parameters?.reading(values, as: \.afterUpdate) }
    /// The layout after the update (its bias copies after their steps).
    public var updatedLayout: (any ParameterLayout<C.Parameters>)? { steppedLayout ?? problem.layout }
}
