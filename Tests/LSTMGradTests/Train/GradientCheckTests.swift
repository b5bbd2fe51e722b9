import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// An LSTM whose backward pass is deliberately wrong in one block (δU_f scaled by 1.01): the
/// gradient check must catch it, and only it.
struct BrokenLSTM: LSTMWrapper {
    var inner: LSTMCell
    var summary: String { "broken LSTM" }

    init(parameters: LSTMParameters) { inner = LSTMCell(parameters: parameters) }

    /// The one wrong equation: δU_f = 1.01 · Σ_t δf_t ⊗ out_{t−1}.
    func gradientEquations(steps T: Int) -> [Equation] {
        inner.gradientEquations(steps: T).map { e in
            e.name == name("dU.f") ? Equation(e.name, .scaled([.number(1.01), e.rhs])) : e
        }
    }
}

/// A test cell that is the LSTM but for what it overrides.
protocol LSTMWrapper: Cell where Parameters == LSTMParameters, Step == LSTMStep, StepDeltas == LSTMStepDeltas {
    var inner: LSTMCell { get }
}

extension LSTMWrapper {
    var parameters: LSTMParameters { inner.parameters }
    var hiddenSize: Int { inner.hiddenSize }
    var inputSize: Int { inner.inputSize }
    var outputSymbol: Symbol { inner.outputSymbol }
    var carried: [Symbol] { inner.carried }
    func forwardEquations(t: Int) -> [Equation] { inner.forwardEquations(t: t) }
    func forwardLines(t: Int, names: Notation) -> [ReportLine] { [] }
    func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        inner.backwardEquations(t: t, steps: T, options: options)
    }
    func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] { inner.zeroDeltas(t: t, steps: T, options: options) }
    func initialGradients(options: BackwardOptions) -> [QuantityName] { inner.initialGradients(options: options) }
    func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] { [] }
    func gradientEquations(steps T: Int) -> [Equation] { inner.gradientEquations(steps: T) }
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

/// Counts the timesteps an LSTM evaluates forward (the cost of a gradient check).
final class StepCounter: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var count = 0
    init() { pthread_mutex_init(&mutex, nil) }
    func add(_ n: Int) {
        pthread_mutex_lock(&mutex)
        count += n
        pthread_mutex_unlock(&mutex)
    }
    var value: Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return count
    }
}

/// The LSTM, counting every timestep it runs forward (in one counter for every copy: the check
/// rebuilds the cell from perturbed parameters). Used by one test only.
struct CountingLSTM: LSTMWrapper {
    static let counter = StepCounter()
    var inner: LSTMCell
    var summary: String { "counting LSTM" }

    init(parameters: LSTMParameters) {
        inner = LSTMCell(parameters: parameters)
    }

    /// One call per timestep a forward pass runs.
    func forwardEquations(t: Int) -> [Equation] {
        CountingLSTM.counter.add(1)
        return inner.forwardEquations(t: t)
    }
}

/// `--sample N` samples timesteps too: the input blocks of the first, the last and N others.
@Suite struct GradientCheckSamplingTests {
    @Test func sampledTimesteps() {
        #expect(GradientCheck.sampledTimesteps(5, sample: nil, seed: 1) == [0, 1, 2, 3, 4])
        #expect(GradientCheck.sampledTimesteps(5, sample: 3, seed: 1) == [0, 1, 2, 3, 4])
        #expect(GradientCheck.sampledTimesteps(2, sample: 1, seed: 1) == [0, 1])
        for (T, k) in [(6, 3), (100, 1), (2000, 3), (2000, 50)] {
            let ts = GradientCheck.sampledTimesteps(T, sample: k, seed: 0x5EED)
            #expect(ts.count == k + 2)
            #expect(ts.first == 0 && ts.last == T - 1)
            #expect(zip(ts, ts.dropFirst()).allSatisfy { $0 < $1 }, "sorted and distinct: \(ts)")
            #expect(ts == GradientCheck.sampledTimesteps(T, sample: k, seed: 0x5EED))
        }
    }

    /// The cost, counted: the pass runs T steps, and each checked entry four forward passes of T
    /// steps; with a sample of 2 at T = 300, 4 input blocks of 2 entries instead of 300.
    @Test func sampleBoundsTheTimestepsEvaluated() throws {
        let spec = try Fixtures.spec(json: try CLIRunner.run(["init", "--steps", "300", "--seed", "4"]).stdout)
        let p = try #require(spec.visit(LSTMProblem()))
        let problem = Problem(cell: CountingLSTM(parameters: p.cell.parameters), head: p.head, loss: p.loss, inputs: p.inputs,
                              targets: p.targets, initial: p.initial, learningRate: p.learningRate)
        let before = CountingLSTM.counter.value
        let check = GradientCheck(Pass(problem, views: false), sample: 2)
        let entries = check.rows.reduce(0) { $0 + $1.block.indices.count }
        // 12 parameter blocks of 2 entries, Delta_out[-1] and delta_state[-1] (2 each), 4 input blocks of 2.
        #expect(check.rows.count == 12 + 2 + 4)
        #expect(entries == 12 * 2 + 2 * 2 + 4 * 2)
        #expect(check.rows.filter { $0.block.name.hasPrefix("delta_x[") }.map(\.block.name)
                == check.timesteps.map { "delta_x[\($0)]" })
        #expect(CountingLSTM.counter.value - before == 300 * (1 + 4 * entries))
        #expect(check.passed)
    }

    /// Through the binary at T = 2,000 with a sample of 1: 3 input blocks instead of 2,000, and the
    /// line that says so.
    @Test func commandLineAtLargeT() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let spec = dir + "/long.json"
        #expect(try CLIRunner.run(["init", "--steps", "2000", "--seed", "1", "-o", spec]).status == 0)
        let r = try CLIRunner.run(["gradcheck", spec, "--sample", "1"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let inputs = lines.filter { $0.hasPrefix("delta_x[") }
        #expect(inputs.count == 3)
        #expect(inputs.first?.hasPrefix("delta_x[0] ") == true && inputs.last?.hasPrefix("delta_x[1999] ") == true, "\(inputs)")
        #expect(lines.suffix(2).first == "inputs: 3 of 2000 timesteps checked (the first, the last and 1 at random)")
        #expect(lines.last?.hasPrefix("all 17 blocks agree (17 entries, ") == true, "\(lines.last ?? "")")
    }
}
