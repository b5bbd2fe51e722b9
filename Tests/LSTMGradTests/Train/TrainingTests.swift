import LSTMGrad
import Testing

/// `run --steps N`: one step reproduces the published SGD update; the loss after each step is
/// the loss of the parameters reached, and it falls for the published learning rate.
@Suite struct TrainingTests {
    @Test func oneStepIsThePublishedUpdate() throws {
        let report = try Fixtures.spec("gomez.json").trainingReport(steps: 1, lastReport: false)
        // Published W_a, U_o, b_o after the update (PublishedExampleTests lists them).
        for (key, k, published) in [("W.a", 0, 0.45267), ("W.a", 1, 0.25922), ("U.o", 0, 0.25297), ("b.o", 0, 0.10536)] {
            let x = try #require(report.quantity(key)).value.numbers[k]
            #expect(abs(x - published) <= 1.5e-5, "\(key)[\(k)] = \(x)")
        }
    }

    @Test func lossAfterEachStepFalls() throws {
        let report = try Fixtures.spec("gomez.json").trainingReport(steps: 5, lastReport: false)
        let losses = try (0...5).map { try #require(report.quantity("loss_step[\($0)]")).value.numbers[0] }
        // Before training: ½(out_0 − 0.5)² + ½(out_1 − 1.25)² with the run's outputs.
        let plain = try Fixtures.spec("gomez.json").report()
        let out0 = try #require(plain.quantity("out[0]")).value.numbers[0]
        let out1 = try #require(plain.quantity("out[1]")).value.numbers[0]
        #expect(abs(losses[0] - (0.5 * (out0 - 0.5) * (out0 - 0.5) + 0.5 * (out1 - 1.25) * (out1 - 1.25))) < 1e-15)
        for k in 1...5 { #expect(losses[k] < losses[k - 1], "step \(k): \(losses[k]) ≥ \(losses[k - 1])") }
    }

    @Test func commandLine() throws {
        let out = try CLIRunner.run(["run", "fixtures/gomez.json", "--steps", "3"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("L after step 3"))
        #expect(out.stdout.contains("Parameters after 3 steps"))
        #expect(!out.stdout.contains("Backward @"))
        let full = try CLIRunner.run(["run", "fixtures/gomez.json", "--steps", "3", "--last-report"])
        #expect(full.stdout.contains("Step 3: Backward @ t=0"))
        let json = try CLIRunner.run(["run", "fixtures/gomez.json", "--steps", "2", "--format", "json"])
        #expect(json.stdout.contains("\"loss_step[2]\": "))
        let bad = try CLIRunner.run(["run", "fixtures/gomez.json", "--last-report"])
        #expect(bad.status == 2)
    }
}
