import LSTMGrad
import Testing

/// RNN and GRU gradients against central finite differences, for every activation, head and
/// loss, with X = 2, H = 3, T = 4.
@Suite struct RNNGRUGradientTests {
    /// (head JSON or nil, loss JSON, labels JSON), for every head and loss of the tool.
    static let heads: [(String, String?, String, String)] = [
        ("none/l2", nil, "\"l2\"", "\"labels\": [[0.1, 0.2, 0.3], [0.4, -0.1, 0.2], [0.0, 0.5, -0.3], [0.2, 0.2, 0.2]]"),
        ("none/l2-half-mean", nil, "{\"type\": \"l2\", \"half\": false, \"reduction\": \"mean\"}", "\"labels\": [[0.1, 0.2, 0.3], [0.4, -0.1, 0.2], [0.0, 0.5, -0.3], [0.2, 0.2, 0.2]]"),
        ("linear/l2", "{\"type\": \"linear\", \"V\": [[0.5, -0.4, 0.3], [0.2, 0.1, -0.6]], \"c\": [0.1, -0.2]}", "\"l2\"", "\"labels\": [[0.3, 0.1], [-0.2, 0.4], [0.5, 0.0], [0.1, -0.1]]"),
        ("sigmoid/bce", "{\"type\": \"sigmoid\", \"V\": [[0.5, -0.4, 0.3], [0.2, 0.1, -0.6]], \"c\": [0.1, -0.2]}", "\"bce\"", "\"labels\": [[1, 0], [0, 1], [1, 1], [0, 0]]"),
        ("softmax/ce", "{\"type\": \"softmax\", \"V\": [[0.5, -0.4, 0.3], [0.2, 0.1, -0.6], [-0.3, 0.7, 0.2]], \"c\": [0.1, -0.2, 0.0]}", "\"ce\"", "\"labels\": [0, 2, 1, 2]"),
        ("upstream", nil, "\"upstream\"", "\"gradients\": [[0.1, -0.2, 0.3], [0.0, 0.4, -0.1], [0.2, 0.2, 0.5], [-0.3, 0.1, 0.1]]"),
    ]

    static let inputs = "\"inputs\": [[1.0, -0.5], [0.3, 0.8], [-0.7, 0.2], [0.5, 0.5]]"

    static func rnnSpec(activation: String, bias: Bool, head: String?, loss: String, labels: String) -> String {
        """
        {"model": "rnn",
         "weights": {"activation": "\(activation)",
                     "W": [[0.58, 0.24, -0.1], [0.24, 0.72, 0.2], [-0.3, 0.1, 0.5]],
                     "U": [[0.5, -0.3], [0.2, 0.4], [-0.6, 0.35]]\(bias ? ", \"b\": [0.1, -0.2, 0.15]" : "")},
         \(head.map { "\"head\": \($0)," } ?? "")
         \(inputs), \(labels), "loss": \(loss), "initial": {"out": [0.1, -0.2, 0.3]}}
        """
    }

    static func gruSpec(convention: String, head: String?, loss: String, labels: String) -> String {
        """
        {"model": "gru",
         "weights": {"convention": "\(convention)",
           "W": {"r": [[0.3, -0.2], [0.1, 0.4], [0.2, 0.1]], "z": [[-0.5, 0.2], [0.25, 0.1], [0.3, -0.4]], "n": [[0.6, -0.3], [0.2, 0.2], [-0.4, 0.5]]},
           "U": {"r": [[0.1, 0.2, -0.1], [-0.3, 0.1, 0.2], [0.2, 0.0, 0.3]], "z": [[0.4, -0.2, 0.1], [0.2, 0.3, -0.2], [0.1, 0.1, 0.2]], "n": [[0.5, 0.1, -0.3], [-0.1, 0.6, 0.2], [0.3, -0.2, 0.4]]},
           "b": {"r": [0.1, -0.1, 0.05], "z": [0.2, 0.0, -0.2], "n": [0.05, 0.1, -0.1]},
           "bh": {"r": [0.0, 0.1, -0.05], "z": [0.1, 0.3, 0.15], "n": [-0.2, 0.05, 0.1]}},
         \(head.map { "\"head\": \($0)," } ?? "")
         \(inputs), \(labels), "loss": \(loss), "initial": {"out": [0.1, -0.2, 0.3]}}
        """
    }

    struct CheckVisitor: ProblemVisitor {
        typealias Failure = Never
        func visit<C: Cell>(_ problem: Problem<C>) -> [FiniteDifferences.Block] {
            FiniteDifferences.check(Pass(problem), step: 1e-5)
        }
    }

    /// Every entry: |analytic − numeric| ≤ 1e−6 · max(|analytic|, |numeric|, 1e−4).
    static func expectAgreement(_ json: String, _ what: String) throws {
        let spec = try Fixtures.spec(json: json)
        let blocks = spec.visit(CheckVisitor())
        #expect(blocks.count > 5)
        for b in blocks {
            let err = b.maxRelativeError(floor: 1e-4)
            #expect(err < 1e-6, "\(what): \(b.name) relative error \(err)")
        }
    }

    @Test(arguments: ["sigmoid", "tanh", "relu"])
    func rnnEveryHead(activation: String) throws {
        for (name, head, loss, labels) in Self.heads {
            for bias in [false, true] {
                try Self.expectAgreement(Self.rnnSpec(activation: activation, bias: bias, head: head, loss: loss, labels: labels),
                                         "rnn \(activation) bias=\(bias) \(name)")
            }
        }
    }

    @Test(arguments: ["pytorch", "z_new"])
    func gruEveryHead(convention: String) throws {
        for (name, head, loss, labels) in Self.heads {
            try Self.expectAgreement(Self.gruSpec(convention: convention, head: head, loss: loss, labels: labels), "gru \(convention) \(name)")
        }
    }

    @Test func rnnWithoutBiasLearnsNoBias() throws {
        let spec = try Fixtures.spec(json: Self.rnnSpec(activation: "sigmoid", bias: false, head: nil, loss: "\"l2\"", labels: Self.heads[0].3))
        let report = try spec.report()
        #expect(report.quantity("db") == nil)
        #expect(report.quantity("dW") != nil && report.quantity("dU") != nil)
        #expect(report.quantity("W'") != nil)
    }

    /// Seed 004's cell by hand: h_0 = σ(U·x_0) with h_{−1} = 0, and δW, δU of a one-step sequence
    /// from the chain rule written out.
    @Test func seed004FirstStepByHand() throws {
        let report = try Fixtures.spec("seed004-rnn.json").report()
        let h0 = try #require(report.quantity("h[0]")).value.numbers
        // U·x_0 = [0.5, 0.2]: σ(0.5) = 0.6224593312, σ(0.2) = 0.5498339973
        #expect(abs(h0[0] - 0.6224593312018546) < 1e-12)
        #expect(abs(h0[1] - 0.549833997312478) < 1e-12)
        let z1 = try #require(report.quantity("z[1]")).value.numbers
        // z_1 = W·h_0 + U·x_1, U·x_1 = [0.55, −0.3]
        #expect(abs(z1[0] - (0.58 * h0[0] + 0.24 * h0[1] + 0.55)) < 1e-12)
        #expect(abs(z1[1] - (0.24 * h0[0] + 0.72 * h0[1] - 0.3)) < 1e-12)
    }

    /// The two GRU conventions are the same cell with z ↔ 1 − z: negating the update gate's
    /// weights and biases turns one into the other, so both give the same h_t.
    @Test func gruConventionsAreMirrorImages() throws {
        let a = try Fixtures.spec(json: Self.gruSpec(convention: "pytorch", head: nil, loss: "\"l2\"", labels: Self.heads[0].3))
        guard let p = a.problem(as: GRUCell.self) else { Issue.record("not a GRU"); return }
        var q = p.cell.parameters
        q.convention = .zNew
        q.W.z = -1 * q.W.z
        q.U.z = -1 * q.U.z
        q.b.z = -q.b.z
        q.bh.z = -q.bh.z
        let h1 = p.cell.forward(p.inputs, initial: p.initial).map(\.out)
        let h2 = GRUCell(parameters: q).forward(p.inputs, initial: p.initial).map(\.out)
        for (x, y) in zip(h1, h2) { for k in 0..<x.count { #expect(abs(x[k] - y[k]) < 1e-14) } }
    }

    /// PyTorch's state dict and the per-gate form decode to the same parameters.
    @Test func gruStateDictMatchesPerGate() throws {
        let perGate = try Fixtures.spec(json: Self.gruSpec(convention: "pytorch", head: nil, loss: "\"l2\"", labels: Self.heads[0].3))
        let dict = try Fixtures.spec(json: """
            {"model": "gru", "weights": {
              "weight_ih_l0": [[0.3, -0.2], [0.1, 0.4], [0.2, 0.1], [-0.5, 0.2], [0.25, 0.1], [0.3, -0.4], [0.6, -0.3], [0.2, 0.2], [-0.4, 0.5]],
              "weight_hh_l0": [[0.1, 0.2, -0.1], [-0.3, 0.1, 0.2], [0.2, 0.0, 0.3], [0.4, -0.2, 0.1], [0.2, 0.3, -0.2], [0.1, 0.1, 0.2], [0.5, 0.1, -0.3], [-0.1, 0.6, 0.2], [0.3, -0.2, 0.4]],
              "bias_ih_l0": [0.1, -0.1, 0.05, 0.2, 0.0, -0.2, 0.05, 0.1, -0.1],
              "bias_hh_l0": [0.0, 0.1, -0.05, 0.1, 0.3, 0.15, -0.2, 0.05, 0.1]},
             \(Self.inputs), \(Self.heads[0].3), "initial": {"out": [0.1, -0.2, 0.3]}}
            """)
        guard let a = perGate.problem(as: GRUCell.self), let b = dict.problem(as: GRUCell.self) else { Issue.record("not a GRU"); return }
        #expect(a.cell.parameters == b.cell.parameters)
    }

    /// One GRU step with X = H = 1 from PyTorch's formulas written out by hand:
    /// r = σ(0.5 + 0.1 + 0.2·0.5 + 0.05) = σ(0.75), z = σ(−0.3 + 0.1 + 0.4·0.5 + 0.05) = σ(0.05),
    /// n = tanh(0.8 + 0.1 + r·(−0.6·0.5 + 0.05)), h = (1 − z)·n + z·h₀ (or z·n + (1 − z)·h₀).
    @Test func gruOneStepByHand() throws {
        for (convention, h) in [("pytorch", 0.5600559085241088), ("z_new", 0.563135040797998)] {
            let spec = try Fixtures.spec(json: """
                {"model": "gru", "weights": {"convention": "\(convention)",
                  "weight_ih_l0": [[0.5], [-0.3], [0.8]], "weight_hh_l0": [[0.2], [0.4], [-0.6]],
                  "bias_ih_l0": [0.1, 0.1, 0.1], "bias_hh_l0": [0.05, 0.05, 0.05]},
                 "inputs": [[1]], "labels": [[0]], "initial": {"out": [0.5]}}
                """)
            let report = try spec.report()
            #expect(abs(try #require(report.quantity("r[0]")).value.numbers[0] - 0.679178699175393) < 1e-15)
            #expect(abs(try #require(report.quantity("z[0]")).value.numbers[0] - 0.5124973964842103) < 1e-15)
            #expect(abs(try #require(report.quantity("n[0]")).value.numbers[0] - 0.623190949322107) < 1e-15)
            #expect(abs(try #require(report.quantity("h[0]")).value.numbers[0] - h) < 1e-15, "\(convention)")
        }
    }

    @Test func specErrorsArePlaced() throws {
        #expect(throws: SpecErrors.self) {
            try Fixtures.spec(json: """
                {"model": "rnn", "weights": {"activation": "softplus", "W": [[1]], "U": [[1]]}, "inputs": [[1]], "labels": [[0]]}
                """)
        }
        #expect(throws: SpecErrors.self) {
            try Fixtures.spec(json: """
                {"model": "gru", "weights": {"W": {"r": 1, "z": 1, "n": 1}, "U": {"r": 1, "z": 1, "n": 1}, "weight_ih_l0": [1, 1, 1]}, "inputs": [[1]], "labels": [[0]]}
                """)
        }
    }
}
