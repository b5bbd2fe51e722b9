import LSTMGrad
import Testing

/// Every analytic LSTM gradient against central finite differences of the loss: δW, δU, δb,
/// δx_t and the initial-state gradients, for every LSTM fixture.
@Suite struct LSTMGradientTests {
    static let lstmFixtures = Fixtures.goldenNames().filter { name in
        guard let spec = try? Fixtures.spec(name) else { return false }
        if spec.problem(as: LSTMCell.self) != nil { return true }
        return false
    }

    @Test func thereAreLSTMFixturesBeyondThePublishedExample() {
        #expect(Self.lstmFixtures.contains("gomez.json"))
        #expect(Self.lstmFixtures.contains("lstm-h2-x3-t4.json"))
    }

    @Test(arguments: lstmFixtures)
    func gradientsMatchFiniteDifferences(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        guard let problem = spec.problem(as: LSTMCell.self) else { return }
        let pass = Pass(problem)
        let blocks = FiniteDifferences.check(pass)
        // The initial state's gradients, named as `run` names them.
        #expect(blocks.contains { $0.name == "delta_state[-1]" } && blocks.contains { $0.name == "Delta_out[-1]" })
        #expect(blocks.contains { $0.name == "delta_x[0]" })
        for block in blocks {
            for (k, (a, n)) in zip(block.analytic, block.numeric).enumerated() {
                // Relative error with an absolute floor (1e−5·1e−6 = 1e−11) for entries that are (near) zero.
                let err = abs(a - n) / max(abs(a), abs(n), 1e-5)
                #expect(err < 1e-6, "\(name) \(block.name)[\(block.indices[k])]: analytic \(a), numeric \(n), relative error \(err), tolerance 1e-6")
            }
        }
    }

    /// δU includes the t = 0 term δgates_0 ⊗ out_{−1}: with a nonzero initial out it matters,
    /// and the finite differences above would catch its absence. Here it is checked directly.
    @Test func recurrentGradientIncludesTheInitialOutTerm() throws {
        let spec = try Fixtures.spec("lstm-h2-x3-t4.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let pass = Pass(problem)
        var sum = Matrix(zeros: 2, 2)
        for t in 0..<problem.steps {
            sum.addOuter(pass.gradients.deltas[t].gates.f, pass.steps[t].prevOut)
        }
        for (a, b) in zip(pass.gradients.parameters.U.f.values, sum.values) { #expect(abs(a - b) <= 1e-16 * max(1, abs(b))) }
        #expect(pass.steps[0].prevOut == Vector([0.3, -0.2]))
    }

    /// The SGD step is θ − λ·δθ, entry by entry.
    @Test func sgdUpdateIsThetaMinusLambdaGradient() throws {
        let spec = try Fixtures.spec("lstm-h2-x3-t4.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { return }
        let pass = Pass(problem)
        for name in problem.cell.parameters.blockNames {
            let before = problem.cell.parameters[block: name]
            let g = pass.gradients.parameters[block: name]
            let after = pass.updated[block: name]
            for k in before.indices {
                #expect(after[k] == before[k] - 0.05 * g[k])
            }
        }
    }
}
