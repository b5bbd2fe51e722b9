extension Spec {
    /// Runs the spec's problem once (forward, backward, SGD) and collects the report; with
    /// `work`, every quantity carries its equation (show-work, `check`).
    public func report(options: BackwardOptions = BackwardOptions(), work: Bool = false) throws(NumericError) -> Report {
        var report = try visit(ReportVisitor(names: notation, source: file, options: options, work: work))
        if case .lstm(let problem) = model, let layout = lstmLayout {
            // A per-gate spec needs no second view (and no second pass).
            if case .perGate = layout { return report }
            report = LayoutReport.extend(report, pass: ReportVisitor.pass(problem, options: options), layout: layout, names: notation)
        }
        return report
    }
}

struct ReportVisitor: ProblemVisitor {
    var names: Notation
    var source: String
    var options: BackwardOptions
    var work = false

    func visit<C: Cell>(_ problem: Problem<C>) throws(NumericError) -> Report {
        let pass = Self.pass(problem, options: options)
        var report = try ReportBuilder.build(pass, names: names, source: source, work: work)
        if !options.recurrentTerms {
            report = ReportBuilder.addTruncationComparison(report, truncated: pass, full: Self.pass(problem, options: BackwardOptions()), names: names)
        }
        return report
    }

    /// Large LSTMs take the fast kernel (tests prove it equal to the reference path).
    static func pass<C: Cell>(_ problem: Problem<C>, options: BackwardOptions) -> Pass<C> {
        if let p = problem as? Problem<LSTMCell>,
           LSTMFast.preferred(hidden: p.cell.hiddenSize, input: p.cell.inputSize, steps: p.inputs.count),
           let pass = Pass(fast: p, options: options) as? Pass<C> {
            return pass
        }
        return Pass(problem, options: options)
    }
}

/// The gradients and updated parameters once more in the layout the spec used (PyTorch,
/// Keras, stacked, concatenated, seed 000's names), beside the canonical per-gate ones.
enum LayoutReport {
    static func extend(_ report: Report, pass: Pass<LSTMCell>, layout: LSTMLayout, names: Notation) -> Report {
        var r = report
        let lr = pass.problem.learningRate
        if case .perGate = layout { return r }
        r.header.append("weights: \(layout.name) layout; gradients and updated parameters are also given in it")
        // In seed 000's own notation the canonical labels already are seed 000's names.
        if case .seed000 = layout, names.name == Notation.colah.name { return r }
        if let grads = layout.blocks(pass.gradients.parameters),
           let k = r.sections.firstIndex(where: { $0.title.hasPrefix("Gradients") }) {
            for (name, value) in grads {
                r.sections[k].quantities.append(Quantity(key: "d_" + name, label: names.gradientSymbol + name, value: value,
                                                         note: "\(layout.name) layout"))
            }
        }
        if let updated = layout.updatedBlocks(updated: pass.updated, gradients: pass.gradients.parameters, learningRate: lr),
           let k = r.sections.firstIndex(where: { $0.title.hasPrefix("Updated") }) {
            for (name, value) in updated {
                r.sections[k].quantities.append(Quantity(key: name + "'", label: name, value: value, note: "\(layout.name) layout"))
            }
        }
        // PyTorch: each of the two biases takes a step −λ·δb, so the effective bias b = b_ih + b_hh
        // moves by −2λ·δb; the canonical b_g' show that effective bias.
        if case .pytorch = layout, let k = r.sections.firstIndex(where: { $0.title.hasPrefix("Updated") }) {
            for gate in LSTMGate.allCases {
                guard let q = r.sections[k].quantities.firstIndex(where: { $0.key == "b.\(gate.rawValue)'" }) else { continue }
                let b = pass.problem.cell.parameters.b[gate], g = pass.gradients.parameters.b[gate]
                r.sections[k].quantities[q].value = .vector(b - (2 * lr) * g)
                r.sections[k].quantities[q].note = "effective bias b_ih + b_hh: moved by 2λ·δb"
                if let w = r.sections[k].quantities[q].work {
                    r.sections[k].quantities[q].work = Work("{0} − 2·{1}·{2}", w.operands) { v in
                        v[0].replacingNumbers(zip(v[0].numbers, v[2].numbers).map { $0 - 2 * v[1].numbers[0] * $1 })
                    }
                }
            }
        }
        if let note = layout.note(learningRate: lr) { r.notes.append(note) }
        return r
    }
}
