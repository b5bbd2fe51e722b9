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
        try ReportBuilder.build(Pass(problem, options: options), names: names, source: source)
    }
}
