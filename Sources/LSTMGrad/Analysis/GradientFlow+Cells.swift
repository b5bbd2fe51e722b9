/// The one-step Jacobian of each cell, read from its forward pass, and the flow built on it.
extension GradientFlow {
    /// The default window: the last 12 timesteps.
    public static let defaultWindow = 12

    // MARK: RNN

    /// h_t = act(z_t), z_t = W·h_{t−1} + U·x_t + b: ∂h_t/∂h_{t−1} = diag(act′(z_t))·W.
    public static func rnn(_ problem: Problem<RNNCell>, window size: Int? = defaultWindow, lastRow: Bool = false) -> GradientFlow {
        let pass = Pass(problem)
        let p = problem.cell.parameters
        let T = pass.steps.count, H = p.hiddenSize
        let derivatives = pass.steps.map(\.derivative)
        // J_t = diag(act′(z_t))·W
        let step = derivatives.map { diagTimes($0, p.W) }
        let window = Window(steps: T, size: size)
        let prods = products(step, window: window)
        func product(_ t: Int, _ k: Int) -> Matrix { prods[t - window.first - 1][k - window.first] }

        // Exercise 1(b), term by term: ∂L_t/∂h_k = (∂h_t/∂h_k)ᵀ·Δ_t, then through z_k into W.
        let firstK = max(window.first, 0)
        var terms: [[Matrix]] = []
        var contributions = [Matrix](repeating: Matrix(zeros: H, H), count: max(0, T - firstK))
        var sum = Matrix(zeros: H, H)
        for t in firstK..<max(firstK, T) {
            let delta = pass.gradients.deltas[t].fromLoss  // Δ_t = ∂L_t/∂h_t
            var row: [Matrix] = []
            for k in firstK...t {
                let dh = k == t ? delta : product(t, k).transposedTimes(delta)
                // term(t, k) = (act′(z_k) ⊙ ∂L_t/∂h_k) ⊗ h_{k−1}
                let term = Matrix.outer(dh * derivatives[k], pass.steps[k].prevOut)
                contributions[k - firstK] = contributions[k - firstK] + term
                sum = sum + term
                row.append(term)
            }
            terms.append(row)
        }
        // BPTT's own piece of δW at each step: δz_k ⊗ h_{k−1}.
        let bptt = (firstK..<max(firstK, T)).map { k in Matrix.outer(pass.gradients.deltas[k].pre, pass.steps[k].prevOut) }
        let dW = pass.gradients.parameters.W
        var residual = 0.0
        for (c, b) in zip(contributions, bptt) { residual = max(residual, maxDifference(c, b)) }
        if firstK == 0 { residual = max(residual, maxDifference(sum, dW)) }

        let reach = self.reach(step, all: lastRow)
        let conditions = PascanuConditions(activation: p.activation, sigmaMax: Eigen.spectralNorm(p.W))
        return GradientFlow(
            kind: .rnn, steps: T, hidden: H, stateSize: H, window: window, stepJacobians: step,
            products: prods, productNorms: prods.map { $0.map(Eigen.spectralNorm) },
            reach: lastRow ? checkpoints(reach) : reach, lastRow: lastRow ? reach : nil,
            derivatives: derivatives, recurrent: p.W, activation: p.activation, conditions: conditions,
            terms: Terms(firstK: firstK, terms: terms, contributions: contributions, bpttContributions: bptt, dW: dW, sum: sum,
                         residual: residual, outside: firstK == 0 ? nil : dW - sum),
            gruPaths: nil, gruConvention: nil, forget: nil, outNorms: nil, stateNorms: nil,
            spectralRadius: (try? Eigen.decompose(p.W))?.spectralRadius,
            verdict: GradientVerdict(conditions: conditions, measured: reach.last!))
    }

    // MARK: GRU

    /// ∂h_t/∂h_{t−1} of a GRU as the sum of its four paths (PyTorch: h = (1 − z)⊙n + z⊙h_{t−1};
    /// z_new swaps z and 1 − z):
    /// carry diag(z) · update diag((h_{t−1} − n) ⊙ z(1 − z))·U_z ·
    /// candidate diag((1 − z) ⊙ (1 − n²) ⊙ r)·U_n · reset diag((1 − z) ⊙ (1 − n²) ⊙ hn ⊙ r(1 − r))·U_r.
    public static func gru(_ problem: Problem<GRUCell>, window size: Int? = defaultWindow, lastRow: Bool = false) -> GradientFlow {
        let pass = Pass(problem)
        let p = problem.cell.parameters
        let T = pass.steps.count, H = p.hiddenSize
        var paths: [GRUPaths] = []
        for s in pass.steps {
            let g = s.gates
            // What reaches h_t through n_t per unit of n_t (∂h/∂n), and through z_t (∂h/∂z).
            let keep: Vector, viaN: Vector, viaZ: Vector
            switch p.convention {
            case .pytorch:
                keep = g.z
                viaN = oneMinus(g.z)
                viaZ = s.prevOut - g.n
            case .zNew:
                keep = oneMinus(g.z)
                viaN = g.z
                viaZ = g.n - s.prevOut
            }
            let dn = viaN * oneMinus(g.n * g.n)  // ∂h/∂n̂ = ∂h/∂n ⊙ (1 − n²)
            paths.append(GRUPaths(
                carry: diagonal(keep),
                update: diagTimes(viaZ * g.z * oneMinus(g.z), p.U.z),
                candidate: diagTimes(dn * g.r, p.U.n),
                reset: diagTimes(dn * s.hn * g.r * oneMinus(g.r), p.U.r)))
        }
        let step = paths.map(\.sum)
        let window = Window(steps: T, size: size)
        let prods = products(step, window: window)
        let reach = self.reach(step, all: lastRow)
        return GradientFlow(
            kind: .gru, steps: T, hidden: H, stateSize: H, window: window, stepJacobians: step,
            products: prods, productNorms: prods.map { $0.map(Eigen.spectralNorm) },
            reach: lastRow ? checkpoints(reach) : reach, lastRow: lastRow ? reach : nil,
            derivatives: nil, recurrent: nil, activation: nil, conditions: nil, terms: nil,
            gruPaths: paths, gruConvention: p.convention, forget: nil, outNorms: nil, stateNorms: nil, spectralRadius: nil,
            verdict: GradientVerdict(conditions: nil, measured: reach.last!))
    }

    // MARK: LSTM

    /// The state (out, state) of an LSTM (plain or with peepholes): the 2H×2H one-step Jacobian
    /// [[∂out_t/∂out_{t−1}, ∂out_t/∂state_{t−1}], [∂state_t/∂out_{t−1}, ∂state_t/∂state_{t−1}]],
    /// taken from the cell's own equations by forward-mode differentiation (`Cell.stepJacobian`).
    public static func lstm<C: Cell>(_ problem: Problem<C>, window size: Int? = defaultWindow, lastRow: Bool = false) -> GradientFlow
        where C.Step == LSTMStep {
        let pass = Pass(problem)
        let T = problem.inputs.count, H = problem.cell.hiddenSize
        let step = (0..<T).map { problem.cell.stepJacobian(pass.values, t: $0) }
        let window = Window(steps: T, size: size)
        let prods = products(step, window: window)
        let reach = self.reach(step, all: lastRow, blocks: H)
        return GradientFlow(
            kind: .lstm, steps: T, hidden: H, stateSize: 2 * H, window: window, stepJacobians: step,
            products: prods, productNorms: prods.map { $0.map(Eigen.spectralNorm) },
            reach: lastRow ? checkpoints(reach) : reach, lastRow: lastRow ? reach : nil,
            derivatives: nil, recurrent: nil, activation: nil, conditions: nil, terms: nil,
            gruPaths: nil, gruConvention: nil, forget: cellPath(step, forget: pass.steps.map(\.gates.f), H: H),
            outNorms: prods.map { $0.map { Eigen.spectralNorm(block($0, 0, 0, H)) } },
            stateNorms: prods.map { $0.map { Eigen.spectralNorm(block($0, H, H, H)) } }, spectralRadius: nil,
            verdict: GradientVerdict(conditions: nil, measured: reach.last!))
    }

    // MARK: helpers

    /// f_t for every t when each ∂state_t/∂state_{t−1} is diag(f_t) (the plain LSTM's cell path);
    /// nil when the gates read the state too (the peephole LSTM), and the cell path is not f alone.
    static func cellPath(_ step: [Matrix], forget: [Vector], H: Int) -> [Vector]? {
        for (J, f) in zip(step, forget) {
            for r in 0..<H {
                for c in 0..<H where J[H + r, H + c] != (r == c ? f[r] : 0) { return nil }
            }
        }
        return forget
    }

    /// The distances 1, 2, 4, … and T of a full last row.
    static func checkpoints(_ row: [Reach]) -> [Reach] {
        row.filter { $0.distance & ($0.distance - 1) == 0 || $0.k == -1 }
    }

    static func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

// MARK: the cells' analysis (the `Cell` hooks `analyze` calls)

extension RNNCell {
    public static func gradientFlow(_ problem: Problem<RNNCell>, window: Int?, lastRow: Bool) -> GradientFlow? {
        GradientFlow.rnn(problem, window: window, lastRow: lastRow)
    }

    public static func recurrentMatrix(_ problem: Problem<RNNCell>) -> Matrix? { problem.cell.parameters.W }
}

extension GRUCell {
    public static func gradientFlow(_ problem: Problem<GRUCell>, window: Int?, lastRow: Bool) -> GradientFlow? {
        GradientFlow.gru(problem, window: window, lastRow: lastRow)
    }
}

extension LSTMCell {
    public static func gradientFlow(_ problem: Problem<LSTMCell>, window: Int?, lastRow: Bool) -> GradientFlow? {
        GradientFlow.lstm(problem, window: window, lastRow: lastRow)
    }
}

extension PeepholeLSTMCell {
    public static func gradientFlow(_ problem: Problem<PeepholeLSTMCell>, window: Int?, lastRow: Bool) -> GradientFlow? {
        GradientFlow.lstm(problem, window: window, lastRow: lastRow)
    }
}
