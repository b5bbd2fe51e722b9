/// One forward + backward pass of a network and the update: each cell's own equations, renamed
/// to their layer, direction and sequence (`NetworkNames`), evaluated in PyTorch's order —
/// per sequence, layer by layer, each direction over its own time order; the head on the top
/// layer; backward from the head down; the gradients summed over t, then over the batch.
public struct NetworkPass<C: Cell>: Sendable {
    public var problem: NetworkProblem<C>
    public var values: Trace
    /// Every equation in evaluation order when kept (show-work).
    public var equations: [Equation]
    public var options: BackwardOptions

    var names: NetworkNames { problem.names }
    /// The optimizer's state after this pass's update (nil for plain SGD, whose update is an
    /// equation).
    public var optimizerState: OptimizerState?
    /// The layouts after the update, `[layer][direction]`, holding each bias copy after its own
    /// step (nil: the problem's, unchanged).
    var steppedLayouts: [[(any ParameterLayout<C.Parameters>)?]]?

    /// `fast`: each layer's, direction's and sequence's run goes through the cell's fast kernel
    /// where it has one and the run is large (`Cell.fastPass`; tests prove it equal), the
    /// equations giving the rest.
    public init(_ problem: NetworkProblem<C>, options: BackwardOptions = BackwardOptions(), keepEquations: Bool = false, fast: Bool = true) {
        var pass = NetworkPass.forward(problem, keepEquations: keepEquations, fast: fast && !keepEquations)
        pass.options = options
        pass.backward(keepEquations: keepEquations, fast: fast && !keepEquations)
        self = pass
    }

    /// One layer, direction and sequence as a problem of its own: the cell over its own time
    /// order (reversed for the reverse direction), given Δ_t (zeros in the forward phase).
    func segment(layer l: Int, reverse: Bool, sequence b: Int, deltas: [Vector]?) -> Problem<C> {
        let p = problem, n = names, T = p.steps
        let order = reverse ? Array((0..<T).reversed()) : Array(0..<T)
        let inputs = order.map { t in l == 0 ? p.inputs[b][t] : values.vector(n.at(.x(t), layer: l, reverse: false, sequence: b)) }
        let given = deltas.map { d in order.map { d[$0] } } ?? Array(repeating: Vector(zeros: p.hiddenSize), count: T)
        return Problem(cell: p.cells[l][reverse ? 1 : 0], head: .none, loss: Loss(kind: .upstream, half: false, mean: false), inputs: inputs,
                       targets: .gradients(given), initial: p.initial[l][reverse ? 1 : 0][b], learningRate: p.learningRate)
    }

    /// Copies a segment's values into the network's, renamed to their place: only the forward
    /// values in the forward phase; never the segment's parameters, update or surrogate loss.
    mutating func adopt(_ segment: Pass<C>, layer l: Int, reverse: Bool, sequence b: Int, forwardOnly: Bool) {
        let n = names, cell = segment.problem.cell
        var keep: Set<QuantityName>? = nil
        if forwardOnly {
            var names = Set<QuantityName>()
            for s in 0..<problem.steps { for eq in cell.forwardEquations(t: s) { names.insert(eq.name) } }
            keep = names
        }
        for (name, value) in segment.values.values {
            if let keep, !keep.contains(name) { continue }
            if n.blocks.contains(name.beforeUpdate) || name.symbol == .loss || name == .learningRate { continue }
            let placed = n.cell(name, layer: l, reverse: reverse, sequence: b)
            if values[placed] == nil { values[placed] = value }
        }
    }

    private init(problem: NetworkProblem<C>, values: Trace, equations: [Equation], options: BackwardOptions) {
        self.problem = problem
        self.values = values
        self.equations = equations
        self.options = options
    }

    /// The head's equations for sequence b (its loss scale is per sequence, as a cell's; a
    /// loss averaged over the batch as well reads `NetworkProblem.sequenceCount`).
    static func headEquations(_ p: NetworkProblem<C>, sequence b: Int) -> HeadEquations {
        HeadEquations(head: p.head, loss: p.loss, targets: p.targets[b], steps: p.steps, output: p.cells[0][0].outputSymbol,
                      sequences: p.sequenceCount, outputs: p.head.parameters?.V.rows ?? p.topWidth)
    }

    var K: Int { problem.head.parameters?.V.rows ?? problem.topWidth }

    /// Parameters, λ, inputs, initial states and labels.
    static func leaves(_ p: NetworkProblem<C>, names: NetworkNames) -> Trace {
        var v = p.parameterValues
        v[.learningRate] = .scalar(p.learningRate)
        let K = p.head.parameters?.V.rows ?? p.topWidth
        for b in 0..<p.sequenceCount {
            for (t, x) in p.inputs[b].enumerated() { v[names.cell(.x(t), layer: 0, reverse: false, sequence: b)] = .vector(x) }
            for (l, layer) in p.cells.enumerated() {
                for (d, cell) in layer.enumerated() {
                    let start = p.initial[l][d][b].vectors
                    for (k, symbol) in cell.carried.enumerated() {
                        v[names.cell(QuantityName(symbol, t: -1), layer: l, reverse: d == 1, sequence: b)] =
                            .vector(k < start.count ? start[k] : Vector(zeros: cell.hiddenSize))
                    }
                }
            }
            let head = headEquations(p, sequence: b)
            for t in 0..<p.steps {
                for (name, value) in head.leaves(t, outputs: K) { v[names.head(name, layers: p.layers, sequence: b)] = value }
            }
        }
        return v
    }

    /// Forward only: every forward value, the loss per sequence and t, and the total.
    static func forward(_ p: NetworkProblem<C>, keepEquations: Bool = false, fast: Bool = false) -> NetworkPass {
        var pass = NetworkPass(problem: p, values: Trace(), equations: [], options: BackwardOptions())
        let names = pass.names
        pass.values = leaves(p, names: names)
        let T = p.steps, L = p.layers
        var total = 0.0
        for b in 0..<p.sequenceCount {
            for (l, layer) in p.cells.enumerated() {
                if l > 0 {
                    // x_t of layer l = [out_t of layer l−1, forward; reverse]
                    for t in 0..<T {
                        let parts = (0..<p.directions).map { d in Expr.ref(names.at(QuantityName(layer[0].outputSymbol, t: t), layer: l - 1, reverse: d == 1, sequence: b)) }
                        pass.run([Equation(names.cell(.x(t), layer: l, reverse: false, sequence: b), .stack(parts))], keep: keepEquations)
                    }
                }
                for (d, cell) in layer.enumerated() {
                    if fast, let segment = C.fastPass(pass.segment(layer: l, reverse: d == 1, sequence: b, deltas: nil), options: BackwardOptions(), keepEquations: false) {
                        pass.adopt(segment, layer: l, reverse: d == 1, sequence: b, forwardOnly: true)
                    }
                    for s in 0..<T {
                        pass.run(cell.forwardEquations(t: s).map { $0.renamed { names.cell($0, layer: l, reverse: d == 1, sequence: b) } }, keep: keepEquations)
                    }
                }
            }
            let head = headEquations(p, sequence: b)
            let out = p.cells[0][0].outputSymbol
            for t in 0..<T {
                if p.directions == 2 {
                    // top_t = [out_t@l(L−1); out_t@l(L−1).reverse]
                    let parts = (0..<2).map { d in Expr.ref(names.at(QuantityName(out, t: t), layer: L - 1, reverse: d == 1, sequence: b)) }
                    pass.run([Equation(names.head(QuantityName(out, t: t), layers: L, sequence: b), .stack(parts))], keep: keepEquations)
                }
                pass.run(head.forwardEquations(t: t).map { $0.renamed { names.head($0, layers: L, sequence: b) } }, keep: keepEquations)
                let step = pass.headStep(b, t: t)
                let loss = p.loss.value(y: step.y, v: step.v, t: t, targets: p.targets[b], scale: head.scale)
                pass.values[names.head(QuantityName(.loss, t: t), layers: L, sequence: b)] = .scalar(loss)
                total += loss
            }
            if p.sequenceCount > 1 {
                let sum = (0..<T).reduce(0.0) { $0 + pass.values.value(names.head(QuantityName(.loss, t: $1), layers: L, sequence: b)).numbers[0] }
                pass.values[names.head(QuantityName(.loss), layers: L, sequence: b)] = .scalar(sum)
            }
        }
        pass.values[QuantityName(.loss)] = .scalar(total)
        return pass
    }

    /// v_t and y_t of sequence b (the top output itself without a head).
    func headStep(_ b: Int, t: Int) -> Head.Step {
        let n = names, L = problem.layers
        if problem.head.parameters == nil {
            let h = values.vector(n.head(QuantityName(problem.cells[0][0].outputSymbol, t: t), layers: L, sequence: b))
            return Head.Step(v: h, y: h)
        }
        return Head.Step(v: values.vector(n.head(QuantityName(.v, t: t), layers: L, sequence: b)),
                         y: values.vector(n.head(QuantityName(.y, t: t), layers: L, sequence: b)))
    }

    mutating func run(_ eqs: [Equation], keep: Bool) {
        for eq in eqs {
            values.evaluate(eq)
            if keep { equations.append(eq) }
        }
    }

    /// Backward from the head down, the gradients (over t, then over the batch), the update.
    mutating func backward(keepEquations keep: Bool, fast: Bool = false) {
        let p = problem, n = names
        let T = p.steps, H = p.hiddenSize, L = p.layers, D = p.directions
        let zero = Value.vector(Vector(zeros: H))
        for b in 0..<p.sequenceCount {
            let head = Self.headEquations(p, sequence: b)
            for t in (0..<T).reversed() {
                run(head.backwardEquations(t: t, outputs: K).map { $0.renamed { n.head($0, layers: L, sequence: b) } }, keep: keep)
                if D == 2 {
                    // Δ_t of each top direction: its half of ∂L/∂top_t
                    let top = n.head(.Delta(t), layers: L, sequence: b)
                    run((0..<2).map { d in Equation(n.at(.Delta(t), layer: L - 1, reverse: d == 1, sequence: b), .part(.ref(top), offset: d * H, count: H)) }, keep: keep)
                }
            }
            for l in (0..<L).reversed() {
                for (d, cell) in p.cells[l].enumerated() {
                    let rename: (QuantityName) -> QuantityName = { n.cell($0, layer: l, reverse: d == 1, sequence: b) }
                    if fast {
                        let deltas = (0..<T).map { values.vector(n.at(.Delta($0), layer: l, reverse: d == 1, sequence: b)) }
                        if let segment = C.fastPass(segment(layer: l, reverse: d == 1, sequence: b, deltas: deltas), options: options, keepEquations: false) {
                            adopt(segment, layer: l, reverse: d == 1, sequence: b, forwardOnly: false)
                        }
                    }
                    for s in (0..<T).reversed() {
                        for name in cell.zeroDeltas(t: s, steps: T, options: options) where values[rename(name)] == nil { values[rename(name)] = zero }
                        run(cell.backwardEquations(t: s, steps: T, options: options).map { $0.renamed(reverse: d == 1, rename) }, keep: keep)
                    }
                    run(cell.gradientEquations(steps: T).map { $0.renamed(rename) }, keep: keep)
                }
                if l > 0 {
                    // Δ_t of layer l−1, direction d: its part of δx_t of layer l, from both of layer l's directions
                    for t in 0..<T {
                        for d in 0..<D {
                            let terms = (0..<D).map { e in Expr.part(.ref(n.at(QuantityName(.deltaX, t: t), layer: l, reverse: e == 1, sequence: b)), offset: d * H, count: H) }
                            run([Equation(n.at(.Delta(t), layer: l - 1, reverse: d == 1, sequence: b), .sum(of: terms))], keep: keep)
                        }
                    }
                }
            }
            run(head.gradientEquations().map { $0.renamed { n.head($0, layers: L, sequence: b) } }, keep: keep)
        }
        if p.sequenceCount > 1 {
            // δθ = Σ_b δθ@b
            for block in totalGradients {
                run([Equation(block, .sum(of: (0..<p.sequenceCount).map { b in .ref(block.placed(layer: block.layer, reverse: block.reverse, sequence: b)) }))], keep: keep)
            }
        }
        if p.training.isPlainSGD {
            run(parameterBlocks.map { block in p.update.equation(for: QuantityName(block.symbol, block.component)).renamed { name in
                name == .learningRate ? name : name.placed(layer: block.layer, reverse: block.reverse, sequence: nil)
            } }, keep: keep)
            if p.layouts.joined().contains(where: { $0?.copies.isEmpty == false }) {
                // Each bias copy takes its own step; the bias after it is their sum (as for one cell).
                let cells = p.trainedCells
                let stepped = cells.map { c in c.steppedCopies(gradients: c.parameters.reading(values) { c.place($0).gradient }, learningRate: p.learningRate) }
                for (c, after) in zip(cells, stepped) {
                    for block in after.parameters.blockNames where p.update.doubled.contains(block.symbol) {
                        values[c.place(block).afterUpdate] = after.parameters.value(of: block)
                    }
                }
                steppedLayouts = layouts(stepped.map(\.layout))
            }
        } else {
            // The optimizer's step over every tensor of the network (`Optimizer.swift`).
            let cells = p.trainedCells
            let step = p.training.step(cells: cells, head: p.head.parameters, values: values, learningRate: p.learningRate)
            for (c, after) in zip(cells, step.cells) { values.store(after.parameters) { c.place($0).afterUpdate } }
            if let h = step.head { values.store(h) { $0.afterUpdate } }
            steppedLayouts = layouts(step.cells.map(\.layout))
            optimizerState = step.state
        }
    }

    /// Layouts listed layer by layer, forward before reverse, as `[layer][direction]`.
    func layouts(_ flat: [(any ParameterLayout<C.Parameters>)?]) -> [[(any ParameterLayout<C.Parameters>)?]] {
        let D = problem.directions
        return (0..<problem.layers).map { l in Array(flat[(l * D)..<((l + 1) * D)]) }
    }

    /// The layouts after the update, `[layer][direction]` (empty for a per-gate network).
    public var updatedLayouts: [[(any ParameterLayout<C.Parameters>)?]] {
        problem.layouts.isEmpty ? [] : steppedLayouts ?? problem.layouts
    }

    // MARK: views

    /// Every parameter block at its place, layer by layer, forward before reverse, then the head's.
    public var parameterBlocks: [QuantityName] { problem.blockNames }

    /// The total gradient of every block.
    public var totalGradients: [QuantityName] { parameterBlocks.map(\.gradient) }

    public var loss: Double { values.value(QuantityName(.loss)).numbers[0] }

    /// The cells' gradients, `[layer][direction]`, in the parameters' type.
    public var cellGradients: [[C.Parameters]] {
        problem.cells.enumerated().map { l, layer in
            layer.enumerated().map { d, cell in cell.parameters.reading(values) { names.cell($0, layer: l, reverse: d == 1, sequence: nil).gradient } }
        }
    }
    public var headGradients: HeadParameters? { problem.head.parameters?.reading(values, as: \.gradient) }
    /// The parameters after the update, `[layer][direction]`.
    public var updated: [[C.Parameters]] {
        problem.cells.enumerated().map { l, layer in
            layer.enumerated().map { d, cell in cell.parameters.reading(values) { names.cell($0, layer: l, reverse: d == 1, sequence: nil).afterUpdate } }
        }
    }
    public var updatedHead: HeadParameters? { problem.head.parameters?.reading(values, as: \.afterUpdate) }
}
