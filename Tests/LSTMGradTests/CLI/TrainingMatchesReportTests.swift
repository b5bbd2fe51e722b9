import LSTMGrad
import Testing

/// `run --steps N` trains with the same update that `run` prints, in the spec's own layout
/// (issue 12, bugs 1 and 3), seen where a user sees it: the binary's JSON output.
@Suite struct TrainingMatchesReportTests {
    /// PyTorch stores the bias twice (b = b_ih + b_hh) and each copy takes the step −λ·δb, so the
    /// effective bias moves by 2λ·δb. `run` prints that; one `--steps` step must train the same:
    /// b_a goes 0.88 → 0.86328, not 0.87164 (b − λ·δb).
    @Test func pytorchOneStepEqualsTheReportsUpdate() throws {
        let report = try CLIRunner.run(["run", "fixtures/pytorch-layout.json", "--format", "json"])
        let trained = try CLIRunner.run(["run", "fixtures/pytorch-layout.json", "--steps", "1", "--format", "json"])
        #expect(report.status == 0 && trained.status == 0, "\(report.stderr)\(trained.stderr)")
        let printed = try JSONOutput.quantityTable(report.stdout)
        let after = try JSONOutput.quantityTable(trained.stdout)

        // Every parameter block after one step is the block `run` prints as updated.
        var compared = 0
        for (key, value) in after where printed[key + "'"] != nil {
            let updated = try #require(printed[key + "'"])
            #expect(value.count == updated.count, "\(key)")
            for (a, b) in zip(value, updated) { #expect(relativeError(a, b) <= 1e-12, "\(key): --steps 1 gives \(a), run prints \(b)") }
            compared += 1
        }
        // W, U, b per gate, the head's V and c, and the state dict's four tensors (each bias
        // copy after its own step).
        #expect(compared == 18, "compared \(compared) blocks")
        #expect(after["bias_ih_l0"] == printed["bias_ih_l0'"] && after["bias_hh_l0"] == printed["bias_hh_l0'"])

        // By hand from the spec: b_a = bias_ih[4..<6] + bias_hh[4..<6] (order i, f, g, o) = [0.88, −0.24],
        // each copy stepped by −λ·δb_a with λ = 0.1.
        let db = try #require(printed["db.a"])
        let ba = try #require(after["b.a"])
        #expect(abs(ba[0] - (0.16 + 0.72 - 2 * 0.1 * db[0])) <= 1e-14)
        #expect(abs(ba[1] - (-0.38 + 0.14 - 2 * 0.1 * db[1])) <= 1e-14)
        #expect(format5(ba[0]) == "0.86328")
        // The same effective bias from the two updated PyTorch tensors the report prints.
        let bih = try #require(printed["bias_ih_l0'"]), bhh = try #require(printed["bias_hh_l0'"])
        #expect(abs(ba[0] - (bih[4] + bhh[4])) <= 1e-14 && abs(ba[1] - (bih[5] + bhh[5])) <= 1e-14)
    }

    /// Seed 003 writes no biases: nothing may grow or train a `b` block.
    @Test func stackedSpecWithoutBiasesTrainsNoBias() throws {
        let trained = try CLIRunner.run(["run", "fixtures/seed003-stacked.json", "--steps", "2", "--format", "json"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let keys = try JSONOutput.quantities(trained.stdout).map(\.key)
        #expect(keys.contains("W.a") && keys.contains("U.o"), "\(keys)")
        #expect(!keys.contains { $0.hasPrefix("b") }, "\(keys)")

        let text = try CLIRunner.run(["run", "fixtures/seed003-stacked.json", "--steps", "2"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("Parameters after 2 steps\n"))
        #expect(!text.stdout.split(separator: "\n").contains { $0.hasPrefix("  b") }, "\(text.stdout)")

        let report = try CLIRunner.run(["run", "fixtures/seed003-stacked.json", "--format", "json"])
        #expect(report.status == 0)
        let reportKeys = try JSONOutput.quantities(report.stdout).map(\.key)
        #expect(reportKeys.contains("dW.a") && reportKeys.contains("U.o'"))
        for key in reportKeys {
            #expect(!(key.hasPrefix("db") || key.hasPrefix("b.") || key.hasPrefix("b'") || key.hasPrefix("d_b")), "\(key)")
        }
        let reportText = try CLIRunner.run(["run", "fixtures/seed003-stacked.json"])
        #expect(!reportText.stdout.contains("δb"), "δb printed")
        #expect(!reportText.stdout.split(separator: "\n").contains { $0.hasPrefix("  b") }, "b' printed")
    }

    func format5(_ x: Double) -> String {
        var b = OutputBuffer()
        b.writeFixed(x, decimals: 5)
        return b.text
    }
}
