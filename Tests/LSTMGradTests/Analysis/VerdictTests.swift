import LSTMGrad
import Testing

/// The verdict of `analyze`: what it concludes and which fact decided it (Pascanu, Mikolov and
/// Bengio's sufficient condition for vanishing, or the measured growth), through the binary.
@Suite struct VerdictTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var spec: String
        var verdict: String
        var decidedBy: String
        /// Whether σ_max(W) > 1/γ (nil for gated cells).
        var necessaryForExploding: Bool?
        /// A line the text output must contain.
        var line: String
        var description: String { name }
    }

    static func rnn(_ activation: String, _ w: String, inputs: String = "[[1, 0], [0.5, -1], [0, 2], [-1, 0.5], [0.3, 0.3], [1, 1]]",
                    u: String = "[[0.5, -0.3], [0.2, 0.4]]") -> String {
        """
        {"model": "rnn", "weights": {"activation": "\(activation)", "W": \(w), "U": \(u)},
         "inputs": \(inputs), "loss": "upstream",
         "gradients": [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [1, -1]], "learning_rate": 0.1}
        """
    }

    static let zeros = "[[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]"

    static let cases: [Case] = [
        // Seed 004: σ, ‖W‖₂ = 0.9, γ·σ_max = 0.225 < 1.
        Case(name: "vanishing, sufficient condition", spec: rnn("sigmoid", "[[0.58, 0.24], [0.24, 0.72]]"),
             verdict: "vanishing", decidedBy: "sufficient_condition", necessaryForExploding: false,
             line: "verdict: vanishing, decided by the sufficient condition γ·σ_max(W) = 0.225000 < 1"),
        // Issue 14's case: ρ(W) = σ_max(W) = 1.385 > 1, yet with σ′ ≤ ¼ every Jacobian has norm ≤ 0.346.
        Case(name: "sigmoid with rho(W) > 1", spec: rnn("sigmoid", "[[1.2, 0.3], [0.3, 0.9]]"),
             verdict: "vanishing", decidedBy: "sufficient_condition", necessaryForExploding: false,
             line: "verdict: vanishing, decided by the sufficient condition γ·σ_max(W) = 0.346353 < 1"),
        // tanh, ρ(W) = 2.25: the necessary condition holds and the norms grow on this sequence.
        Case(name: "exploding", spec: rnn("tanh", "[[1.45, 0.6], [0.6, 1.8]]", inputs: zeros),
             verdict: "exploding", decidedBy: "measured_growth", necessaryForExploding: true,
             line: "verdict: exploding on this sequence, decided by the measured growth: 2.250000 per step > 1.05 (possible because σ_max(W) > 1/γ)"),
        // tanh, W = I, h stays 0: every Jacobian is I. Neither condition applies; measured 1.
        Case(name: "neither, W = I", spec: rnn("tanh", "[[1, 0], [0, 1]]", inputs: zeros),
             verdict: "neither", decidedBy: "measured_growth", necessaryForExploding: false,
             line: "verdict: neither on this sequence, decided by the measured growth: 1.000000 per step, within [0.95, 1.05]"),
        // tanh, W = 1.02·I: exploding is possible, but 1.02 per step is within the band.
        Case(name: "neither, necessary holds", spec: rnn("tanh", "[[1.02, 0], [0, 1.02]]", inputs: zeros),
             verdict: "neither", decidedBy: "measured_growth", necessaryForExploding: true,
             line: "verdict: neither on this sequence, decided by the measured growth: 1.020000 per step, within [0.95, 1.05]"),
        // tanh, W = 3·I with large inputs: saturated, tanh′ ≈ 0, so the norms vanish although
        // γ·σ_max(W) = 3: decided by measurement, with the caveat.
        Case(name: "vanishing, measured", spec: rnn("tanh", "[[3, 0], [0, 3]]", u: "[[4, 0], [0, 4]]"),
             verdict: "vanishing", decidedBy: "measured_growth", necessaryForExploding: true,
             line: "γ·σ_max(W) ≥ 1, so another input sequence may behave differently"),
    ]

    @Test(arguments: cases)
    func verdict(_ c: Case) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/spec.json"
        try OutputFile.write(path, Array(c.spec.utf8))
        let text = try CLIRunner.run(["analyze", path])
        #expect(text.status == 0, "\(c.name): \(text.stderr)")
        #expect(text.stdout.contains(c.line), "\(c.name): no line '\(c.line)' in\n\(text.stdout.split(separator: "\n").filter { $0.hasPrefix("verdict") }.joined(separator: "\n"))")
        // Exactly one verdict line, and it never contradicts the conditions printed above it.
        let verdictLines = text.stdout.split(separator: "\n").filter { $0.hasPrefix("verdict: ") }
        #expect(verdictLines.count == 1)
        #expect(verdictLines.first?.hasPrefix("verdict: \(c.verdict)") == true)
        let json = try CLIRunner.run(["analyze", path, "--format", "json"])
        let doc = try AnalyzeJSON(json.stdout)
        let v = try #require(doc.member("verdict"))
        #expect(doc.member("verdict", in: v)?.string == c.verdict)
        #expect(doc.member("decided_by", in: v)?.string == c.decidedBy)
        if let n = c.necessaryForExploding {
            let holds = doc.member("necessary_for_exploding", in: v)
            #expect(holds.map { if case .bool(let b) = $0.value { return b == n } else { return false } } == true)
        }
        // Exploding needs the necessary condition; vanishing by the sufficient condition bounds
        // the measurement: per step ≤ γ·σ_max(W).
        let spec = try Fixtures.spec(json: c.spec)
        guard let p = spec.problem(as: RNNCell.self) else { Issue.record("not an RNN"); return }
        let flow = GradientFlow.rnn(p)
        let conditions = try #require(flow.verdict.conditions)
        if flow.verdict.kind == .exploding { #expect(conditions.necessaryForExploding) }
        if conditions.sufficientForVanishing { #expect(flow.verdict.perStep <= conditions.bound * (1 + 1e-12)) }
    }

    /// The sigmoid case of issue 14: the eigenvalue section no longer says the gradients explode;
    /// it says ρ(W) > 1 is about Wⁿ alone, and points to the verdict.
    @Test func sigmoidCaseIsConsistent() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/spec.json"
        try OutputFile.write(path, Array(Self.cases[1].spec.utf8))
        let out = try CLIRunner.run(["analyze", path])
        #expect(out.stdout.contains("powers: ρ(W) = 1.3854101966249681 > 1: ‖Wⁿ‖ grows like ρ(W)ⁿ"))
        #expect(out.stdout.contains("This is about Wⁿ alone: backpropagation multiplies diag(sigmoid′(z_t))·W, not W"))
        #expect(out.stdout.contains("necessary for exploding, σ_max(W) > 1/γ:   1.385410 vs 1/γ = 4.000000: does not hold, so the gradients cannot explode"))
        for line in out.stdout.split(separator: "\n") where line.contains("explode") {
            #expect(line.contains("cannot explode") || line.contains("whether the gradients vanish or explode"),
                    "a line claims more than the conditions allow: \(line)")
        }
    }

    /// Gated cells: the measured growth decides, and says so.
    @Test func gatedCells() throws {
        let lstm = try CLIRunner.run(["analyze", "fixtures/lstm-carousel.json"])
        #expect(lstm.stdout.contains("Verdict: no bound like γ·σ_max(W) applies to the LSTM's gates here, so the measured growth decides"))
        #expect(lstm.stdout.contains("verdict: neither on this sequence, decided by the measured growth"))
        #expect(lstm.stdout.contains("the cell path carries the gradient back undiminished"))
        let gru = try CLIRunner.run(["analyze", "fixtures/gru-pytorch.json"])
        #expect(gru.stdout.contains("verdict: vanishing on this sequence, decided by the measured growth"))
    }
}
