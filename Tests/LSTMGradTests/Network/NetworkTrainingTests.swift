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
    /// written spec, to the last bit: an LSTM network per gate, an nn.GRU and an nn.LSTM state
    /// dict, all with Adam after clip_grad_norm_ (the state dicts with a frozen tensor of layer
    /// 1's reverse direction; the nn.LSTM's biases stored twice, each copy trained apart).
    @Test(arguments: ["fixtures/net-train/lstm-layers-adam.json", "fixtures/net-train/gru-adam.json", "fixtures/net-train/lstm-statedict-adam.json"])
    func threeStepsAreTwoStepsWrittenAndOneMore(_ spec: String) throws {
        try withTemporaryDirectory { dir in
            let written = dir + "/after2.json"
            let three = try quantities(["run", spec, "--steps", "3"])
            let two = try CLIRunner.run(["run", spec, "--steps", "2", "--write-updated", written])
            #expect(two.status == 0, "\(two.stderr)")
            let more = try quantities(["run", written, "--steps", "1"])
            let keys = three.keys.filter { !$0.hasPrefix("loss_step") }
            #expect(keys.contains("W.r@l1.reverse") || keys.contains("W.a@l1.reverse"))
            // The state per block at its place, or per state-dict tensor (`exp_avg.weight_ih_l1_reverse`).
            #expect(keys.contains { $0.hasPrefix("exp_avg.") && ($0.hasSuffix("@l1.reverse") || $0.hasSuffix("_l1_reverse")) })
            #expect(three["optimizer_step"] == [3] && more["optimizer_step"] == [3])
            for key in keys {
                #expect(more[key] == three[key], "\(key): 3 steps \(three[key] ?? []), 2 + 1 steps \(more[key] ?? [])")
            }
            #expect(more["loss_step[1]"] == three["loss_step[3]"])
        }
    }

    /// A frozen tensor of a state dict never moves and has no optimizer state; the others have
    /// theirs under their own names (`exp_avg.weight_hh_l1`).
    @Test func stateDictNetworkFreezesItsTensor() throws {
        let spec = "fixtures/net-train/lstm-statedict-adam.json"
        let three = try quantities(["run", spec, "--steps", "3"])
        let before = try quantities(["run", spec])
        // U.a@l1.reverse' is the frozen weight_hh_l1_reverse's block: unchanged, no optimizer state.
        #expect(three["U.a@l1.reverse"] == before["U.a@l1.reverse'"])
        #expect(three["exp_avg.weight_hh_l1_reverse"] == nil && three["exp_avg.weight_hh_l1"] != nil)
        #expect(three["exp_avg.bias_ih_l1"] != nil && three["exp_avg.bias_hh_l1"] != nil)
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
        #expect(out.stdout.contains("exp_avg(weight_ih_l1_reverse)"))
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
