import LSTMGrad
import Testing

/// `run --steps N` with an optimizer, clipping and frozen blocks, as a user runs it: three steps
/// in one run equal two steps, `--write-updated`, and one more step from the written spec —
/// parameters, loss and the optimizer's state, to the last bit (the state is written at full
/// precision).
@Suite struct OptimizerCLITests {
    /// A per-gate LSTM (X = 3, H = 2, T = 4) with a linear head and nn.MSELoss().
    static let base = """
        {
          "model": "lstm",
          "weights": {
            "W": {"a": [[0.2, -0.4, 0.1], [0.5, 0.3, -0.2]], "i": [[0.6, 0.1, -0.3], [-0.1, 0.4, 0.2]],
                  "f": [[0.3, -0.2, 0.5], [0.2, 0.6, -0.1]], "o": [[-0.5, 0.3, 0.2], [0.4, -0.1, 0.3]]},
            "U": {"a": [[0.1, -0.3], [0.25, 0.2]], "i": [[-0.2, 0.15], [0.3, -0.1]],
                  "f": [[0.4, 0.1], [-0.25, 0.35]], "o": [[0.05, -0.2], [0.15, 0.3]]},
            "b": {"a": [0.1, -0.1], "i": [0.2, 0.0], "f": [1.0, 0.5], "o": [-0.1, 0.2]}
          },
          "head": {"type": "linear", "V": [[0.5, -0.3], [0.2, 0.8], [-0.4, 0.1]], "c": [0.1, 0, -0.2]},
          "inputs": [[1.0, -0.5, 0.25], [0.3, 0.8, -1.2], [-0.7, 0.1, 0.9], [0.5, 0.5, -0.5]],
          "labels": [[0.1, -0.2, 0.5], [0.3, 0.0, -1.5], [-0.1, 0.4, 0.05], [0.2, 0.2, 2.0]],
          "loss": "mse",
        """

    static let setups: [String] = [
        #""optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}"#,
        #""optimizer": {"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": true}, "clip": {"value": 0.02}"#,
        #""optimizer": {"type": "adagrad", "lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "weight_decay": 0.001}"#,
        #""optimizer": {"type": "rmsprop", "lr": 0.01, "momentum": 0.5, "centered": true}, "clip": {"max_norm": 0.05, "norm_type": "inf"}"#,
        #""optimizer": {"type": "adam", "lr": 0.01, "betas": [0.8, 0.99], "amsgrad": true, "maximize": true}, "frozen": ["U", "c"]"#,
        #""optimizer": {"type": "adamw", "lr": 0.01}, "clip": {"max_norm": 0.05, "norm_type": 3}"#,
        #""learning_rate": 0.5, "clip": {"max_norm": 0.05}, "frozen": ["W.a"]"#,
    ]

    static func spec(_ setup: String) -> String { base + "  " + setup + "\n}\n" }

    func quantities(_ args: [String]) throws -> [String: [Double]] {
        let out = try CLIRunner.run(args + ["--format", "json"])
        #expect(out.status == 0, "\(args): \(out.stderr)")
        return try JSONOutput.quantityTable(out.stdout)
    }

    @Test(arguments: setups)
    func threeStepsAreTwoStepsWrittenAndOneMore(_ setup: String) throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/spec.json", written = dir + "/after2.json"
            try OutputFile.write(path, Self.spec(setup))
            let three = try quantities(["run", path, "--steps", "3"])
            let two = try CLIRunner.run(["run", path, "--steps", "2", "--write-updated", written])
            #expect(two.status == 0, "\(two.stderr)")
            let more = try quantities(["run", written, "--steps", "1"])
            // Every parameter block and every buffer of the state, by canonical name.
            let keys = three.keys.filter { !$0.hasPrefix("loss_step") }
            #expect(keys.contains("W.a") && keys.contains("V"))
            if setup.contains("optimizer") { #expect(three["optimizer_step"] == [3] && more["optimizer_step"] == [3]) }
            for key in keys {
                #expect(more[key] == three[key], "\(key): 3 steps \(three[key] ?? []), 2 + 1 steps \(more[key] ?? [])")
            }
            #expect(more["loss_step[1]"] == three["loss_step[3]"])
            // A frozen block never moves.
            if setup.contains("\"frozen\": [\"U\"") { #expect(three["U.a"] == [0.1, -0.3, 0.25, 0.2]) }
        }
    }

    /// A tensor of the spec's layout freezes the blocks it holds: nn.LSTM's weight_hh_l0 is
    /// U.a, U.i, U.f, U.o; both bias copies are the bias b.
    @Test func frozenTensorsOfTheLayout() throws {
        try withTemporaryDirectory { dir in
            var outputs: [[String: [Double]]] = []
            for frozen in [#"["weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]"#, #"["U", "b"]"#] {
                let path = dir + "/spec.json"
                try OutputFile.write(path, """
                    {"weights": {"weight_ih_l0": [[0.3], [-0.2], [0.5], [0.1]], "weight_hh_l0": [[-0.1], [0.2], [0.4], [0.3]],
                                 "bias_ih_l0": [0.1, 0.1, 0.05, -0.05], "bias_hh_l0": [0.1, 0.2, 0.05, -0.05]},
                     "inputs": [[1.0], [0.5]], "labels": [0.2, -0.1], "loss": "mse",
                     "optimizer": {"type": "rmsprop", "lr": 0.05}, "frozen": \(frozen)}
                    """)
                outputs.append(try quantities(["run", path, "--steps", "2"]))
            }
            #expect(outputs[0] == outputs[1])
            #expect(outputs[0]["U.f"] == [0.2] && outputs[0]["b.a"] == [0.1])  // b.a = 0.05 + 0.05 (rows g)
            #expect(outputs[0]["W.a"] != [0.5])
        }
    }

    /// One `run` (no --steps) reports the first step of the optimizer and its state, the same as
    /// `--steps 1`.
    @Test func oneRunIsTheFirstStep() throws {
        try withTemporaryDirectory { dir in
            let path = dir + "/spec.json"
            try OutputFile.write(path, Self.spec(Self.setups[4]))
            let single = try quantities(["run", path])
            let stepped = try quantities(["run", path, "--steps", "1"])
            let pairs = [("W.a'", "W.a"), ("U.f'", "U.f"), ("V'", "V"), ("c'", "c"), ("exp_avg.W.a", "exp_avg.W.a"),
                         ("max_exp_avg_sq.V", "max_exp_avg_sq.V"), ("optimizer_step", "optimizer_step")]
            for (inRun, inSteps) in pairs {
                #expect(single[inRun] != nil && single[inRun] == stepped[inSteps], "\(inRun): \(single[inRun] ?? []) vs \(stepped[inSteps] ?? [])")
            }
        }
    }
}
