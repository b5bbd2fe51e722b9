import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The RNN's and the GRU's equations (show-work, `check`): each evaluates, from its own
/// operands, to the value the cell computed, every quantity the cell reports carries one, and
/// `run --show-work`'s substituted numbers, parsed back and evaluated here with a shape-aware
/// evaluator (the matrices are 2×2), give the printed results.
@Suite struct RNNGRUWorkTests {
    static let specs = ["seed004-rnn.json", "rnn-vanishing.json", "gru-pytorch.json", "gru-znew.json"]

    @Test(arguments: specs)
    func everyEquationEvaluatesToItsQuantity(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        let report = try spec.report(work: true)
        let T = report.sections.filter { $0.title.hasPrefix("Forward") }.count
        var withWork = 0
        for q in report.uniqueQuantities {
            guard let e = q.equation, let r = try q.evaluated(in: report)?.numbers else {
                // Only the losses, the zero recurrent term at T−1 and given upstream gradients
                // have no equation.
                // (And the updated parameters in a state dict's names: views of the updated blocks.)
                let upstream = name == "rnn-vanishing.json" && q.key.hasPrefix("Delta[")
                let layoutView = q.note == "pytorch layout"
                #expect(q.key.hasPrefix("loss") || q.key == "Delta_h[\(T - 1)]" || upstream || layoutView, "\(name): \(q.key) has no equation")
                continue
            }
            withWork += 1
            #expect(r.count == q.value.numbers.count, "\(name): \(q.key)")
            for (a, b) in zip(r, q.value.numbers) {
                #expect(abs(a - b) <= 1e-12, "\(name): \(q.key): equation gives \(a), cell computed \(b)")
            }
            for mistake in e.mistakes {
                #expect(try mistake.rhs.evaluate { report.values![$0] }.numbers.count == r.count, "\(q.key)")
            }
        }
        #expect(withWork >= 5 * T, "\(name): only \(withWork) quantities carry their work")
    }

    @Test(arguments: specs)
    func replayWithoutRoundingIsTheExactPass(_ name: String) throws {
        let report = try Fixtures.spec(name).report(work: true)
        var raw: [QuantityName: Value] = [:]
        let values = report.replay(finish: { $0 }, raw: &raw)
        for q in report.uniqueQuantities where q.equation != nil {
            let v = try #require(values[q.name])
            for (a, b) in zip(v.numbers, q.value.numbers) { #expect(abs(a - b) <= 1e-12, "\(name): \(q.key)") }
        }
    }

    /// An operand that names a reported quantity names it by its canonical key, so that a
    /// student's answer for it is carried forward (h_t, not the LSTM's out_t).
    @Test(arguments: specs)
    func operandsNameReportedQuantities(_ name: String) throws {
        let report = try Fixtures.spec(name).report(work: true)
        let keys = Set(report.uniqueQuantities.map(\.key))
        for q in report.uniqueQuantities {
            let operands = q.equation?.rhs.operands.map(\.description) ?? []
            for op in operands where op.hasPrefix("out[") {
                Issue.record("\(name): \(q.key) reads \(op), which the report calls h")
            }
            for op in operands where op.hasPrefix("delta_") || op.hasPrefix("Delta") {
                #expect(keys.contains(op) || op.hasPrefix("delta_gates"), "\(name): \(q.key) reads \(op)")
            }
        }
    }

    @Test func carriedForwardAndMistakes() throws {
        let report = try Fixtures.spec("gru-pytorch.json").report(work: true)
        // A wrong h_0 carried into r_1 gives the r_1 that follows from it.
        var raw: [QuantityName: Value] = [:]
        let h0 = try #require(report.quantity("h[0]")).value
        let wrong = h0.replacingNumbers(h0.numbers.map { $0 + 0.1 })
        let carried = report.replay(substitute: { $0 == name("h[0]") ? wrong : nil }, finish: { $0 }, raw: &raw)
        let r1 = try #require(report.quantity("r[1]")?.equation)
        // By hand: r_1 = σ(W_r·x_1 + b_r + U_r·h_0 + bh_r) with the wrong h_0.
        let p = try #require(report.values)
        let byHand = Activation.sigmoid.apply(p.value(name("W.r")).matrix.times(p.vector(name("x[1]"))) + p.vector(name("b.r"))
            + p.value(name("U.r")).matrix.times(wrong.vector) + p.vector(name("bh.r")))
        #expect(r1.rhs.operands.contains(name("h[0]")))
        let got = try #require(carried[name("r[1]")]).numbers
        for (a, b) in zip(got, byHand.values) { #expect(abs(a - b) < 1e-15) }
        #expect(carried[name("r[1]")] != report.quantity("r[1]")?.value)
        // The other update convention is diagnosed.
        let h1 = try #require(report.quantity("h[1]")?.equation)
        #expect(h1.mistakes.contains { $0.description.hasPrefix("used the other update convention") })
    }

    // MARK: show-work text, parsed back

    @Test(arguments: specs)
    func substitutedNumbersEvaluateToThePrintedResult(_ name: String) throws {
        let out = try CLIRunner.run(["run", "fixtures/" + name, "--show-work"])
        #expect(out.status == 0, "\(out.stderr)")
        var checked = 0
        for full in out.stdout.split(separator: "\n") where full.hasPrefix("  ") {
            // The note after the value ("   (recurrent term, from t = 3)") is not part of the equation.
            let line = full.firstRange(of: "   (").map { full[..<$0.lowerBound] } ?? full
            let parts = line.trimmingPrefix("  ").split(separator: " = ", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            var e = Evaluator(parts[2])
            let value = try e.expression()
            e.skip()
            #expect(e.k == e.s.count, "unparsed text in \(parts[2])")
            var p = Evaluator(parts[3])
            let printed = try p.primary()
            #expect(value.v.count == printed.v.count, "\(line)")
            for (a, b) in zip(value.v, printed.v) {
                // The operands are printed to 5 decimals: the result follows within a few units
                // of the 5th decimal.
                #expect(abs(a - b) <= 5e-5, "\(parts[0]): \(parts[2]) = \(a), printed \(b)")
            }
            checked += 1
        }
        let report = try Fixtures.spec(name).report(work: true)
        let withWork = report.sections.reduce(0) { $0 + $1.quantities.filter { $0.equation != nil }.count }
        #expect(checked == withWork, "\(name): \(checked) equations printed, \(withWork) carry their work")
    }

    @Test func showWorkUsesTheCellsNames() throws {
        let rnn = try CLIRunner.run(["run", "fixtures/seed004-rnn.json", "--show-work"]).stdout
        let lines = rnn.split(separator: "\n").map { String($0.trimmingPrefix("  ")) }
        #expect(lines.contains { $0.hasPrefix("z_0 = W·h_-1 + U·x_0 = [0.58 0.24; 0.24 0.72]·[0 0] + [0.5 -0.3; 0.2 0.4]·[1 0] = [0.50000 0.20000]") })
        #expect(lines.contains { $0.hasPrefix("Δ_3 = h_3 − label_3 = ") })
        let gru = try CLIRunner.run(["run", "fixtures/gru-pytorch.json", "--show-work"]).stdout
        #expect(gru.contains("v_0 = V·h_0 + c = "))
        #expect(gru.contains("h_0 = (1 − z_0) ⊙ n_0 + z_0 ⊙ h_-1 = "))
        let znew = try CLIRunner.run(["run", "fixtures/gru-znew.json", "--show-work"]).stdout
        #expect(znew.contains("h_0 = z_0 ⊙ n_0 + (1 − z_0) ⊙ h_-1 = "))
        for format in ["markdown", "latex"] {
            let doc = try CLIRunner.run(["run", "fixtures/gru-znew.json", "--format", format])
            #expect(doc.status == 0, "\(doc.stderr)")
            #expect(doc.stdout.contains("$\\delta h_{0} = \\Delta _{0} + \\Delta h_{0} = \\begin{bmatrix}"), "\(format)")
            #expect(doc.stdout.contains("\\delta gates^{hh}_{0} \\otimes  h_{-1}"), "\(format)")
        }
    }

    /// `check` on an RNN: answers named as the report names them (h, not the LSTM's out), a
    /// value carried forward from the student's own h_0, and a classic mistake diagnosed.
    @Test func checkCarriesForwardAndDiagnoses() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/answers.json"
        // By hand: z_1 = W·[0.62 0.55] + U·[0.5 −1] = [0.3596 + 0.132 + 0.25 + 0.3, 0.1488 + 0.396 + 0.1 − 0.4].
        // δh_2 = Δ_2 alone (Δh_2 forgotten) = h_2 − label_2.
        try writeFile(path, #"{"h[0]": [0.62, 0.55], "z[1]": [1.0416, 0.2448], "delta_h[2]": [-0.20912, 0.19921]}"#)
        let out = try CLIRunner.run(["check", "fixtures/seed004-rnn.json", path])
        #expect(out.status == 1, "\(out.stderr)")
        #expect(out.stdout.contains("carried forward (from h_0 = [0.62, 0.55])"), "\(out.stdout)")
        #expect(out.stdout.contains("forgot Δh from t+1 (δh_t = Δ_t)"), "\(out.stdout)")
        // h_0 written with 2 significant digits is wrong (3 are needed); z_1 follows from it.
        #expect(out.stdout.hasPrefix("✗ h_0 "), "\(out.stdout)")
        #expect(out.stdout.contains("1 correct, 2 wrong (1 carried forward)"), "\(out.stdout)")
    }

    /// With `--no-recurrent-terms` every printed equation still gives the value beside it (the
    /// Δh_{t−1} that is not passed back prints bare, the zero Δh_t beside δh_t has none).
    @Test(arguments: specs)
    func truncatedGradientEquations(_ name: String) throws {
        let report = try Fixtures.spec(name).report(options: BackwardOptions(recurrentTerms: false), work: true)
        var withWork = 0
        for section in report.sections {
            for q in section.quantities {
                guard let r = try q.evaluated(in: report) else { continue }
                withWork += 1
                for (a, b) in zip(r.numbers, q.value.numbers) {
                    #expect(abs(a - b) <= 1e-12, "\(name): \(section.title): \(q.key): equation gives \(a), value \(b)")
                }
            }
        }
        #expect(withWork > 20)
    }
}
