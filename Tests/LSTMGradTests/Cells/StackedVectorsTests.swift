@testable import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The stacked vectors through the fast kernel equal the reference equations (z_t comes from
/// the kernel's own pre-activations), and a forward pass alone (the loss, finite differences)
/// does not compute z_t.
@Suite struct StackedVectorsTests {
    static let shapes = [FastPathTests.shapes[1], FastPathTests.shapes[4], FastPathTests.shapes[8], FastPathTests.shapes[11]]

    @Test(arguments: shapes)
    func fastPathEqualsTheReference(_ s: FastPathTests.Shape) {
        let problem = FastPathTests.problem(s, seed: 5)
        let ref = Pass(problem), fast = Pass(fast: problem)
        let H = s.H, X = s.X
        for t in 0..<s.T {
            for key in ["z[\(t)]", "I[\(t)]", "delta_gates[\(t)]", "delta_I[\(t)]"] {
                let r = ref.values[name(key)]?.numbers ?? [], f = fast.values[name(key)]?.numbers ?? []
                FastPathTests.expectClose(f, r, key, s)
            }
            #expect(ref.values[name("z[\(t)]")]?.numbers.count == 4 * H)
            #expect(ref.values[name("I[\(t)]")]?.numbers.count == X + H)
            #expect(ref.values[name("delta_I[\(t)]")]?.numbers.count == X + H)
        }
    }

    @Test func aForwardPassAloneDoesNotComputeZ() {
        let problem = FastPathTests.problem(FastPathTests.shapes[4])
        let forward = Pass.forward(problem)
        #expect(forward.values[name("z[0]")] == nil)
        #expect(forward.values[name("I[0]")] != nil)
        #expect(Pass(problem).values[name("z[0]")] != nil)
    }

    /// The gates are their activations of z_t's rows (a = tanh(â), i, f, o = σ(·)), with the
    /// peepholes' p_g ⊙ state terms inside z_t for the peephole LSTM; `check` accepts z_t.
    @Test(arguments: ["gomez.json", "lstm-peephole.json", "seed003-stacked.json"])
    func gatesAreTheActivationsOfZ(_ fixture: String) throws {
        let report = try Fixtures.spec(fixture).report(work: true)
        let values = try #require(report.values)
        let answerable = Dictionary(report.answerable.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let T = report.sections.filter { $0.title.hasPrefix("Forward @") }.count
        #expect(T > 1)
        for t in 0..<T {
            let z = try #require(answerable[name("z[\(t)]")], "z[\(t)] not answerable").value.numbers
            let H = z.count / 4
            for (k, g) in ["a", "i", "f", "o"].enumerated() {
                let gate = try #require(values[name("\(g)[\(t)]")]).numbers
                for j in 0..<H {
                    let pre = z[k * H + j]
                    let expected = g == "a" ? tanh(pre) : 1 / (1 + exp(-pre))
                    #expect(abs(gate[j] - expected) <= 1e-14, "\(fixture) \(g)[\(t)][\(j)]: \(gate[j]) vs activation of z = \(expected)")
                }
            }
        }
    }
}
