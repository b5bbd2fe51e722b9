/// `analyze` on a network, as text: each band's analysis as one cell's, then the gradient flow
/// of every band over the network's time, then every band's verdict side by side.
extension AnalysisText {
    public func render(_ n: NetworkAnalysis) -> String {
        var s = n.header.map { $0 + "\n" }.joined() + "\n"
        s += "Each layer and direction has its own recurrence: below, each band (layer, direction"
            + (n.sequences > 1 ? ", sequence" : "") + ") is analysed as one cell is, over its own steps, with its own inputs (x_t, or the layer below's"
            + " outputs) and initial state, and Δ_t (from the head, or from the layer above's δx_t) as the gradient reaching its output.\n"
        if n.directions == 2 {
            s += "A reverse band runs from t = \(n.steps - 1) down to 0: its step s is the network's time t = \(n.steps - 1) − s, and its"
                + " initial state enters at t = \(n.steps - 1); its Jacobians and products are written in its own steps.\n"
        }
        if n.shown.count < n.sequences {
            s += "Sequence \(n.shown[0]) of the batch of \(n.sequences) (--sequence B chooses another).\n"
        }
        for band in n.bands {
            let title = band.title + (band.reverse ? " (steps s = 0…\(n.steps - 1) are t = \(n.steps - 1)…0)" : "")
            s += "\n" + title + "\n" + String(repeating: "═", count: title.unicodeScalars.count) + "\n"
            let recurrence = n.recurrence(of: band)
            let first = band.sequence == n.shown[0]
            s += render(band.flow, header: [], matrix: first ? recurrence?.analysis : nil)
            if let r = recurrence {
                if first, let note = r.note { s += "\nEigenvalues of the recurrent W@\(r.place): \(note).\n" }
                if !first { s += "\nEigenvalues of the recurrent W@\(r.place) and of its powers: as for sequence \(n.shown[0]) above.\n" }
            }
        }
        for (b, network) in n.flows { s += "\n" + flowTable(network, report: n.report, sequence: n.sequences > 1 ? b : nil) }
        s += "\nVerdicts, band by band (each decided on its own recurrence and this sequence, as for one cell)\n"
        let rows = n.bands.map { band in
            let v = band.flow.verdict
            return [band.title, sciLog(v.measured.log10Norm), fixed(v.perStep), v.kind.rawValue,
                    v.decidedBy == .sufficientCondition ? "γ·σ_max(W) < 1" : "measured growth"]
        }
        s += columns(["band", "‖∂s_{T−1}/∂s_{−1}‖₂", "per step", "verdict", "decided by"], rows, indent: "  ", leftAligned: true)
        return s
    }

    /// ‖δ_t‖ of the carried state (δstate_t, δh_t) of every band of one sequence, at the network's
    /// time t (a reverse band's initial state at T): the table under the solution page's plot.
    func flowTable(_ network: UnrolledNetwork, report: Report, sequence: Int?) -> String {
        let bands = network.flows
        guard let first = bands.first?.flow.first?.name else { return "" }
        let symbol = report.notation.label(first.at(nil).placed(layer: nil, reverse: false, sequence: nil))
        let T = network.steps
        let ts = bands.flatMap { $0.flow.map(\.t) }
        // Where the initial states' δ stand, when the report has them: −1, and T for a reverse band.
        let initials = (ts.contains(-1) ? ["−1: a forward band's initial state"] : []) + (ts.contains(T) ? ["\(T): a reverse band's"] : [])
        var s = "Gradient flow" + (sequence.map { " of sequence \($0)" } ?? "") + ": ‖\(symbol)_t‖ of each band at time t"
            + (initials.isEmpty ? "" : " (" + initials.joined(separator: ", ") + ")") + "\n"
        let rows: [[String]] = ((ts.min() ?? 0)...(ts.max() ?? 0)).compactMap { t in
            let cells = bands.map { band in band.flow.first { $0.t == t } }
            if cells.allSatisfy({ $0 == nil }) { return nil }
            return ["\(t)"] + cells.map { $0.map { sci($0.norm) } ?? "" }
        }
        s += columns(["t"] + bands.map { $0.title.split(separator: " (").first.map(String.init) ?? $0.title }, rows, indent: "  ")
        return s
    }
}
