/// Central finite differences of the total loss, the independent check of every analytic
/// gradient: ∂L/∂θ_k ≈ (L(θ + h·e_k) − L(θ − h·e_k)) / 2h.
public enum FiniteDifferences {
    /// One block of gradients compared: its name, the entries checked, analytic and numeric.
    public struct Block: Sendable {
        public var name: String
        public var indices: [Int]
        public var analytic: [Double]
        public var numeric: [Double]

        /// max_k |analytic − numeric|.
        public var maxAbsoluteError: Double {
            zip(analytic, numeric).map { abs($0 - $1) }.max() ?? 0
        }

        /// max_k |a − n| / max(|a|, |n|, floor): relative with an absolute floor, so that
        /// entries that are zero in both do not divide by zero.
        public func maxRelativeError(floor: Double = 1e-8) -> Double {
            zip(analytic, numeric).map { a, n in abs(a - n) / max(abs(a), abs(n), floor) }.max() ?? 0
        }
    }

    /// Compares the pass's analytic gradients with central differences for every parameter
    /// block of the cell and the head, the initial state and every input.
    /// `entries(name, count)` picks which indices of a block to check (all by default).
    public static func check<C: Cell>(_ pass: Pass<C>, step h: Double = 1e-6,
                                      entries: (String, Int) -> [Int] = { _, n in Array(0..<n) }) -> [Block] {
        let problem = pass.problem
        var blocks: [Block] = []

        func probe(_ name: String, analytic: [Double], perturbed: (Int, Double) -> Problem<C>) {
            let idx = entries(name, analytic.count)
            let numeric = idx.map { k in
                (perturbed(k, h).lossValue() - perturbed(k, -h).lossValue()) / (2 * h)
            }
            blocks.append(Block(name: name, indices: idx, analytic: idx.map { analytic[$0] }, numeric: numeric))
        }

        let params = problem.cell.parameters
        for name in params.blockNames {
            probe("d" + name, analytic: pass.gradients.parameters[block: name]) { k, d in
                var p = params
                p[block: name][k] += d
                return problem.with(cell: p)
            }
        }
        if let hp = problem.head.parameters, let hg = pass.headGradients {
            for name in hp.blockNames {
                probe("d" + name, analytic: hg[block: name]) { k, d in
                    var p = hp
                    p[block: name][k] += d
                    return problem.with(head: p)
                }
            }
        }
        probe("d_initial.out", analytic: pass.gradients.initial.out.values) { k, d in
            var s = problem.initial
            s.out[k] += d
            return problem.with(initial: s)
        }
        if let state = problem.initial.state, let g = pass.gradients.initial.state {
            probe("d_initial.state", analytic: g.values) { k, d in
                var s = problem.initial
                var v = state
                v[k] += d
                s.state = v
                return problem.with(initial: s)
            }
        }
        for t in 0..<problem.inputs.count {
            probe("delta_x[\(t)]", analytic: pass.gradients.inputs[t].values) { k, d in
                var xs = problem.inputs
                xs[t][k] += d
                return problem.with(inputs: xs)
            }
        }
        return blocks
    }
}
