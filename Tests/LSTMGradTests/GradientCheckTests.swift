import LSTMGrad
import Testing

/// An LSTM whose backward pass is deliberately wrong in one block (δU_f scaled by 1.01): the
/// gradient check must catch it, and only it.
struct BrokenLSTM: Cell {
    var inner: LSTMCell
    var parameters: LSTMParameters { inner.parameters }
    var hiddenSize: Int { inner.hiddenSize }
    var inputSize: Int { inner.inputSize }
    var summary: String { "broken LSTM" }
    var outputSymbol: Symbol { inner.outputSymbol }
    var carried: [Symbol] { inner.carried }

    init(parameters: LSTMParameters) { inner = LSTMCell(parameters: parameters) }

    func forwardEquations(t: Int) -> [Equation] { inner.forwardEquations(t: t) }
    func forwardLines(t: Int, names: Notation) -> [ReportLine] { [] }
    func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        inner.backwardEquations(t: t, steps: T, options: options)
    }
    func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] { inner.zeroDeltas(t: t, steps: T, options: options) }
    func initialGradients(options: BackwardOptions) -> [QuantityName] { inner.initialGradients(options: options) }
    func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] { [] }

    /// The one wrong equation: δU_f = 1.01 · Σ_t δf_t ⊗ out_{t−1}.
    func gradientEquations(steps T: Int) -> [Equation] {
        inner.gradientEquations(steps: T).map { e in
            e.name == name("dU.f") ? Equation(e.name, .scaled([.number(1.01), e.rhs])) : e
        }
    }

    func step(_ values: Trace, t: Int) -> LSTMStep { inner.step(values, t: t) }
    func deltas(_ values: Trace, t: Int) -> LSTMStepDeltas { inner.deltas(values, t: t) }
}

struct LSTMProblem: ProblemVisitor {
    func visit<C: Cell>(_ problem: Problem<C>) -> Problem<LSTMCell>? { problem as? Problem<LSTMCell> }
}

@Suite struct GradientCheckTests {
    @Test(arguments: Fixtures.goldenNames())
    func everyFixturePasses(_ name: String) throws {
        let check = try Fixtures.spec(name).gradientCheck()
        #expect(check.passed, "\(name): \(check.rows.filter { $0.error > check.tolerance }.map(\.block.name))")
        #expect(check.rows.contains { $0.block.name.hasPrefix("dW") })
    }

    @Test(arguments: ShowWorkTests.headSpecs.keys.sorted())
    func everyHeadPasses(_ name: String) throws {
        let check = try Fixtures.spec(json: ShowWorkTests.headSpecs[name]!).gradientCheck()
        #expect(check.passed, "\(name)")
        #expect(check.rows.map(\.block.name).contains("dV"))
    }

    @Test func catchesABrokenGradient() throws {
        let p = try #require(try Fixtures.spec("gomez.json").visit(LSTMProblem()))
        let broken = Problem(cell: BrokenLSTM(parameters: p.cell.parameters), head: p.head, loss: p.loss, inputs: p.inputs,
                             targets: p.targets, initial: p.initial, learningRate: p.learningRate)
        let check = GradientCheck(Pass(broken))
        #expect(!check.passed)
        #expect(check.rows.filter { $0.error > check.tolerance }.map(\.block.name) == ["dU.f"])
        #expect(GradientCheck(Pass(p)).passed)
    }

    @Test func sampleChecksAFixedSubset() throws {
        let spec = try Fixtures.spec("gomez.json")
        let a = spec.gradientCheck(sample: 1)
        let b = spec.gradientCheck(sample: 1)
        #expect(a.rows.allSatisfy { $0.block.indices.count == 1 })
        #expect(a.rows.map(\.block.indices) == b.rows.map(\.block.indices))
        #expect(a.rows.first { $0.block.name == "dW.a" }?.size == 2)
    }

    @Test func commandLine() throws {
        let ok = try CLIRunner.run(["gradcheck", "fixtures/gomez.json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("all 16 blocks agree (22 entries"), "\(ok.stdout)")
        let sampled = try CLIRunner.run(["gradcheck", "fixtures/gomez.json", "--sample", "1"])
        #expect(sampled.stdout.contains("dW.a             1/2"), "\(sampled.stdout)")
        // An impossible tolerance fails with exit 1.
        let strict = try CLIRunner.run(["gradcheck", "fixtures/gomez.json", "--tol", "0"])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("FAIL"))
        let bad = try CLIRunner.run(["gradcheck", "fixtures/gomez.json", "--tol", "x"])
        #expect(bad.status == 2)
    }
}
