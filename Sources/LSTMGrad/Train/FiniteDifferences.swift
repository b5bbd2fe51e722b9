/// Central finite differences of the total loss, the independent check of every analytic
/// gradient, with the five-point stencil
/// ∂L/∂θ_k ≈ (−L(θ + 2h·e_k) + 8L(θ + h·e_k) − 8L(θ − h·e_k) + L(θ − 2h·e_k)) / 12h.
/// Its truncation error is O(h⁴), so h = 1e−4 keeps both it and the rounding error (≈ ε·L/h)
/// near 1e−12 even where an exploding RNN has large higher derivatives: small gradient entries are checked to a relative 1e−6, which the two-point
/// formula cannot do for entries below about 1e−3.
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

    /// ∂L/∂θ_k by the five-point stencil, `loss(d)` being the loss with θ_k moved by d.
    static func fivePoint(_ h: Double, _ loss: (Double) -> Double) -> Double {
        let l2p = loss(2 * h), l1p = loss(h), l1m = loss(-h), l2m = loss(-2 * h)
        return (-l2p + 8 * l1p - 8 * l1m + l2m) / (12 * h)
    }

    /// One block's analytic entries (those `entries` picks) against the five-point stencil,
    /// `loss(k, d)` being the loss with entry k moved by d.
    static func block(_ name: String, analytic: [Double], step h: Double, entries: (String, Int) -> [Int],
                      loss: (Int, Double) -> Double) -> Block {
        let idx = entries(name, analytic.count)
        let numeric = idx.map { k in fivePoint(h) { loss(k, $0) } }
        return Block(name: name, indices: idx, analytic: idx.map { analytic[$0] }, numeric: numeric)
    }

    /// The head's blocks (none without a head), `loss(p)` being the loss with head parameters p.
    static func headBlocks(_ parameters: HeadParameters?, gradients: HeadParameters?, step h: Double,
                           entries: (String, Int) -> [Int], loss: (HeadParameters) -> Double) -> [Block] {
        guard let hp = parameters, let hg = gradients else { return [] }
        return hp.blockNames.map { name in
            block(name.gradient.description, analytic: hg[block: name], step: h, entries: entries) { k, d in
                var p = hp
                p[block: name][k] += d
                return loss(p)
            }
        }
    }

    /// Compares the pass's analytic gradients with central differences for every parameter
    /// block of the cell and the head, the initial state and the inputs of `timesteps` (every
    /// timestep by default). `entries(name, count)` picks which indices of a block to check
    /// (all by default). Each entry costs four forward passes over the whole sequence.
    public static func check<C: Cell>(_ pass: Pass<C>, step h: Double = 1e-4,
                                      entries: (String, Int) -> [Int] = { _, n in Array(0..<n) },
                                      timesteps: [Int]? = nil) -> [Block] {
        let problem = pass.problem
        var blocks: [Block] = []

        func probe(_ name: String, analytic: [Double], perturbed: (Int, Double) -> Problem<C>) {
            blocks.append(block(name, analytic: analytic, step: h, entries: entries) { perturbed($0, $1).lossValue() })
        }

        let params = problem.cell.parameters
        for name in params.blockNames {
            probe(name.gradient.description, analytic: pass.gradients.parameters[block: name]) { k, d in
                var p = params
                p[block: name][k] += d
                return problem.with(cell: p)
            }
        }
        blocks += headBlocks(problem.head.parameters, gradients: pass.headGradients, step: h, entries: entries) {
            problem.with(head: $0).lossValue()
        }
        // The initial state's gradients, named as `run` names them (Δout_{−1}, δstate_{−1}).
        let initialNames = problem.cell.initialGradients(options: pass.options).map(\.description)
        probe(initialNames[0], analytic: pass.gradients.initial.out.values) { k, d in
            var s = problem.initial
            s.out[k] += d
            return problem.with(initial: s)
        }
        if let state = problem.initial.state, let g = pass.gradients.initial.state {
            probe(initialNames[1], analytic: g.values) { k, d in
                var s = problem.initial
                var v = state
                v[k] += d
                s.state = v
                return problem.with(initial: s)
            }
        }
        for t in timesteps ?? Array(problem.inputs.indices) {
            probe(QuantityName(.deltaX, t: t).description, analytic: pass.gradients.inputs[t].values) { k, d in
                var xs = problem.inputs
                xs[t][k] += d
                return problem.with(inputs: xs)
            }
        }
        return blocks
    }
}

extension FiniteDifferences {
    /// A network's analytic gradients (every block of every layer and direction, and the
    /// head's) against the same five-point differences of the total loss over the batch.
    public static func check<C: Cell>(network pass: NetworkPass<C>, step h: Double = 1e-4,
                                      entries: (String, Int) -> [Int] = { _, n in Array(0..<n) }) -> [Block] {
        let problem = pass.problem
        var blocks: [Block] = []
        func probe(_ name: String, analytic: [Double], perturbed: (Int, Double) -> NetworkProblem<C>) {
            blocks.append(block(name, analytic: analytic, step: h, entries: entries) { perturbed($0, $1).lossValue() })
        }
        let names = pass.names
        let params = problem.cells.map { $0.map(\.parameters) }
        let grads = pass.cellGradients
        for l in params.indices {
            for d in params[l].indices {
                for name in params[l][d].blockNames {
                    let label = names.cell(name, layer: l, reverse: d == 1, sequence: nil).gradient.description
                    probe(label, analytic: grads[l][d][block: name]) { k, delta in
                        var p = params
                        p[l][d][block: name][k] += delta
                        return problem.with(cells: p)
                    }
                }
            }
        }
        blocks += headBlocks(problem.head.parameters, gradients: pass.headGradients, step: h, entries: entries) {
            problem.with(head: $0).lossValue()
        }
        return blocks
    }
}
