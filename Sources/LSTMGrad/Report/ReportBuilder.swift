/// Collects a pass into the ordered report of named quantities, in the sheet's order:
/// forward per t, the loss, backward from T−1 down to 0, the gradient totals, the SGD update.
public enum ReportBuilder {
    /// `work`: attach each quantity's equation (for show-work and `check`; it costs time on
    /// large networks, so plain runs leave it out).
    public static func build<C: Cell>(_ pass: Pass<C>, names: Notation, source: String? = nil, work withWork: Bool = false) throws(NumericError) -> Report {
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

        let work = withWork ? cell.work(for: pass, names: names).merging(pass.headWork(names: names)) { cellWork, _ in cellWork } : [:]
        if !work.isEmpty {
            for s in sections.indices {
                for k in sections[s].quantities.indices { sections[s].quantities[k].work = work[sections[s].quantities[k].key] }
            }
        }
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

extension ReportBuilder {
    /// With `--no-recurrent-terms` (seed 000 drops "the next level"): the full gradient of every
    /// block beside the truncated one the report printed, and how far apart they are.
    public static func addTruncationComparison<C: Cell>(_ report: Report, truncated: Pass<C>, full: Pass<C>, names: Notation) -> Report {
        var r = report
        var qs: [Quantity] = []
        var gapSquared = 0.0, sizeSquared = 0.0
        func compare(_ name: String, _ t: [Double], _ f: [Double], _ value: Value) {
            let diff = zip(t, f).map { $0 - $1 }
            let gap = diff.reduce(0) { $0 + $1 * $1 }
            gapSquared += gap
            sizeSquared += f.reduce(0) { $0 + $1 * $1 }
            qs.append(Quantity(key: "full." + name, label: names.label(name) + " (full)", value: value))
            qs.append(Quantity(key: "gap." + name, label: "‖\(names.label(name)) − \(names.label(name)) (full)‖", value: .scalar(gap.squareRoot())))
        }
        let tg = truncated.gradients.parameters, fg = full.gradients.parameters
        for block in fg.blockNames { compare("d" + block, tg[block: block], fg[block: block], fg.value(of: block)) }
        if let th = truncated.headGradients, let fh = full.headGradients {
            for block in fh.blockNames { compare("d" + block, th[block: block], fh[block: block], fh.value(of: block)) }
        }
        qs.append(Quantity(key: "gap_relative", label: "‖truncated − full‖ / ‖full‖", value: .scalar(sizeSquared > 0 ? (gapSquared / sizeSquared).squareRoot() : 0),
                           note: "over every parameter block"))
        r.header.append("truncated gradient (--no-recurrent-terms): Δout_t and δstate_{t+1}⊙f_{t+1} are dropped; the full gradient is printed after it")
        r.sections.append(Section(title: "Full gradient (with the recurrent terms) and its distance from the truncated one", quantities: qs))
        return r
    }
}
