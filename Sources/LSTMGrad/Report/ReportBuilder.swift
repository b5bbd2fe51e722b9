/// Collects a pass into the ordered report of named quantities, in the sheet's order:
/// forward per t, the loss, backward from T−1 down to 0, the gradient totals, the SGD update.
public enum ReportBuilder {
    public static func build<C: Cell>(_ pass: Pass<C>, names: Notation, source: String? = nil) throws(NumericError) -> Report {
        let problem = pass.problem
        let cell = problem.cell
        let T = pass.steps.count
        let hasHead = problem.head.kind != .none
        var header = [
            "\(cell.summary)   X = \(cell.inputSize), H = \(cell.hiddenSize), T = \(T)"
                + (hasHead ? ", head: \(problem.head.kind.rawValue) (\(problem.head.parameters!.V.rows) outputs)" : ""),
            "loss: L = \(problem.loss.formula)\(hasHead ? "" : ", y_t = out_t")",
            "SGD: θ ← θ − λ·δθ, λ = \(shortest(problem.learningRate))",
        ]
        if let s = source { header.insert("spec: \(s)", at: 0) }

        var sections: [Section] = []
        for t in 0..<T {
            var qs = cell.forwardQuantities(pass.steps[t], t: t, names: names)
            if hasHead {
                qs.append(names.quantity("v", t: t, .vector(pass.headSteps[t].v)))
                qs.append(names.quantity("y", t: t, .vector(pass.headSteps[t].y)))
            }
            qs.append(names.quantity("loss", t: t, .scalar(pass.losses[t])))
            sections.append(Section(title: "Forward @ t=\(t)", quantities: qs))
        }
        sections.append(Section(title: "Loss", quantities: [names.quantity("loss", .scalar(pass.loss))]))
        for t in (0..<T).reversed() {
            var qs: [Quantity] = []
            if hasHead {
                if problem.loss.kind != .crossEntropy && problem.loss.kind != .binaryCrossEntropy {
                    qs.append(names.quantity("dy", t: t, .vector(pass.dy[t])))
                }
                qs.append(names.quantity("dv", t: t, .vector(pass.dv[t])))
            }
            qs += cell.backwardQuantities(pass.gradients.deltas[t], step: pass.steps[t], t: t, names: names)
            if t == 0 { qs += cell.initialStateQuantities(pass.gradients, names: names) }
            sections.append(Section(title: "Backward @ t=\(t)", quantities: qs))
        }

        var totals: [Quantity] = []
        let g = pass.gradients.parameters
        for block in g.blockNames { totals.append(names.quantity("d" + block, g.value(of: block))) }
        totals += cell.totalQuantities(g, names: names)
        if let hg = pass.headGradients {
            for block in hg.blockNames { totals.append(names.quantity("d" + block, hg.value(of: block))) }
        }
        sections.append(Section(title: "Gradients (summed over t)", quantities: totals))

        var updated: [Quantity] = []
        for block in pass.updated.blockNames {
            updated.append(names.quantity(block + "'", pass.updated.value(of: block)))
        }
        if let uh = pass.updatedHead {
            for block in uh.blockNames { updated.append(names.quantity(block + "'", uh.value(of: block))) }
        }
        sections.append(Section(title: "Updated parameters (SGD, λ = \(shortest(problem.learningRate)))", quantities: updated))

        let report = Report(header: header, sections: sections)
        try checkFinite(report)
        return report
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
