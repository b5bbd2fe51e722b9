import LSTMGrad
import Testing

/// J_t = ∂s_t/∂s_{t−1} taken from each cell's own equations by forward-mode differentiation,
/// against central differences of one forward step (h = 1e−6), for every cell kind.
@Suite struct StepJacobianTests {
    @Test(arguments: ["gomez.json", "lstm-h2-x3-t4.json", "lstm-peephole.json", "seed004-rnn.json", "rnn-exploding.json", "gru-pytorch.json", "gru-znew.json"])
    func equalsFiniteDifferences(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        try spec.visit(Check())
    }

    struct Check: ProblemVisitor {
        func visit<C: Cell>(_ p: Problem<C>) throws -> Void {
            let cell = p.cell
            let values = cell.forwardValues(p.inputs, initial: p.initial)
            let H = cell.hiddenSize, S = H * cell.carried.count
            for t in 0..<p.inputs.count {
                let J = cell.stepJacobian(values, t: t)
                let start = t == 0 ? p.initial : cell.state(values, t: t - 1)
                for j in 0..<S {
                    func run(_ d: Double) -> [Double] {
                        var s = start
                        if j < H { s.out[j] += d } else { s.state![j - H] += d }
                        let next = cell.state(cell.forwardValues([p.inputs[t]], initial: s), t: 0)
                        return next.out.values + (next.state?.values ?? [])
                    }
                    let plus = run(1e-6), minus = run(-1e-6)
                    for r in 0..<S {
                        let numeric = (plus[r] - minus[r]) / 2e-6
                        #expect(abs(J[r, j] - numeric) <= 1e-8 * max(1, abs(numeric)), "\(C.self) t=\(t) J[\(r),\(j)] = \(J[r, j]), numeric \(numeric)")
                    }
                }
            }
        }
    }
}
