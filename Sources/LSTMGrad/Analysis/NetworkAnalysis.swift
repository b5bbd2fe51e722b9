/// `analyze` on a stacked, bidirectional or batched network.
///
/// Each layer's and direction's recurrence is its own (its recurrent weights, its steps), so a
/// band — one layer, one direction, one sequence — is analysed exactly as one cell is, by the
/// cell's own `gradientFlow` and `recurrentMatrix`, on the band as a problem of its own
/// (`NetworkPass.segment`): the cell over the band's own steps (reversed in time for the reverse
/// direction: its step s is the network's t = T−1−s), reading the band's inputs (x_t, or layer
/// l−1's outputs [forward; reverse]) and its initial state, with Δ_t (from the head, or from
/// layer l+1's δx_t) as the gradient that reaches its output at each step. The Jacobians
/// ∂s_t/∂s_k are within the band's own recurrence: the path through the layer above and back
/// down does not exist (information flows up, never down), so they are the network's own
/// ∂s_t/∂s_k of that band. Beside them, the gradient flow ‖δstate_t‖ (‖δh_t‖) of every band
/// over the network's time, as the solution page plots it (`UnrolledNetwork.flows`).
public struct NetworkAnalysis: Sendable {
    public struct Band: Sendable {
        public var layer: Int
        public var reverse: Bool
        /// The sequence of the batch.
        public var sequence: Int
        /// The analysis over the band's own steps s = 0…T−1.
        public var flow: GradientFlow
        /// Where the band's values live (`l1.reverse.b0`; no sequence for a batch of one).
        public var place: String
        /// `layer 1 reverse`, `sequence 0, layer 1 reverse`.
        public var title: String

        /// The network's time t of the band's step s.
        public func time(ofStep s: Int) -> Int { reverse && s >= 0 ? flow.steps - 1 - s : s }
    }

    /// One layer's and direction's recurrent matrix (the RNN's W: the cell's `recurrentMatrix`),
    /// the same for every sequence.
    public struct Recurrence: Sendable {
        public var layer: Int
        public var reverse: Bool
        public var place: String
        public var analysis: MatrixAnalysis?
        /// Why `analysis` is missing although the cell has one (Wⁿ overflows).
        public var note: String?
    }

    public var header: [String]
    public var model: String
    public var layers: Int
    public var directions: Int
    public var sequences: Int
    public var steps: Int
    public var hidden: Int
    /// The sequences analysed (all, or the one `--sequence` chose).
    public var shown: [Int]
    /// Sequence by sequence, layer by layer, forward before reverse.
    public var bands: [Band]
    public var recurrences: [Recurrence]
    /// Each shown sequence's drawing view: its bands' ‖δ_t‖ over the network's time.
    public var flows: [(sequence: Int, network: UnrolledNetwork)]
    /// The report the flows come from (its notation labels the δ).
    public var report: Report

    /// `sequence`: only this sequence of the batch; `power`: the n of Wⁿ for a recurrent matrix.
    public init<C: Cell>(_ p: NetworkProblem<C>, model: String, notation: Notation, source: String, files: [String] = [],
                         window: Int?, lastRow: Bool, power: Int, sequence: Int? = nil) throws(NumericError) {
        let pass = NetworkPass(p)
        report = try ReportBuilder.build(network: pass, names: notation, source: source, files: files)
        header = report.header
        self.model = model
        layers = p.layers
        directions = p.directions
        sequences = p.sequenceCount
        steps = p.steps
        hidden = p.hiddenSize
        shown = sequence.map { [$0] } ?? Array(0..<p.sequenceCount)
        let n = pass.names, B = p.sequenceCount, D = p.directions
        func place(_ l: Int, _ reverse: Bool, _ b: Int?) -> String {
            QuantityName(.x).placed(layer: l, reverse: reverse, sequence: b.flatMap(n.sequence)).place
        }
        func direction(_ reverse: Bool) -> String { D == 1 ? "" : reverse ? " reverse" : " forward" }
        bands = []
        recurrences = []
        flows = []
        for l in 0..<p.layers {
            for d in 0..<D {
                let segment = pass.segment(layer: l, reverse: d == 1, sequence: shown[0], deltas: nil)
                guard let W = C.recurrentMatrix(segment) else { continue }
                let a = try? MatrixAnalysis(W, power: power)
                recurrences.append(Recurrence(layer: l, reverse: d == 1, place: place(l, d == 1, nil),
                                              analysis: a?.isFinite == true ? a : nil,
                                              note: a?.isFinite == true ? nil : "W^\(power) or its eigendecomposition overflows a double; use a smaller --power"))
            }
        }
        for b in shown {
            for l in 0..<p.layers {
                for d in 0..<D {
                    let deltas = (0..<p.steps).map { pass.values.vector(n.at(.Delta($0), layer: l, reverse: d == 1, sequence: b)) }
                    let segment = pass.segment(layer: l, reverse: d == 1, sequence: b, deltas: deltas)
                    guard let flow = C.gradientFlow(segment, window: window, lastRow: lastRow) else { continue }
                    bands.append(Band(layer: l, reverse: d == 1, sequence: b, flow: flow, place: place(l, d == 1, b),
                                      title: (B > 1 ? "sequence \(b), " : "") + "layer \(l)" + direction(d == 1)))
                }
            }
            flows.append((b, ReportBuilder.unrolled(pass, names: notation, sections: report.sections, sequence: b)))
        }
    }

    /// The recurrence of a band's layer and direction.
    public func recurrence(of band: Band) -> Recurrence? {
        recurrences.first { $0.layer == band.layer && $0.reverse == band.reverse }
    }
}

extension Spec {
    /// `analyze` on a network spec (nil for one cell, or a cell without a gradient analysis).
    public func networkAnalysis(window: Int?, lastRow: Bool, power: Int, sequence: Int?) throws(NumericError) -> NetworkAnalysis? {
        try visit(NetworkAnalysisRequest(model: modelName, notation: notation, source: file, files: fileNotes,
                                         window: window, lastRow: lastRow, power: power, sequence: sequence))
    }
}

struct NetworkAnalysisRequest: ProblemVisitor {
    typealias Failure = NumericError
    var model: String
    var notation: Notation
    var source: String
    var files: [String]
    var window: Int?
    var lastRow: Bool
    var power: Int
    var sequence: Int?

    func visit<C: Cell>(_ problem: Problem<C>) -> NetworkAnalysis? { nil }

    func visit<C: Cell>(network: NetworkProblem<C>) throws(NumericError) -> NetworkAnalysis? {
        let analysis = try NetworkAnalysis(network, model: model, notation: notation, source: source, files: files, window: window,
                                           lastRow: lastRow, power: power, sequence: sequence)
        return analysis.bands.isEmpty ? nil : analysis
    }
}
