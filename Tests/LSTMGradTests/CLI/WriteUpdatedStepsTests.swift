import LSTMGrad
import Testing

/// `run --steps N --write-updated FILE` saves the parameters after step N (issue 12, bug 2), in
/// the spec's own layout, with no block the spec did not have (bug 3). Checked as a user would:
/// the file's weights against `--steps N --format json`, and the file run again gives the loss
/// that `--steps` printed after step N.
@Suite struct WriteUpdatedStepsTests {
    /// `--steps N --format json` (the loss after each step and the final parameters) and the
    /// spec written beside it.
    func trainAndWrite(_ fixture: String, steps: Int, into dir: String) throws -> (trained: [String: [Double]], written: String) {
        let path = dir + "/updated.json"
        let out = try CLIRunner.run(["run", "fixtures/\(fixture)", "--steps", "\(steps)", "--write-updated", path, "--force", "--format", "json"])
        #expect(out.status == 0, "\(out.stderr)")
        return (try JSONOutput.quantityTable(out.stdout), path)
    }

    /// The loss of the written spec, run again, is `--steps`' loss after step N.
    func expectLossAfterLastStep(_ trained: [String: [Double]], written path: String, steps: Int) throws {
        let after = try #require(trained["loss_step[\(steps)]"]?.first)
        let before = try #require(trained["loss_step[1]"]?.first)
        #expect(after != before)  // steps 1 and N differ, so the test tells them apart
        let rerun = try CLIRunner.run(["run", path, "--format", "json"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let loss = try #require(try JSONOutput.quantityTable(rerun.stdout)["loss"]?.first)
        #expect(relativeError(loss, after) <= 1e-12, "the written spec's loss \(loss); after step \(steps): \(after); after step 1: \(before)")
    }

    @Test func writesTheParametersAfterTheLastStep() throws {
        try withTemporaryDirectory { dir in try writesTheParametersAfterTheLastStep(in: dir) }
    }

    func writesTheParametersAfterTheLastStep(in dir: String) throws {
        // Per-gate layout: every written block is the block `--steps 3` printed, exactly.
        let (trained, path) = try trainAndWrite("gomez.json", steps: 3, into: dir)
        let spec = try JSONParser.parse(try InputFile.read(path))
        for block in ["W", "U", "b"] {
            for gate in ["a", "i", "f", "o"] {
                let node = try #require(JSONOutput.member(spec, ["weights", block, gate]), "weights.\(block).\(gate) missing")
                let written = JSONOutput.flatten(node)
                let printed = try #require(trained["\(block).\(gate)"])
                #expect(written == printed, "\(block).\(gate): written \(written), after 3 steps \(printed)")
            }
        }
        try expectLossAfterLastStep(trained, written: path, steps: 3)

        // Layouts that convert on the way out: PyTorch's two biases, the stacked rows.
        for fixture in ["pytorch-layout.json", "seed003-stacked.json"] {
            let (t, p) = try trainAndWrite(fixture, steps: 3, into: dir)
            try expectLossAfterLastStep(t, written: p, steps: 3)
        }
    }

    /// Seed 003 has no biases: the written spec has none either (its weights keep the spec's
    /// own keys), and it trains none.
    @Test func aSpecWithoutBiasesIsWrittenWithoutBiases() throws {
        try withTemporaryDirectory { dir in try aSpecWithoutBiasesIsWrittenWithoutBiases(in: dir) }
    }

    func aSpecWithoutBiasesIsWrittenWithoutBiases(in dir: String) throws {
        let (trained, path) = try trainAndWrite("seed003-stacked.json", steps: 2, into: dir)
        let spec = try JSONParser.parse(try InputFile.read(path))
        let weights = try #require(JSONOutput.member(spec, ["weights"])?.members)
        #expect(weights.map(\.key) == ["order", "W", "U"])
        #expect(!trained.keys.contains { $0.hasPrefix("b") }, "\(trained.keys.sorted())")

        // One step without --steps: the same.
        let single = try CLIRunner.run(["run", "fixtures/seed003-stacked.json", "--write-updated", path, "--force"])
        #expect(single.status == 0, "\(single.stderr)")
        let again = try JSONParser.parse(try InputFile.read(path))
        #expect(try #require(JSONOutput.member(again, ["weights"])?.members).map(\.key) == ["order", "W", "U"])
    }
}
