import LSTMGrad
import Testing

/// A network trains with torch.optim's optimizers, clipping over every parameter of the network
/// and frozen blocks, as one cell does: `run --steps N` and `--write-updated` continue the same
/// training (parameters, loss and optimizer state at their place, `exp_avg.W.a@l1.reverse`).
@Suite struct NetworkTrainingTests {
    func quantities(_ args: [String]) throws -> [String: [Double]] {
        let out = try CLIRunner.run(args + ["--format", "json"])
        #expect(out.status == 0, "\(args): \(out.stderr)")
        return try JSONOutput.quantityTable(out.stdout)
    }

    /// Three steps in one run equal two steps, `--write-updated`, and one more step from the
    /// written spec, to the last bit: an LSTM network per gate and an nn.GRU state dict, both
    /// with Adam after clip_grad_norm_ (the GRU with a frozen tensor of layer 1's reverse direction).
    @Test(arguments: ["fixtures/net-train/lstm-layers-adam.json", "fixtures/net-train/gru-adam.json"])
    func threeStepsAreTwoStepsWrittenAndOneMore(_ spec: String) throws {
        try withTemporaryDirectory { dir in
            let written = dir + "/after2.json"
            let three = try quantities(["run", spec, "--steps", "3"])
            let two = try CLIRunner.run(["run", spec, "--steps", "2", "--write-updated", written])
            #expect(two.status == 0, "\(two.stderr)")
            let more = try quantities(["run", written, "--steps", "1"])
            let keys = three.keys.filter { !$0.hasPrefix("loss_step") }
            #expect(keys.contains("W.r@l1.reverse") || keys.contains("W.a@l1.reverse"))
            #expect(keys.contains { $0.hasPrefix("exp_avg.") && $0.hasSuffix("@l1.reverse") })
            #expect(three["optimizer_step"] == [3] && more["optimizer_step"] == [3])
            for key in keys {
                #expect(more[key] == three[key], "\(key): 3 steps \(three[key] ?? []), 2 + 1 steps \(more[key] ?? [])")
            }
            #expect(more["loss_step[1]"] == three["loss_step[3]"])
        }
    }

    /// nn.LSTM's state dict stores each bias twice: the written spec holds both copies, each
    /// moved by its own step, and their sum is the trained bias up to the rounding of that sum
    /// (so the rerun agrees to ~1e−14, not to the bit). A frozen tensor never moves, and the
    /// state-dict network trains as the same network written per gate does at the first step
    /// (the same Adam with each bias counted twice in the clipping norm).
    @Test func stateDictNetworkContinuesAndFreezesItsTensor() throws {
        try withTemporaryDirectory { dir in
            let spec = "fixtures/net-train/lstm-statedict-adam.json", written = dir + "/after2.json"
            let three = try quantities(["run", spec, "--steps", "3"])
            let two = try CLIRunner.run(["run", spec, "--steps", "2", "--write-updated", written])
            #expect(two.status == 0, "\(two.stderr)")
            let more = try quantities(["run", written, "--steps", "1"])
            for key in three.keys where !key.hasPrefix("loss_step") {
                let a = three[key] ?? [], b = more[key] ?? []
                #expect(a.count == b.count && !a.isEmpty, "\(key)")
                for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-12 * max(abs(x), 1e-3), "\(key): \(x) vs \(y)") }
            }
            let before = try quantities(["run", spec])
            // U.a@l1.reverse' is the frozen weight_hh_l1_reverse's block: unchanged, no optimizer state.
            #expect(three["U.a@l1.reverse"] == before["U.a@l1.reverse'"])
            #expect(three["exp_avg.U.a@l1.reverse"] == nil && three["exp_avg.U.a@l1"] != nil)
        }
    }

    @Test(arguments: [
        (#""frozen": ["bias_ih_l1"]"#, "frozen[0]: bias_ih_l1 + bias_hh_l1 is one bias stored twice; freeze both copies (add \"bias_hh_l1\") or none"),
        (#""frozen": ["W.q"]"#, "frozen[0]: expected a parameter block (W, U, b, V, c, W.a@l0,"),
        (#""clip": {"max_norm": -1}"#, "clip.max_norm: expected a number ≥ 0, found -1"),
    ])
    func badTrainingOfANetwork(_ member: String, _ message: String) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/spec.json"
            let text = String(decoding: try InputFile.read(Fixtures.path("net-train/lstm-statedict-adam.json")), as: UTF8.self)
            let cut = text.firstRange(of: #", "clip""#)!.lowerBound
            try OutputFile.write(path, String(text[..<cut]) + ", " + member + "}\n")
            let out = try CLIRunner.run(["run", path])
            #expect(out.status == 2 && out.stdout.isEmpty)
            #expect(out.stderr.contains(message), "\(out.stderr)")
        }
    }

    /// The one-pass report of a network with an optimizer: the update in the header, the
    /// optimizer's step and its state after it.
    @Test func onePassReportShowsTheOptimizer() throws {
        let out = try CLIRunner.run(["run", "fixtures/net-train/gru-adam.json"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("update: torch.optim.Adam(lr=0.01); before each step torch.nn.utils.clip_grad_norm_(params, max_norm=0.5, norm_type=2); frozen: U.n@l1.reverse, U.r@l1.reverse, U.z@l1.reverse"))
        #expect(out.stdout.contains("Updated parameters (Adam step 1)") && out.stdout.contains("Optimizer state after step 1"))
        #expect(out.stdout.contains("exp_avg(W_r@l1.reverse)"))
    }

    /// A state-dict network gives its gradients and updated tensors in the state dict's own
    /// names at their layer and direction as well: the frozen weight_hh_l1_reverse is unchanged,
    /// and each bias copy moved by the step of the bias it holds.
    @Test func stateDictNamesAtTheirPlace() throws {
        let q = try quantities(["run", "fixtures/net-train/lstm-statedict-adam.json"])
        let spec = try JSONParser.parse(try InputFile.read(Fixtures.path("net-train/lstm-statedict-adam.json")))
        let original = JSONOutput.flatten(try #require(JSONOutput.member(spec, ["weights", "weight_hh_l1_reverse"])))
        #expect(q["weight_hh_l1_reverse'"] == original)
        #expect(q["d_weight_ih_l0_reverse"]?.count == 16)
        let bih = JSONOutput.flatten(try #require(JSONOutput.member(spec, ["weights", "bias_ih_l1"])))
        let moved = zip(try #require(q["bias_ih_l1'"]), bih).map { $0 - $1 }
        let movedHH = zip(try #require(q["bias_hh_l1'"]), JSONOutput.flatten(try #require(JSONOutput.member(spec, ["weights", "bias_hh_l1"])))).map { $0 - $1 }
        for (a, b) in zip(moved, movedHH) { #expect(abs(a - b) < 1e-15 && a != 0) }
    }
}
