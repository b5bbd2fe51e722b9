@testable import LSTMGrad
import Testing

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
}
