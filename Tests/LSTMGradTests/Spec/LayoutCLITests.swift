import LSTMGrad
import Testing

/// `lstm-grad run` end to end for every layout, `--no-recurrent-terms` and `--write-updated`.
@Suite struct LayoutCLITests {
    /// Each layout fixture and a block its report must give back in the spec's own layout.
    static let fixtures: [(String, String)] = [
        ("seed000-univariate", "∇W^hi"), ("seed002-concat-softmax", "∇Wz.C"), ("seed003-stacked", "δW "),
        ("pytorch-layout", "δweight_hh_l0"), ("keras-layout", "δrecurrent_kernel"), ("gomez", "δU_i"),
    ]

    @Test(arguments: fixtures.map(\.0))
    func runsEveryLayout(_ name: String) throws {
        let out = try CLIRunner.run(["run", "fixtures/\(name).json"])
        #expect(out.status == 0, "\(out.stderr)")
        let marker = Self.fixtures.first { $0.0 == name }!.1
        #expect(out.stdout.contains(marker), "\(name): no \(marker)")
        let json = try CLIRunner.run(["run", "fixtures/\(name).json", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.stdout.contains("\"delta_post_i[0]\""))
    }

    @Test func layoutBlocksInJSON() throws {
        let out = try CLIRunner.run(["run", "fixtures/pytorch-layout.json", "--format", "json"])
        #expect(out.status == 0)
        for key in ["d_weight_ih_l0", "d_weight_hh_l0", "d_bias_ih_l0", "d_bias_hh_l0", "weight_ih_l0'", "bias_hh_l0'"] {
            #expect(out.stdout.contains("\"\(key)\""), "missing \(key)")
        }
    }

    @Test func noRecurrentTerms() throws {
        let out = try CLIRunner.run(["run", "fixtures/seed000-univariate.json", "--no-recurrent-terms"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("truncated gradient (--no-recurrent-terms)"))
        #expect(out.stdout.contains("‖truncated − full‖ / ‖full‖"))
        let full = try CLIRunner.run(["run", "fixtures/seed000-univariate.json"])
        #expect(!full.stdout.contains("‖truncated − full‖"))
    }

    @Test(arguments: fixtures.map(\.0))
    func writeUpdatedThenRunAgain(_ name: String) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/updated.json"
        let out = try CLIRunner.run(["run", "fixtures/\(name).json", "--write-updated", path])
        #expect(out.status == 0, "\(out.stderr)")
        let spec = try SpecDecoder.decode(SourceText(name: path, bytes: try InputFile.read(path)))
        let original = try Fixtures.spec(name + ".json")
        #expect((spec.problem(as: LSTMCell.self)?.layout as? LSTMLayout)?.name == (original.problem(as: LSTMCell.self)?.layout as? LSTMLayout)?.name)
        // The updated parameters printed by the first run are the parameters of the second.
        let firstReport = try original.report()
        guard let p = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        for block in p.cell.parameters.blockNames {
            let printed = try #require(firstReport.quantity(block.afterUpdate)).value.numbers
            // Exact, except PyTorch's effective bias b_ih' + b_hh' (summed after the step).
            for (a, b) in zip(printed, p.cell.parameters[block: block]) { #expect(abs(a - b) <= 1e-15, "\(name): \(block)") }
        }
        let second = try CLIRunner.run(["run", path])
        #expect(second.status == 0, "\(second.stderr)")
    }

    @Test func layoutErrorsNameThePath() throws {
        let spec = #"{"weights": {"order": "ifgx", "W": [[1, 2], [1, 2], [1, 2], [1, 2]], "U": [1, 2, 3, 4]}, "inputs": [[1, 2]], "labels": [1]}"#
        let out = try CLIRunner.run(["run", "-"], stdin: spec)
        #expect(out.status == 2)
        #expect(out.stderr.contains("<stdin>:1:23: error: weights.order: expected a permutation of the four gates"), "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        let two = #"{"weights": {"kernel": [[1]], "weight_ih_l0": [[1]]}, "inputs": [[1]], "labels": [1]}"#
        let out2 = try CLIRunner.run(["run", "-"], stdin: two)
        #expect(out2.status == 2)
        #expect(out2.stderr.contains("weights.weight_ih_l0: two weight layouts at once"), "\(out2.stderr)")
    }

    /// A directory that does not exist is an output failure (exit 3), found before the run.
    @Test func writeUpdatedToAnUnwritablePath() throws {
        let out = try CLIRunner.run(["run", "fixtures/gomez.json", "--write-updated", "/nonexistent-dir/x.json"])
        #expect(out.status == 3)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == "lstm-grad: error: /nonexistent-dir/x.json: cannot create: No such file or directory\n")
    }
}

/// The README's layout examples (docs/examples/layout-*.json): one tiny network in six layouts.
@Suite struct DocumentedLayoutExamples {
    static let names = ["per-gate", "seed000", "concat", "stacked", "pytorch", "keras"]

    @Test(arguments: names)
    func sameNumbersAsPerGate(_ name: String) throws {
        func load(_ n: String) throws -> Spec {
            let path = Fixtures.root + "/docs/examples/layout-\(n).json"
            return try SpecDecoder.decode(SourceText(name: path, bytes: try InputFile.read(path)))
        }
        let reference = try load("per-gate").report(), report = try load(name).report()
        for key in ["out[1]", "state[1]", "loss", "dW.a", "dU.a", "db.f", "W.o'", "U.i'"] {
            let a = try #require(reference.quantity(key)).value.numbers, b = try #require(report.quantity(key)).value.numbers
            for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-15, "\(name): \(key)") }
        }
        let out = try CLIRunner.run(["run", "docs/examples/layout-\(name).json"])
        #expect(out.status == 0, "\(out.stderr)")
    }
}
