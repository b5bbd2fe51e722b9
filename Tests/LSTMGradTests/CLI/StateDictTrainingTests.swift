import LSTMGrad
import Testing

/// Training weights given as a PyTorch state dict, as a user runs it: each tensor of the state
/// dict is trained as torch trains it (nn.LSTM's and nn.RNN's two bias copies apart, each with
/// its own step, state and weight decay), so AdamW at its default weight_decay runs on an
/// nn.LSTM state dict; the optimizer's state is printed and written per state-dict tensor; and
/// `--write-updated` continues the training byte for byte, for every cell and for networks.
@Suite struct StateDictTrainingTests {
    /// An nn.LSTM(1, 1) state dict: each bias copy starts at its own value.
    static let lstm = """
        {
          "model": "lstm",
          "weights": {"weight_ih_l0": [[0.1], [0.2], [0.3], [0.4]], "weight_hh_l0": [[0.5], [0.6], [0.7], [0.8]],
                      "bias_ih_l0": [0.1, 0.2, 0.3, 0.4], "bias_hh_l0": [-0.5, 0.1, 0.0, 0.1]},
          "inputs": [1.0, 0.5],
          "labels": [0.2, -0.1],
          "optimizer": {"type": "adamw", "lr": 0.1}
        }
        """

    @Test func adamwAtItsDefaultWeightDecayTrainsAnLSTMStateDict() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/adamw.json"
            try OutputFile.write(path, Self.lstm)
            let out = try CLIRunner.run(["run", path, "--steps", "3"])
            #expect(out.status == 0 && out.stderr.isEmpty, "\(out.stderr)")
            #expect(out.stdout.contains("update: torch.optim.AdamW(lr=0.1)"))
            // The copies decay by their own values (θ ← θ·(1 − lr·0.01) each step), so they no
            // longer differ by what they started with: b_ih − b_hh ≠ 0.6 at the first entry.
            let q = try JSONOutput.quantityTable(try CLIRunner.run(["run", path, "--steps", "3", "--format", "json"]).stdout)
            let ih = try #require(q["bias_ih_l0"]), hh = try #require(q["bias_hh_l0"])
            let b = try #require(q["b.i"])
            #expect(b == [ih[0] + hh[0]])
            let d = ih[0] - hh[0]
            #expect(abs(d - 0.6 * 0.999 * 0.999 * 0.999) < 1e-12, "b_ih − b_hh = \(d)")
        }
    }

    /// The optimizer's state is named by the state dict's tensors in the text report, in
    /// `--format json` and in the written spec.
    @Test func optimizerStateIsNamedByTheStateDictsTensors() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/adamw.json", written = dir + "/after.json"
            try OutputFile.write(path, Self.lstm)
            let out = try CLIRunner.run(["run", path, "--steps", "2", "--write-updated", written])
            #expect(out.status == 0, "\(out.stderr)")
            for name in ["exp_avg(weight_ih_l0)", "exp_avg(weight_hh_l0)", "exp_avg(bias_ih_l0)", "exp_avg_sq(bias_hh_l0)"] {
                #expect(out.stdout.contains("  " + name), "no \(name) in\n\(out.stdout)")
            }
            #expect(!out.stdout.contains("exp_avg(W_a)") && !out.stdout.contains("exp_avg(b_a)"))
            let q = try JSONOutput.quantityTable(try CLIRunner.run(["run", path, "--steps", "2", "--format", "json"]).stdout)
            #expect(q.keys.filter { $0.hasPrefix("exp_avg.") }.sorted() == ["exp_avg.bias_hh_l0", "exp_avg.bias_ih_l0", "exp_avg.weight_hh_l0", "exp_avg.weight_ih_l0"])
            let spec = try JSONParser.parse(try InputFile.read(written))
            let state = try #require(JSONOutput.member(spec, ["optimizer", "state", "exp_avg"])?.members)
            #expect(state.map(\.key) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
            #expect(JSONOutput.flatten(try #require(JSONOutput.member(spec, ["optimizer", "state", "exp_avg", "bias_hh_l0"]))) == q["exp_avg.bias_hh_l0"])
        }
    }

    /// Specs of every cell in the PyTorch layout, one cell and networks: from the PyTorch
    /// reference cases with a weight decay (each bias copy decays by its own value), and the
    /// same spec trained by plain SGD.
    static let roundTrips: [(name: String, spec: String)] = {
        var out: [(name: String, spec: String)] = []
        for (file, prefixes) in [("torch/train-cases.json", ["lstm-pytorch", "rnn-tanh-pytorch", "rnn-relu-pytorch"]),
                                 ("torch/net-train-cases.json", ["lstm-L", "rnn-tanh-L", "rnn-relu-L", "gru-L"])] {
            let cases = TorchReferenceTrainTests.load(file).filter { $0.name.hasSuffix("-decay") && $0.name.contains("-clip-") }
            for prefix in prefixes {
                guard let c = cases.first(where: { $0.name.hasPrefix(prefix) }) else { continue }
                out.append((c.name, c.spec))
                // Plain SGD, nothing clipped (the optimizer and the clipping are the spec's last
                // members): each bias copy takes its own step −λ·δb as well.
                if let cut = c.spec.firstRange(of: #", "optimizer": "#) {
                    out.append((c.name + " (plain SGD)", String(c.spec[..<cut.lowerBound]) + #", "learning_rate": 0.1}"#))
                }
            }
        }
        // The one-cell nn.GRU: a reference case without a weight decay (a GRU keeps both biases).
        if let gru = TorchReferenceTrainTests.load("torch/train-cases.json").first(where: { $0.name.hasPrefix("gru-pytorch") && $0.spec.contains("adam") }) {
            out.append((gru.name, gru.spec))
        }
        return out
    }()

    @Test func theRoundTripsCoverEveryCellAndNetwork() {
        let names = Self.roundTrips.map(\.name)
        for part in ["lstm-pytorch", "rnn-tanh-pytorch", "rnn-relu-pytorch", "gru-pytorch", "lstm-L", "rnn-tanh-L", "rnn-relu-L", "gru-L", "(plain SGD)"] {
            #expect(names.contains { $0.contains(part) }, "no round trip of \(part)")
        }
    }

    /// 3 steps written by `--write-updated` are byte for byte the file written by 2 steps, then
    /// 1 more step from the written spec; and the reports of the last step agree bit for bit.
    @Test(arguments: roundTrips.map(\.name))
    func threeStepsWrittenAreTwoStepsWrittenAndOneMore(_ name: String) throws {
        let spec = try #require(Self.roundTrips.first { $0.name == name }).spec
        try withTemporaryDirectory { dir in
            let path = dir + "/spec.json", three = dir + "/three.json", two = dir + "/two.json", more = dir + "/more.json"
            try OutputFile.write(path, spec)
            let a = try CLIRunner.run(["run", path, "--steps", "3", "--write-updated", three, "--format", "json"])
            let b = try CLIRunner.run(["run", path, "--steps", "2", "--write-updated", two])
            let c = try CLIRunner.run(["run", two, "--steps", "1", "--write-updated", more, "--format", "json"])
            #expect(a.status == 0 && b.status == 0 && c.status == 0, "\(a.stderr)\(b.stderr)\(c.stderr)")
            let x = try InputFile.read(three), y = try InputFile.read(more)
            #expect(x == y, "\(name): the spec written after 3 steps differs from 2 + 1 steps")
            let p = try JSONOutput.quantityTable(a.stdout), q = try JSONOutput.quantityTable(c.stdout)
            for key in p.keys where !key.hasPrefix("loss_step") { #expect(p[key] == q[key], "\(name): \(key)") }
            #expect(p["loss_step[3]"] == q["loss_step[1]"])
        }
    }
}
