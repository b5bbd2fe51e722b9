extension Spec {
    /// Runs the spec's problem once (forward, backward, the update) and collects the report;
    /// with `work`, every quantity carries its equation (show-work, `check`).
    /// `sequence`: a network's report shows only this sequence of its batch.
    public func report(options: BackwardOptions = BackwardOptions(), work: Bool = false, sequence: Int? = nil) throws(NumericError) -> Report {
        try visit(ReportVisitor(names: notation, source: file, files: fileNotes, options: options, work: work, sequence: sequence))
    }
}

struct ReportVisitor: ProblemVisitor {
    var names: Notation
    var source: String
    var files: [String] = []
    var options: BackwardOptions
    var work = false
    var sequence: Int? = nil

    func visit<C: Cell>(network: NetworkProblem<C>) throws(NumericError) -> Report {
        let pass = NetworkPass(network, options: options, keepEquations: work)
        var report = try ReportBuilder.build(network: pass, names: names, source: source, files: files, sequence: sequence, work: work)
        if !options.recurrentTerms {
            // As for one cell: the full gradient beside the truncated one, block by block at its place.
            report = ReportBuilder.addTruncationComparison(report, blocks: pass.parameterBlocks, truncated: pass.values,
                                                           full: NetworkPass(network).values, names: names)
        }
        return report
    }

    func visit<C: Cell>(_ problem: Problem<C>) throws(NumericError) -> Report {
        let pass = Self.pass(problem, options: options, work: work)
        var report = try ReportBuilder.build(pass, names: names, source: source, files: files, work: work)
        if !options.recurrentTerms {
            // The one case of a second pass: the full gradient beside the truncated one.
            report = ReportBuilder.addTruncationComparison(report, truncated: pass, full: Self.pass(problem, options: BackwardOptions(), work: false), names: names)
        }
        return report
    }

    /// A cell's fast kernel where it has one and the problem is large (tests prove it equal to
    /// the equations); the equations otherwise.
    static func pass<C: Cell>(_ problem: Problem<C>, options: BackwardOptions, work: Bool) -> Pass<C> {
        C.fastPass(problem, options: options, keepEquations: work) ?? Pass(problem, options: options, keepEquations: work)
    }
}
