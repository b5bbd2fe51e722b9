/// `run --steps N`: N steps over the whole sequence (one forward, backward and update per
/// step: plain SGD, or the spec's optimizer after clipping), the loss after each, the final
/// parameters and the optimizer's state.
public enum Training {
    /// The report of the run; with `lastReport`, the full report of the last step's pass follows.
    public static func report<C: Cell>(_ problem: Problem<C>, steps: Int, names: Notation, source: String?,
                                       files: [String] = [], lastReport: Bool, work: Bool = false) throws(NumericError) -> Report {
        var p = problem
        var losses: [Quantity] = [names.quantity(QuantityName(.lossStep, t: 0), .scalar(p.lossValue()))]
        var last: Pass<C>?
        for k in 1...max(1, steps) {
            // Only the last step's report shows the views.
            let pass = Pass(p, views: lastReport && k == max(1, steps))
            last = pass
            p = p.with(cell: pass.updated, head: pass.updatedHead)
            p.layout = pass.updatedLayout
            if let state = pass.optimizerState { p.training.state = state }
            losses.append(Quantity(name: QuantityName(.lossStep, t: k), label: "L after step \(k)", value: .scalar(p.lossValue())))
        }
        losses[0].label = "L before training"
        var final: [Quantity] = []
        let cp = p.cell.parameters
        for block in cp.blockNames { final.append(names.quantity(block, cp.value(of: block))) }
        if let hp = p.head.parameters {
            for block in hp.blockNames { final.append(names.quantity(block, hp.value(of: block))) }
        }
        // A state dict's tensors as trained (each bias copy after its own steps).
        if p.trainedCell.tensorLayout != nil { final += p.trainedCell.tensors.map { names.quantity($0.name, $0.value) } }
        let setup = problem.training
        var sections = sections(setup, steps: steps, learningRate: problem.learningRate, losses: losses, final: final)
        let parameters = p.trainingValues
        if setup.optimizer != nil { sections.append(stateSection(p.training.state, steps: steps, shapes: parameters, names: names)) }
        var header = ["\(problem.cell.summary)   X = \(problem.cell.inputSize), H = \(problem.cell.hiddenSize), T = \(problem.steps)",
                      "loss: L = \(problem.headEquations.formula)"]
        if !setup.isPlainSGD { header.append("update: " + setup.describe(learningRate: problem.learningRate)) }
        if let s = source { header.insert("spec: \(s)", at: 0) }
        header.insert(contentsOf: files.map { "from file: " + $0 }, at: source == nil ? 0 : 1)
        if lastReport, let pass = last {
            let full = try ReportBuilder.build(pass, names: names, work: work)
            sections += full.sections.map { Section(title: "Step \(steps): " + $0.title, quantities: $0.quantities) }
        }
        var report = Report(header: header, sections: sections)
        report.finalParameters = parameters
        if setup.optimizer != nil { report.finalOptimizerState = p.training.state }
        try ReportBuilder.checkFinite(report)
        return report
    }
}

extension Training {
    /// The same training of a network: every block at its place, clipping over all of them.
    public static func report<C: Cell>(network problem: NetworkProblem<C>, steps: Int, names: Notation, source: String?,
                                       files: [String] = [], lastReport: Bool, work: Bool = false) throws(NumericError) -> Report {
        var p = problem
        var losses: [Quantity] = [names.quantity(QuantityName(.lossStep, t: 0), .scalar(p.lossValue()))]
        var last: NetworkPass<C>?
        for k in 1...max(1, steps) {
            let pass = NetworkPass(p, keepEquations: work && lastReport && k == max(1, steps))
            last = pass
            p = p.with(cells: pass.updated, head: pass.updatedHead)
            p.layouts = pass.updatedLayouts
            if let state = pass.optimizerState { p.training.state = state }
            losses.append(Quantity(name: QuantityName(.lossStep, t: k), label: "L after step \(k)", value: .scalar(p.lossValue())))
        }
        losses[0].label = "L before training"
        let parameters = p.trainingValues
        // The blocks at their place, then a state dict's tensors as trained (each bias copy apart).
        let final = p.blockNames.map { names.quantity($0, parameters.value($0)) }
            + p.trainedCells.filter { $0.tensorLayout != nil }.flatMap(\.tensors).map { names.quantity($0.name, $0.value) }
        let setup = problem.training
        var sections = sections(setup, steps: steps, learningRate: problem.learningRate, losses: losses, final: final,
                                sequences: problem.sequenceCount)
        if setup.optimizer != nil { sections.append(stateSection(p.training.state, steps: steps, shapes: parameters, names: names)) }
        if lastReport, let pass = last {
            let full = try ReportBuilder.build(network: pass, names: names, work: work)
            sections += full.sections.map { Section(title: "Step \(steps): " + $0.title, quantities: $0.quantities) }
        }
        var report = Report(header: ReportBuilder.networkHeader(problem, source: source, files: files), sections: sections)
        report.finalParameters = parameters
        if setup.optimizer != nil { report.finalOptimizerState = p.training.state }
        try ReportBuilder.checkFinite(report)
        return report
    }

    /// The losses step by step and the parameters at the end.
    static func sections(_ setup: TrainingSetup, steps: Int, learningRate: Double, losses: [Quantity], final: [Quantity],
                         sequences: Int = 1) -> [Section] {
        let plural = steps == 1 ? "" : "s"
        let over = sequences == 1 ? "the sequence" : "the \(sequences) sequences"
        let title = setup.isPlainSGD ? "Training: \(steps) SGD step\(plural) over \(over), λ = \(shortest(learningRate))"
                                     : "Training: \(steps) step\(plural) over \(over) of \(setup.describe(learningRate: learningRate))"
        return [Section(title: title, quantities: losses), Section(title: "Parameters after \(steps) step\(plural)", quantities: final)]
    }

    static func stateSection(_ state: OptimizerState, steps: Int, shapes: Trace, names: Notation) -> Section {
        Section(title: "Optimizer state after \(steps) step\(steps == 1 ? "" : "s")", quantities: state.quantities(shapes: shapes, names: names))
    }
}

extension Spec {
    public func trainingReport(steps: Int, lastReport: Bool, work: Bool = false) throws(NumericError) -> Report {
        try visit(TrainingVisitor(names: notation, source: file, files: fileNotes, steps: steps, lastReport: lastReport, work: work))
    }
}

struct TrainingVisitor: ProblemVisitor {
    var names: Notation
    var source: String
    var files: [String]
    var steps: Int
    var lastReport: Bool
    var work: Bool
    func visit<C: Cell>(network: NetworkProblem<C>) throws(NumericError) -> Report {
        try Training.report(network: network, steps: steps, names: names, source: source, files: files, lastReport: lastReport, work: work)
    }
    func visit<C: Cell>(_ problem: Problem<C>) throws(NumericError) -> Report {
        try Training.report(problem, steps: steps, names: names, source: source, files: files, lastReport: lastReport, work: work)
    }
}
