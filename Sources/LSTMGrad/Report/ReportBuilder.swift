/// Collects a pass into the ordered report of named quantities, in the sheet's order: forward
/// per t, the loss, backward from T−1 down to 0, the gradient totals, the update; in the
/// spec's notation and layout, built once in its final form.
public enum ReportBuilder {
    /// `work`: attach each quantity's equation (show-work, `check`); the pass must have kept
    /// its equations.
    /// `files`: the spec's members read from tensor files (`Spec.fileNotes`), one header line each.
    public static func build<C: Cell>(_ pass: Pass<C>, names: Notation, source: String? = nil, files: [String] = [],
                                      work withWork: Bool = false) throws(NumericError) -> Report {
        let problem = pass.problem
        let cell = problem.cell
        let head = problem.headEquations
        let T = problem.inputs.count
        let hasHead = problem.head.kind != .none
        let values = pass.values
        var header = [
            "\(cell.summary)   X = \(cell.inputSize), H = \(cell.hiddenSize), T = \(T)"
                + (hasHead ? ", head: \(problem.head.kind.rawValue) (\(problem.head.parameters!.V.rows) outputs)" : ""),
            "loss: L = \(problem.headEquations.formula)\(hasHead ? "" : ", y_t = out_t")",
            (problem.training.isPlainSGD ? "" : "update: ") + problem.training.describe(learningRate: problem.learningRate),
        ]
        if let s = source { header.insert("spec: \(s)", at: 0) }
        header.insert(contentsOf: files.map { "from file: " + $0 }, at: source == nil ? 0 : 1)
        if !pass.options.recurrentTerms {
            header.append("truncated gradient (--no-recurrent-terms): Δout_t and δstate_{t+1}⊙f_{t+1} are dropped; the full gradient is printed after it")
        }

        func quantity(_ line: ReportLine) -> Quantity {
            var q = names.quantity(line.name, values.value(line.name), note: line.note)
            if let l = line.label { q.label = l }
            return q
        }
        var sections: [Section] = []
        for t in 0..<T {
            let lines = cell.forwardLines(t: t, names: names) + head.forwardLines(t: t)
            sections.append(Section(title: "Forward @ t=\(t)", quantities: lines.map(quantity)))
        }
        sections.append(Section(title: "Loss", quantities: [quantity(ReportLine(QuantityName(.loss)))]))
        for t in (0..<T).reversed() {
            var lines = head.backwardLines(t: t) + cell.backwardLines(t: t, steps: T, options: pass.options, names: names)
            if t == 0 { lines += cell.initialStateLines(names: names) }
            sections.append(Section(title: "Backward @ t=\(t)", quantities: lines.map(quantity)))
        }

        let blocks = cell.parameters.blockNames
        let headBlocks = problem.head.parameters?.blockNames ?? []
        var totals = blocks.map { quantity(ReportLine($0.gradient)) }
        totals += cell.gradientLines(names: names).map(quantity)
        totals += headBlocks.map { quantity(ReportLine($0.gradient)) }
        let setup = problem.training
        // A block the layout stores twice is the sum of two copies, each moved by its own step.
        func updateNote(_ block: QuantityName) -> String? {
            guard !setup.isPlainSGD else { return problem.update.note(for: block) }
            return problem.update.doubled.contains(block.symbol) ? "effective bias b_ih + b_hh: the two copies after their own steps" : nil
        }
        var updated = (blocks + headBlocks).map { quantity(ReportLine($0.afterUpdate, note: updateNote($0))) }
        var notes: [String] = []
        if let layout = problem.layout, layout.isShownInReport {
            header.append("weights: \(layout.name) layout; gradients and updated parameters are also given in it")
        }
        if let layout = problem.layout, layout.isShownInReport, layout.showsBlocks(in: names) {
            let inLayout = layoutQuantities(pass.updatedLayout ?? layout, gradients: pass.gradients.parameters, updated: pass.updated, names: names)
            totals += inLayout.gradients
            updated += inLayout.updated
            if !setup.isPlainSGD && !problem.update.doubled.isEmpty {
                notes.append("PyTorch layout: b = bias_ih_l0 + bias_hh_l0; both biases receive the same gradient δb and each takes its own step of the update (its own state and weight decay); b after the step is their sum.")
            } else if let note = layout.note(learningRate: problem.learningRate) {
                notes.append(note)
            }
        }
        sections.append(Section(title: "Gradients (summed over t)", quantities: totals))
        sections += updateSections(setup, learningRate: problem.learningRate, updated: updated, state: pass.optimizerState,
                                   shapes: problem.trainingValues, names: names)

        var report = Report(header: header, sections: sections, notes: notes)
        report.notation = names
        report.unrolled = unrolled(pass, names: names, sections: sections)
        var final = Trace()
        for block in blocks + headBlocks { final[block] = values.value(block.afterUpdate) }
        let after = TrainedCell(parameters: pass.updated, layout: pass.updatedLayout)
        if after.tensorLayout != nil { for (name, value) in after.tensors { final[name] = value } }
        report.finalParameters = final
        if setup.optimizer != nil { report.finalOptimizerState = pass.optimizerState }
        if withWork {
            attachWork(&report, equations: pass.equations, values: values)
            report.layoutBlocks = problem.layout?.blockNames(of: cell.parameters) ?? []
        }
        try checkFinite(report)
        return report
    }

    /// The drawing's view of the pass: the cell's forward values in one band, the head's in
    /// another, the losses, and each value's gradients among those the report prints.
    static func unrolled<C: Cell>(_ pass: Pass<C>, names: Notation, sections: [Section]) -> UnrolledNetwork {
        let problem = pass.problem
        let cell = problem.cell, head = problem.headEquations
        let T = problem.inputs.count
        let printed = Set(sections.flatMap { $0.quantities.map(\.name) })
        let cellSteps = (0..<T).map { t in cell.forwardLines(t: t, names: names).map(\.name) }
        let headLines = (0..<T).map { t in head.forwardLines(t: t).map(\.name) }
        let headSteps = headLines.map { $0.filter { $0.symbol != .loss } }
        let flow = cell.carried.last.flatMap(UnrolledNetwork.flowSymbol).map { delta in
            UnrolledNetwork.flow((-1..<T).map { (QuantityName(delta, t: $0), $0) }, printed: printed, values: pass.values)
        } ?? []
        var bands = [UnrolledNetwork.Band(title: cell.summary, steps: cellSteps, initial: cell.carried.map { QuantityName($0, t: -1) }, flow: flow)]
        if headSteps.contains(where: { !$0.isEmpty }) { bands.append(UnrolledNetwork.Band(title: "head", steps: headSteps)) }
        return UnrolledNetwork(bands: bands, inputs: (0..<T).map(QuantityName.x), losses: headLines.flatMap { $0.filter { $0.symbol == .loss } },
                               carried: cell.carried, gradients: UnrolledNetwork.gradients(of: (cellSteps + headSteps).joined(), printed: printed))
    }

    /// Each quantity's equation, every value and every equation of the pass (show-work, `check`).
    static func attachWork(_ report: inout Report, equations all: [Equation], values: Trace) {
        let equations = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for s in report.sections.indices {
            for k in report.sections[s].quantities.indices {
                report.sections[s].quantities[k].equation = equations[report.sections[s].quantities[k].name]
            }
        }
        report.values = values
        report.equations = all
    }

    /// A block in a layout's own spelling (`weight_ih_l0`, `Wx.f`) as a name.
    static func layoutName(_ spelling: String) -> QuantityName {
        QuantityName(parsing: spelling) ?? QuantityName(Symbol(spelling))
    }

    /// The gradients and the updated parameters in the spec's layout (`d_weight_ih_l0`,
    /// `weight_ih_l0'`), each tensor's name respelled by `rename` (a network's layer and
    /// direction: `weight_hh_l1_reverse'`).
    static func layoutQuantities<P>(_ layout: any ParameterLayout<P>, gradients: P, updated: P, names: Notation,
                                    rename: (String) -> String = { $0 }) -> (gradients: [Quantity], updated: [Quantity]) {
        let g = layout.showsGradients ? layout.blocks(gradients).map { name, value in
            Quantity(name: layoutName("d_" + rename(name)), label: names.gradientSymbol + rename(name), value: value, note: "\(layout.name) layout")
        } : []
        let u = layout.updatedBlocks(updated).map { name, value in
            Quantity(name: layoutName(rename(name)).afterUpdate, label: rename(name), value: value, note: "\(layout.name) layout")
        }
        return (g, u)
    }

    /// The updated parameters (SGD's or the optimizer's step) and, with an optimizer, its state
    /// after the step: for one cell and for a network alike.
    static func updateSections(_ setup: TrainingSetup, learningRate: Double, updated: [Quantity], state: OptimizerState?,
                               shapes: Trace, names: Notation) -> [Section] {
        var out = [Section(title: setup.isPlainSGD ? "Updated parameters (SGD, λ = \(shortest(learningRate)))"
                                                   : "Updated parameters (\(setup.optimizer?.kind.className ?? "SGD") step \(setup.state.step + 1))",
                           quantities: updated)]
        if let state, setup.optimizer != nil {
            out.append(Section(title: "Optimizer state after step \(state.step)", quantities: state.quantities(shapes: shapes, names: names)))
        }
        return out
    }

    /// Stops at the first quantity (in report order: forward before backward) that is not finite.
    static func checkFinite(_ report: Report) throws(NumericError) {
        for s in report.sections {
            for q in s.quantities {
                if let bad = q.value.numbers.first(where: { !$0.isFinite }) {
                    throw NumericError(quantity: "\(q.label) (\(q.key))", value: bad, section: s.title)
                }
            }
        }
    }
}

/// The shortest decimal that reads back as the same double (Swift's own round-trip form).
public func shortest(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
    return "\(x)"
}

extension ReportBuilder {
    /// With `--no-recurrent-terms` (the univariate sheet drops "the next level"): the full
    /// gradient of every block beside the truncated one the report printed, and how far apart
    /// they are.
    public static func addTruncationComparison<C: Cell>(_ report: Report, truncated: Pass<C>, full: Pass<C>, names: Notation) -> Report {
        var blocks = full.problem.cell.parameters.blockNames
        if let hp = full.problem.head.parameters { blocks += hp.blockNames }
        return addTruncationComparison(report, blocks: blocks, truncated: truncated.values, full: full.values, names: names)
    }

    /// The same for any parameter blocks (a network's, at their layer and direction).
    static func addTruncationComparison(_ report: Report, blocks: [QuantityName], truncated: Trace, full: Trace, names: Notation) -> Report {
        var r = report
        var qs: [Quantity] = []
        var gapSquared = 0.0, sizeSquared = 0.0
        for block in blocks {
            let name = block.gradient
            let t = truncated.value(name), f = full.value(name)
            let gap = zip(t.numbers, f.numbers).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            gapSquared += gap
            sizeSquared += f.numbers.reduce(0) { $0 + $1 * $1 }
            let label = names.label(name)
            qs.append(Quantity(name: name.inView(.full), label: label + " (full)", value: f))
            qs.append(Quantity(name: name.inView(.gap), label: "‖\(label) − \(label) (full)‖", value: .scalar(gap.squareRoot())))
        }
        qs.append(Quantity(name: QuantityName(.gapRelative), label: "‖truncated − full‖ / ‖full‖",
                           value: .scalar(sizeSquared > 0 ? (gapSquared / sizeSquared).squareRoot() : 0), note: "over every parameter block"))
        r.sections.append(Section(title: "Full gradient (with the recurrent terms) and its distance from the truncated one", quantities: qs))
        return r
    }
}
