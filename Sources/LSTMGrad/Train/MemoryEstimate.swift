/// What a run will hold before it starts: every value of the pass by name and every line of the
/// report, each a few hundred bytes of bookkeeping plus its numbers. Measured on this code
/// (release build, H = 1 to 64): a name costs 200–250 bytes besides its numbers, so 320 + 16·H
/// bytes per name is an upper bound with room for the JSON renderer.
public struct MemoryEstimate: ProblemVisitor {
    public typealias Failure = Never
    /// Whether the report is built (a `--summary` through a fast kernel keeps far less).
    public var report: Bool
    public var options: BackwardOptions

    public init(report: Bool, options: BackwardOptions = BackwardOptions()) {
        self.report = report
        self.options = options
    }

    /// Bytes, or 0 where the cell's fast summary keeps only what backward reads.
    public func visit<C: Cell>(_ problem: Problem<C>) -> Double {
        if !report, C.hasFastSummary { return 0 }
        let cell = problem.cell, head = problem.headEquations
        let T = problem.inputs.count
        let t = min(1, T - 1)
        let K = problem.head.parameters?.V.rows ?? cell.hiddenSize
        var names = cell.forwardEquations(t: t).count + cell.backwardEquations(t: t, steps: T, options: options).count
            + head.forwardEquations(t: t).count + head.backwardEquations(t: t, outputs: K).count + 4
        if report {
            names += cell.forwardLines(t: t, names: .published).count + head.forwardLines(t: t).count
                + cell.backwardLines(t: t, steps: T, options: options, names: .published).count + head.backwardLines(t: t).count
        }
        let width = Double(max(cell.hiddenSize, cell.inputSize, K))
        return Double(T) * Double(names) * (320 + 16 * width)
    }

    /// A network: each layer, direction and sequence holds what one cell's run holds.
    public func visit<C: Cell>(network: NetworkProblem<C>) -> Double {
        let cell = Problem(cell: network.cells[0][0], head: network.head, loss: network.loss, inputs: network.inputs[0],
                           targets: network.targets[0], initial: network.initial[0][0][0], learningRate: network.learningRate)
        let estimate = self
        let one = max(estimate.visit(cell), Double(network.steps) * 400 * Double(network.topWidth + network.inputSize))
        return one * Double(network.layers * network.directions * network.sequenceCount) * 2
    }

    /// 1 GiB: `--max-memory` lifts it.
    public static let defaultLimit = 1 << 30

    /// `2.5 GB`, `310 MB`, `12 kB`, `100 bytes`: the size in every memory message.
    public static func describe(_ bytes: Double) -> String {
        if bytes >= 1e9 { return "\(Double(Int(bytes / 1e8)) / 10) GB" }
        if bytes >= 1e6 { return "\(Double(Int(bytes / 1e5)) / 10) MB" }
        if bytes >= 1e3 { return "\(Int(bytes / 1e3)) kB" }
        return "\(Int(bytes)) bytes"
    }
}
