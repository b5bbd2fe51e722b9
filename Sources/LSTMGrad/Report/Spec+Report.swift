extension Spec {
    /// Runs the spec's problem once (forward, backward, SGD) and collects the report.
    public func report(options: BackwardOptions = BackwardOptions()) throws(NumericError) -> Report {
        try visit(ReportVisitor(names: notation, source: file, options: options))
    }
}

struct ReportVisitor: ProblemVisitor {
    var names: Notation
    var source: String
    var options: BackwardOptions

    func visit<C: Cell>(_ problem: Problem<C>) throws(NumericError) -> Report {
        // Large LSTMs take the fast kernel (tests prove it equal to the reference path).
        if let p = problem as? Problem<LSTMCell>,
           LSTMFast.preferred(hidden: p.cell.hiddenSize, input: p.cell.inputSize, steps: p.inputs.count),
           let pass = Pass(fast: p, options: options) as? Pass<C> {
            return try ReportBuilder.build(pass, names: names, source: source)
        }
        return try ReportBuilder.build(Pass(problem, options: options), names: names, source: source)
    }
}
