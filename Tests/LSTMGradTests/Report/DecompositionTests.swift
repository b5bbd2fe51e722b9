import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Seed 000's truncated gradient and the decompositions the seeds ask about.
@Suite struct DecompositionTests {
    /// With `--no-recurrent-terms`, δW^{hi} must equal seed 000's closed form, computed here
    /// from a scalar forward pass written out independently:
    /// ∇W^{hi} = Σ_t h_{t−1} i_t(1−i_t) C̃_t o_t (1−tanh²C_t) w^y y_t(1−y_t) ∇y_t.
    @Test func seed000TruncatedGradientMatchesTheSheet() throws {
        let spec = try Fixtures.spec("seed000-univariate.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let p = problem.cell.parameters
        func s(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let wy = 0.8, wy0 = -0.1
        let xs = [0.5, -1.0, 0.25], gy = [0.3, -0.6, 0.9]
        var h = 0.1, C = -0.2
        var sheet: [String: Double] = ["Wh.i": 0, "Wh.f": 0, "Wh.o": 0, "Wx.c": 0]
        for t in 0..<3 {
            let x = xs[t]
            let f = s(p.U.f[0, 0] * h + p.W.f[0, 0] * x + p.b.f[0])
            let i = s(p.U.i[0, 0] * h + p.W.i[0, 0] * x + p.b.i[0])
            let o = s(p.U.o[0, 0] * h + p.W.o[0, 0] * x + p.b.o[0])
            let Ct = tanh(p.U.a[0, 0] * h + p.W.a[0, 0] * x + p.b.a[0])
            let Cprev = C
            C = f * C + i * Ct
            let hPrev = h
            h = o * tanh(C)
            let y = s(wy * h + wy0)
            let gh = wy * y * (1 - y) * gy[t]                 // ∇h_t without the next level
            let gC = o * (1 - tanh(C) * tanh(C)) * gh          // ∇C_t without the next level
            sheet["Wh.i"]! += hPrev * i * (1 - i) * Ct * gC
            sheet["Wh.f"]! += hPrev * f * (1 - f) * Cprev * gC
            sheet["Wh.o"]! += hPrev * o * (1 - o) * tanh(C) * gh
            sheet["Wx.c"]! += x * (1 - Ct * Ct) * i * gC
        }
        let truncated = Pass(problem, options: BackwardOptions(recurrentTerms: false)).gradients.parameters
        #expect(relativeError(truncated.U.i[0, 0], sheet["Wh.i"]!) < 1e-12)
        #expect(relativeError(truncated.U.f[0, 0], sheet["Wh.f"]!) < 1e-12)
        #expect(relativeError(truncated.U.o[0, 0], sheet["Wh.o"]!) < 1e-12)
        #expect(relativeError(truncated.W.a[0, 0], sheet["Wx.c"]!) < 1e-12)
        // The full gradient differs (it keeps the recurrent terms) and matches finite differences.
        let full = Pass(problem)
        #expect(abs(full.gradients.parameters.U.i[0, 0] - truncated.U.i[0, 0]) > 1e-9)
        for b in FiniteDifferences.check(full) { #expect(b.maxRelativeError(floor: 1e-6) < 1e-6, "\(b.name)") }
    }

    @Test func termsAddUp() throws {
        let spec = try Fixtures.spec("pytorch-layout.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { return }
        let pass = Pass(problem)
        let p = problem.cell.parameters
        for (t, d) in pass.gradients.deltas.enumerated() {
            let s = pass.steps[t]
            // δout = Δ + Δout; δstate = through-out term + f_{t+1}·δstate_{t+1}
            #expect(d.out == d.fromLoss + d.fromNext)
            #expect(d.state == d.stateThroughOut + d.stateFromNext)
            if t + 1 < pass.steps.count {
                #expect(d.stateFromNext == pass.gradients.deltas[t + 1].state * pass.steps[t + 1].gates.f)
            }
            // Δout_{t−1} = Σ_g U_gᵀ·δg_t
            var sum = Vector(zeros: 2)
            for g in LSTMGate.allCases { sum += p.U[g].transposedTimes(d.gates[g]) }
            #expect(sum == d.toPrevOut)
            // Before/after the activation: δi = ∂L/∂i ⊙ i(1 − i), δa = ∂L/∂a ⊙ (1 − a²).
            let i = s.gates.i, a = s.gates.a
            for k in 0..<2 {
                #expect(relativeError(d.gates.i[k], d.gateOutputs.i[k] * i[k] * (1 - i[k])) < 1e-14)
                #expect(relativeError(d.gates.a[k], d.gateOutputs.a[k] * (1 - a[k] * a[k])) < 1e-14)
            }
        }
    }

    @Test func truncatedReportComparesWithTheFullGradient() throws {
        let spec = try Fixtures.spec("seed000-univariate.json")
        let report = try spec.report(options: BackwardOptions(recurrentTerms: false))
        let full = try #require(report.quantity("full.dU.i"))
        guard let problem = spec.problem(as: LSTMCell.self) else { return }
        #expect(full.value.numbers == Pass(problem).gradients.parameters.U.i.values)
        let gap = try #require(report.quantity("gap.dU.i")).value.numbers[0]
        #expect(gap == abs(full.value.numbers[0] - report.quantity("dU.i")!.value.numbers[0]))
        #expect(report.quantity("gap_relative") != nil)
        // What reaches t from t+1 is dropped.
        let step1 = try #require(report.sections.first { $0.title == "Backward @ t=1" })
        #expect(step1.quantities.first { $0.key == "Delta_out[1]" }?.value.numbers == [0])
        #expect(step1.quantities.first { $0.key == "delta_state_from_next[1]" }?.value.numbers == [0])
        // Every key has one value: the Δout_1 computed at t = 2 is named apart as dropped.
        #expect(report.quantity("Delta_out[1]")?.value.numbers == [0])
        #expect(report.quantity("Delta_out_dropped[1]")?.value.numbers.first != 0)
        var seen: [String: [Double]] = [:]
        for s in report.sections {
            for q in s.quantities {
                if let v = seen[q.key] { #expect(v == q.value.numbers, "\(q.key) has two values") }
                seen[q.key] = q.value.numbers
            }
        }
    }

    @Test func notationsRelabelButKeepKeys() throws {
        let spec = try Fixtures.spec("seed000-univariate.json")
        let report = try spec.report()
        #expect(report.quantity("state[0]")?.label == "C_0")
        #expect(report.quantity("delta_post_i[1]")?.label == "∇i_1")
        #expect(report.quantity("delta_i[1]")?.label == "∇z^i_1")
        #expect(Notation.colah.canonical(name("C[2]")) == name("state[2]"))
        #expect(Notation.colah.canonical(name("h[0]")) == name("out[0]"))
        #expect(Notation.published.canonical(name("out[0]")) == name("out[0]"))
    }
}

@Suite struct HatNotationTests {
    /// Seed 003 writes δâ for the pre-activation gradient and δa for the one after the activation.
    @Test func preAndPostActivationAreNamedApart() throws {
        let report = try Fixtures.spec("seed003-stacked.json").report()
        #expect(report.quantity("delta_a[0]")?.label == "δâ_0")
        #expect(report.quantity("delta_post_a[0]")?.label == "δa_0")
        #expect(report.quantity("Delta_out.i[0]")?.label == "h^i_0")
        #expect(Notation.hat.canonical(name("c[1]")) == name("state[1]"))
    }
}
