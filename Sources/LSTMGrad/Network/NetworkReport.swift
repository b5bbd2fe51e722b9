/// The report of a network pass: per sequence (all, or the one chosen), per layer, per
/// direction, per timestep, each cell's own lines at their place; then the loss, the gradients
/// summed over t and the batch, and the update.
extension ReportBuilder {
    /// `sequence`: only this sequence's values (the totals are always over the batch).
    public static func build<C: Cell>(network pass: NetworkPass<C>, names: Notation, source: String? = nil, files: [String] = [],
                                      sequence chosen: Int? = nil, work withWork: Bool = false) throws(NumericError) -> Report {
        let p = pass.problem, n = pass.names, values = pass.values
        let cell = p.cells[0][0]
        let T = p.steps, L = p.layers, D = p.directions, B = p.sequenceCount
        var header = networkHeader(p, source: source, files: files)
        if !pass.options.recurrentTerms {
            header.append("truncated gradient (--no-recurrent-terms): in each layer and direction, the terms from its own next step are dropped"
                          + " (\(cell.carried.map { "Δ" + $0.description }.joined(separator: ", ")) from t+1 forward, from t−1 reverse);"
                          + " Δ_t from the layer above (its δx_t) still flows; the full gradient is printed after it")
        }
        func quantity(_ line: ReportLine) -> Quantity {
            names.quantity(line.name, values.value(line.name), note: line.note)
        }
        func direction(_ d: Int) -> String { D == 1 ? "" : d == 1 ? " reverse" : " forward" }
        var sections: [Section] = []
        let shown = chosen.map { [$0] } ?? Array(0..<B)
        for b in shown {
            let seq = B > 1 ? "sequence \(b), " : ""
            for l in 0..<L {
                for d in 0..<D {
                    let rename: (QuantityName) -> QuantityName = { n.cell($0, layer: l, reverse: d == 1, sequence: b) }
                    for s in 0..<T {
                        let t = d == 1 ? T - 1 - s : s
                        // A cell's notes name its own steps: the reverse direction's are not the network's times.
                        let lines = cell.forwardLines(t: s, names: names).map { ReportLine(rename($0.name), note: d == 1 ? nil : $0.note) }
                        sections.append(Section(title: "Forward @ \(seq)layer \(l)\(direction(d)), t=\(t)", quantities: lines.map(quantity)))
                    }
                }
            }
            let head = NetworkPass<C>.headEquations(p, sequence: b)
            for t in 0..<T {
                var lines = head.forwardLines(t: t).map { ReportLine(n.head($0.name, layers: L, sequence: b), note: $0.note) }
                if D == 2 { lines.insert(ReportLine(n.head(QuantityName(cell.outputSymbol, t: t), layers: L, sequence: b)), at: 0) }
                sections.append(Section(title: "Head @ \(seq)t=\(t)", quantities: lines.map(quantity)))
            }
            if B > 1 {
                sections.append(Section(title: "Loss of sequence \(b)", quantities: [quantity(ReportLine(n.head(QuantityName(.loss), layers: L, sequence: b)))]))
            }
        }
        sections.append(Section(title: B > 1 ? "Loss (summed over the batch)" : "Loss", quantities: [quantity(ReportLine(QuantityName(.loss)))]))
        for b in shown {
            let seq = B > 1 ? "sequence \(b), " : ""
            let head = NetworkPass<C>.headEquations(p, sequence: b)
            for t in (0..<T).reversed() {
                var lines = head.backwardLines(t: t).map { ReportLine(n.head($0.name, layers: L, sequence: b)) }
                if D == 2 { lines.append(ReportLine(n.head(.Delta(t), layers: L, sequence: b))) }
                if !lines.isEmpty { sections.append(Section(title: "Head backward @ \(seq)t=\(t)", quantities: lines.map(quantity))) }
            }
            for l in (0..<L).reversed() {
                for d in 0..<D {
                    let rename: (QuantityName) -> QuantityName = { n.cell($0, layer: l, reverse: d == 1, sequence: b) }
                    for s in (0..<T).reversed() {
                        let t = d == 1 ? T - 1 - s : s
                        // Δ_t: what reaches this layer's output from above (the head, or layer l+1's δx_t).
                        let delta = rename(.Delta(s))
                        let from = l == L - 1 ? "from the head" : "from layer \(l + 1)'s δx_\(t)"
                        var lines = cell.backwardLines(t: s, steps: T, options: pass.options, names: names).map {
                            ReportLine(rename($0.name), note: rename($0.name) == delta ? from : d == 1 ? nil : $0.note)
                        }
                        if !lines.contains(where: { $0.name == delta }) { lines.insert(ReportLine(delta, note: from), at: 0) }
                        if s == 0 { lines += cell.initialStateLines(names: names).map { ReportLine(rename($0.name), note: d == 1 ? nil : $0.note) } }
                        sections.append(Section(title: "Backward @ \(seq)layer \(l)\(direction(d)), t=\(t)", quantities: lines.map(quantity)))
                    }
                }
            }
        }
        let blocks = pass.parameterBlocks
        var totals = blocks.map { quantity(ReportLine($0.gradient)) }
        let plain = p.training.isPlainSGD
        var updated = blocks.map { quantity(ReportLine($0.afterUpdate, note: plain ? p.update.note(for: $0) : nil)) }
        // A state dict's tensors at their layer and direction (`d_weight_hh_l1_reverse`, `weight_hh_l1_reverse'`).
        let gradients = pass.cellGradients, after = pass.updated
        for (l, row) in pass.updatedLayouts.enumerated() {
            for (d, layout) in row.enumerated() {
                guard let layout, layout.isShownInReport, layout.showsBlocks(in: names) else { continue }
                let inLayout = layoutQuantities(layout, gradients: gradients[l][d], updated: after[l][d], names: names) { name in
                    StateDictKey(name).map { StateDictKey($0.block, layer: l, reverse: d == 1).name } ?? name
                }
                totals += inLayout.gradients
                updated += inLayout.updated
            }
        }
        sections.append(Section(title: B > 1 ? "Gradients (summed over t and the batch)" : "Gradients (summed over t)", quantities: totals))
        sections += updateSections(p.training, learningRate: p.learningRate, updated: updated,
                                   state: pass.optimizerState, shapes: p.trainingValues, names: names)
        var report = Report(header: header, sections: sections)
        if p.training.optimizer != nil { report.finalOptimizerState = pass.optimizerState }
        report.notation = names
        report.unrolled = unrolled(pass, names: names, sections: sections, sequence: chosen ?? 0)
        var final = Trace()
        for block in blocks { final[block] = values.value(block.afterUpdate) }
        var trained = p.with(cells: pass.updated)
        trained.layouts = pass.updatedLayouts
        for c in trained.trainedCells where c.tensorLayout != nil { for (name, value) in c.tensors { final[name] = value } }
        report.finalParameters = final
        if withWork { attachWork(&report, equations: pass.equations, values: values) }
        try checkFinite(report)
        return report
    }

    /// The network's header: cell, sizes, head, loss and update.
    static func networkHeader<C: Cell>(_ p: NetworkProblem<C>, source: String?, files: [String]) -> [String] {
        let cell = p.cells[0][0]
        let T = p.steps, L = p.layers, D = p.directions, B = p.sequenceCount
        let hasHead = p.head.kind != .none
        let λ = shortest(p.learningRate)
        var header = [
            "\(cell.summary), \(L) layer\(L == 1 ? "" : "s"), \(D == 2 ? "bidirectional" : "one direction")   X = \(p.inputSize), H = \(p.hiddenSize), T = \(T), B = \(B)"
                + (hasHead ? ", head: \(p.head.kind.rawValue) (\(p.head.parameters!.V.rows) outputs, reading \(D == 2 ? "top_t = [out_t@l\(L - 1); out_t@l\(L - 1).reverse]" : "out_t@l\(L - 1)"))" : ""),
            "loss: L = \(B > 1 ? "Σ_b " : "")\(p.loss.formula(sequences: B, steps: T, outputs: hasHead ? p.head.parameters!.V.rows : p.topWidth))\(hasHead ? "" : ", y_t = the top layer's output")",
            (p.training.isPlainSGD ? "SGD: θ ← θ − λ·δθ, λ = \(λ)" : "update: " + p.training.describe(learningRate: p.learningRate))
                + (B > 1 ? "; gradients summed over t and over the \(B) sequences" : ""),
        ]
        if let s = source { header.insert("spec: \(s)", at: 0) }
        header.insert(contentsOf: files.map { "from file: " + $0 }, at: source == nil ? 0 : 1)
        return header
    }

    /// The drawing's view of one sequence of the pass: a band per layer and direction (a reverse
    /// band's steps read t+1; layer l > 0 starts from its input [out@l−1; out@l−1.reverse]),
    /// the head's band (reading top_t when bidirectional), the losses, each value's gradients
    /// among those the report prints, and the gradient flow of each layer and direction.
    static func unrolled<C: Cell>(_ pass: NetworkPass<C>, names: Notation, sections: [Section], sequence b: Int) -> UnrolledNetwork {
        let p = pass.problem, n = pass.names
        let cell = p.cells[0][0]
        let T = p.steps, L = p.layers, D = p.directions, B = p.sequenceCount
        let printed = Set(sections.flatMap { $0.quantities.map(\.name) })
        let delta = cell.carried.last.flatMap(UnrolledNetwork.flowSymbol)
        var bands: [UnrolledNetwork.Band] = []
        for l in 0..<L {
            for d in 0..<D {
                let reverse = d == 1
                let rename: (QuantityName) -> QuantityName = { n.cell($0, layer: l, reverse: reverse, sequence: b) }
                // Real time t is the cell's own step T−1−t in the reverse direction.
                let steps = (0..<T).map { t in
                    (l > 0 && !reverse ? [rename(.x(t))] : []) + cell.forwardLines(t: reverse ? T - 1 - t : t, names: names).map { rename($0.name) }
                }
                let initial = cell.carried.map { rename(QuantityName($0, t: -1)) }
                // δ at the cell's step s stands at time s (T−1−s reversed); the initial state's at −1 (T reversed).
                let flow = delta.map { delta in
                    UnrolledNetwork.flow((-1..<T).map { s in (rename(QuantityName(delta, t: s)), s == -1 ? (reverse ? T : -1) : reverse ? T - 1 - s : s) }
                                            .sorted { $0.1 < $1.1 }, printed: printed, values: pass.values)
                } ?? []
                let title = "layer \(l)" + (D == 2 ? (reverse ? " reverse (t = \(T - 1) … 0)" : " forward") : "")
                bands.append(UnrolledNetwork.Band(title: title, steps: steps, reverse: reverse, initial: initial, flow: flow))
            }
        }
        let head = NetworkPass<C>.headEquations(p, sequence: b)
        let headLines = (0..<T).map { t in
            (D == 2 ? [n.head(QuantityName(cell.outputSymbol, t: t), layers: L, sequence: b)] : []) + head.forwardLines(t: t).map { n.head($0.name, layers: L, sequence: b) }
        }
        let headSteps = headLines.map { $0.filter { $0.symbol != .loss } }
        if headSteps.contains(where: { !$0.isEmpty }) { bands.append(UnrolledNetwork.Band(title: "head", steps: headSteps)) }
        var gradients = UnrolledNetwork.gradients(of: bands.flatMap { $0.steps.joined() }, printed: printed)
        // top_t's gradient is Δtop_t, the head's δ split between the two directions.
        for name in headSteps.joined() where name.symbol == .top {
            var g = name
            g.symbol = .DeltaTop
            if printed.contains(g) { gradients[name, default: []].append(g) }
        }
        let caption = "\(cell.summary), \(L) layer\(L == 1 ? "" : "s"), \(D == 2 ? "bidirectional" : "one direction")"
            + (B > 1 ? "; drawn: sequence \(b) of the batch of \(B) (sequences 0…\(B - 1); --sequence B draws another)" : "")
        return UnrolledNetwork(bands: bands, inputs: (0..<T).map { n.cell(.x($0), layer: 0, reverse: false, sequence: b) },
                               losses: headLines.flatMap { $0.filter { $0.symbol == .loss } }, carried: cell.carried, gradients: gradients, caption: caption)
    }
}
