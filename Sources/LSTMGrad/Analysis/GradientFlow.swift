/// Seed 004: how gradients flow back through time. For an RNN the Jacobians
/// ∂h_t/∂h_k = Π_{j=k+1..t} diag(act′(z_j))·W, their spectral norms, and the term of each (t, k)
/// in ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t · ∂h_t/∂h_k · ∂h_k/∂W; for an LSTM the cell path
/// ∂C_t/∂C_k = Π f_j and the full Jacobians of the state (h, C).
public struct GradientFlow: Sendable {
    public enum Kind: Sendable { case rnn, lstm }
    public enum Verdict: String, Sendable { case vanishing, exploding, neither }

    public var kind: Kind
    public var steps: Int
    /// ∂h_t/∂h_k for t = 0…T−1, k = −1…t (k = −1 is the initial state); index [t][k + 1].
    public var hJacobians: [[Matrix]]
    /// LSTM: full ∂C_t/∂C_k (through h as well), index [t][k + 1].
    public var cJacobians: [[Matrix]]?
    /// LSTM: the cell path alone, Π_{j=k+1..t} f_j (elementwise), index [t][k + 1].
    public var cellPath: [[Vector]]?
    /// RNN: the (t, k) term of ∂L/∂W, (D_k·J(t,k)ᵀ·Δ_t) ⊗ h_{k−1}, for k = 0…t; index [t][k].
    public var terms: [[Matrix]]?
    /// RNN: ∂L/∂W from BPTT, to show that the terms add up to it.
    public var dW: Matrix?
    /// RNN: W's spectral radius and norm, sup act′ (γ) and the largest act′ met on this sequence.
    public var spectralRadius: Double?
    public var normW: Double?
    public var gamma: Double?
    public var largestDerivative: Double?
    public var eigen: EigenDecomposition?

    // Norms for the report, computed once here (the renderer only formats them).

    /// ‖∂h_t/∂h_k‖₂, index [t][k + 1].
    public var hNorms: [[Double]] { hJacobians.map { $0.map(Eigen.spectralNorm) } }
    /// ‖∂C_t/∂C_k‖₂ (full), index [t][k + 1].
    public var cNorms: [[Double]]? { cJacobians.map { $0.map { $0.map(Eigen.spectralNorm) } } }
    /// max_i |Π f_j|_i, index [t][k + 1].
    public var cellPathMax: [[Double]]? { cellPath.map { $0.map { $0.map { $0.values.map(abs).max() ?? 0 } } } }
    /// Whether every f_j is exactly 1: ∂C_t/∂C_k = 1 on the cell path for all t, k.
    public var cellPathIsExactlyOne: Bool {
        cellPath?.allSatisfy { $0.allSatisfy { $0.values.allSatisfy { $0 == 1 } } } ?? false
    }
    /// ‖term (t, k)‖_F, index [t][k].
    public var termNorms: [[Double]]? { terms.map { $0.map { $0.map(\.frobeniusNorm) } } }
    /// ‖Σ_t term (t, k)‖_F for k = 0…T−1.
    public var contributionNorms: [Double]? { terms == nil ? nil : (0..<steps).map { contribution(k: $0)!.frobeniusNorm } }
    /// Each k's share of Σ_k ‖contribution_k‖_F, in percent.
    public var contributionShares: [Double]? {
        guard let norms = contributionNorms else { return nil }
        let total = norms.reduce(0, +)
        return norms.map { total == 0 ? 0 : 100 * $0 / total }
    }
    /// max |Σ_k Σ_t term (t, k) − δW|: the terms add up to BPTT's gradient.
    public var contributionResidual: Double? {
        guard let dW, terms != nil else { return nil }
        var total = Matrix(zeros: dW.rows, dW.cols)
        for k in 0..<steps { total = total + contribution(k: k)! }
        return zip(total.values, dW.values).map { abs($0 - $1) }.max() ?? 0
    }

    public func h(_ t: Int, _ k: Int) -> Matrix { hJacobians[t][k + 1] }
    public func hNorm(_ t: Int, _ k: Int) -> Double { Eigen.spectralNorm(h(t, k)) }
    public func cNorm(_ t: Int, _ k: Int) -> Double? { cJacobians.map { Eigen.spectralNorm($0[t][k + 1]) } }

    /// ‖∂h_{T−1}/∂h_{−1}‖^(1/T): the average factor per step back through time.
    public var observedRate: Double {
        let n = hNorm(steps - 1, -1)
        return n == 0 ? 0 : pow(n, 1 / Double(steps))
    }

    /// LSTM: ‖∂C_{T−1}/∂C_{−1}‖^(1/T).
    public var observedCellRate: Double? {
        guard let n = cNorm(steps - 1, -1) else { return nil }
        return n == 0 ? 0 : pow(n, 1 / Double(steps))
    }

    /// RNN: Σ_t of the terms at k.
    public func contribution(k: Int) -> Matrix? {
        guard let terms else { return nil }
        var sum = Matrix(zeros: terms[0][0].rows, terms[0][0].cols)
        for t in k..<steps { sum = sum + terms[t][k] }
        return sum
    }

    /// The verdict and the numbers behind it.
    public var verdict: (Verdict, String) {
        let rate = observedRate
        if let gamma, let normW, let rho = spectralRadius {
            let bound = gamma * normW
            let because = "γ = sup act′ = \(fixed(gamma, 4)), ρ(W) = \(fixed(rho, 6)), ‖W‖₂ = \(fixed(normW, 6))"
            if bound < 1 {
                return (.vanishing, "γ·‖W‖₂ = \(fixed(bound, 6)) < 1, so ‖∂h_t/∂h_k‖ ≤ \(fixed(bound, 6))^(t−k) for every sequence (\(because))")
            }
            if rate > 1.05 {
                return (.exploding, "observed factor per step \(fixed(rate, 6)) > 1; γ·ρ(W) = \(fixed(gamma * rho, 6)) ≥ 1 allows growth (\(because))")
            }
            if rate < 0.95 {
                return (.vanishing, "observed factor per step \(fixed(rate, 6)) < 1 on this sequence (largest act′ met: \(fixed(largestDerivative ?? 0, 6))), though γ·‖W‖₂ = \(fixed(bound, 6)) ≥ 1 does not force it (\(because))")
            }
            return (.neither, "observed factor per step \(fixed(rate, 6)) within [0.95, 1.05] (\(because))")
        }
        // LSTM: the gradient reaches early steps through h and through the cell C.
        let cRate = observedCellRate ?? 0
        let both = max(rate, cRate)
        let because = "factor per step back, ‖∂h_\(steps - 1)/∂h_-1‖^(1/T) = \(fixed(rate, 6)) through h, ‖∂C_\(steps - 1)/∂C_-1‖^(1/T) = \(fixed(cRate, 6)) through the cell"
        if both > 1.05 { return (.exploding, because) }
        if both < 0.95 { return (.vanishing, because) }
        return (.neither, because + (cRate >= rate ? "; the cell path carries the gradient back undiminished" : ""))
    }

    // MARK: RNN

    public static func rnn(_ problem: Problem<RNNCell>) -> GradientFlow {
        let pass = Pass(problem)
        let p = problem.cell.parameters
        let T = pass.steps.count
        let H = p.hiddenSize
        // One-step Jacobians ∂h_j/∂h_{j−1} = diag(act′(z_j))·W.
        let step: [Matrix] = pass.steps.map { s in diagTimes(s.derivative, p.W) }
        let jac = chain(step, H: H)
        // Terms of ∂L/∂W: Δ_t is the loss term at t; J(t,k)ᵀΔ_t is ∂L_t/∂h_k.
        var terms: [[Matrix]] = []
        for t in 0..<T {
            var row: [Matrix] = []
            let delta = pass.gradients.deltas[t].fromLoss
            for k in 0...t {
                let dh = jac[t][k + 1].transposedTimes(delta)
                let dz = dh * pass.steps[k].derivative
                row.append(Matrix.outer(dz, pass.steps[k].prevOut))
            }
            terms.append(row)
        }
        let gamma: Double
        switch p.activation {
        case .sigmoid: gamma = 0.25
        default: gamma = 1
        }
        let eigen = try? Eigen.decompose(p.W)
        return GradientFlow(kind: .rnn, steps: T, hJacobians: jac, cJacobians: nil, cellPath: nil, terms: terms,
                            dW: pass.gradients.parameters.W, spectralRadius: eigen?.spectralRadius, normW: Eigen.spectralNorm(p.W),
                            gamma: gamma, largestDerivative: pass.steps.flatMap(\.derivative.values).max() ?? 0, eigen: eigen)
    }

    // MARK: LSTM

    public static func lstm(_ problem: Problem<LSTMCell>) -> GradientFlow {
        let pass = Pass(problem)
        let p = problem.cell.parameters
        let T = pass.steps.count
        let H = p.hiddenSize
        // One-step Jacobian of the state (h, C): 2H×2H blocks [[∂h/∂h, ∂h/∂C], [∂C/∂h, ∂C/∂C]].
        var step: [Matrix] = []
        for s in pass.steps {
            let g = s.gates
            let da = diagTimes(oneMinus(g.a * g.a), p.U.a)
            let di = diagTimes(g.i * oneMinus(g.i), p.U.i)
            let df = diagTimes(g.f * oneMinus(g.f), p.U.f)
            let dout = diagTimes(g.o * oneMinus(g.o), p.U.o)
            // ∂C_t/∂h_{t−1} = diag(i)·∂a + diag(a)·∂i + diag(C_{t−1})·∂f;  ∂C_t/∂C_{t−1} = diag(f)
            let cH = diagTimes(g.i, da) + diagTimes(g.a, di) + diagTimes(s.prevState, df)
            let cC = diagonal(g.f)
            // h_t = tanh(C_t) ⊙ o_t: ∂h_t/∂· = diag(o(1 − tanh²C))·∂C_t/∂· + diag(tanh C)·∂o/∂·
            let k = g.o * oneMinus(s.tanhState * s.tanhState)
            let hH = diagTimes(k, cH) + diagTimes(s.tanhState, dout)
            let hC = diagTimes(k, cC)
            step.append(blocks(hH, hC, cH, cC))
        }
        let full = chain(step, H: 2 * H)
        let hJ = full.map { $0.map { sub($0, 0, 0, H) } }
        let cJ = full.map { $0.map { sub($0, H, H, H) } }
        var path: [[Vector]] = []
        for t in 0..<T {
            var row: [Vector] = []
            for k in -1...t {
                var prod = Vector([Double](repeating: 1, count: H))
                if k + 1 <= t { for j in (k + 1)...t { prod = prod * pass.steps[j].gates.f } }
                row.append(prod)
            }
            path.append(row)
        }
        return GradientFlow(kind: .lstm, steps: T, hJacobians: hJ, cJacobians: cJ, cellPath: path, terms: nil, dW: nil,
                            spectralRadius: nil, normW: nil, gamma: nil, largestDerivative: nil, eigen: nil)
    }

    // MARK: helpers

    /// J[t][k + 1] = step_t · step_{t−1} ⋯ step_{k+1}, J[t][t + 1] = I.
    static func chain(_ step: [Matrix], H: Int) -> [[Matrix]] {
        var out: [[Matrix]] = []
        for t in 0..<step.count {
            var row = [Matrix](repeating: Matrix.identity(H), count: t + 2)
            // Backwards from k = t − 1 down to −1: J(t,k) = J(t,k+1)·step_{k+1}.
            var k = t - 1
            while k >= -1 {
                row[k + 1] = row[k + 2].times(step[k + 1])
                k -= 1
            }
            out.append(row)
        }
        return out
    }

    static func diagTimes(_ d: Vector, _ m: Matrix) -> Matrix {
        var out = m
        for r in 0..<m.rows { for c in 0..<m.cols { out[r, c] *= d[r] } }
        return out
    }

    static func diagonal(_ d: Vector) -> Matrix {
        var m = Matrix(zeros: d.count, d.count)
        for k in 0..<d.count { m[k, k] = d[k] }
        return m
    }

    static func blocks(_ a: Matrix, _ b: Matrix, _ c: Matrix, _ d: Matrix) -> Matrix {
        let n = a.rows
        var m = Matrix(zeros: 2 * n, 2 * n)
        for r in 0..<n {
            for col in 0..<n {
                m[r, col] = a[r, col]
                m[r, n + col] = b[r, col]
                m[n + r, col] = c[r, col]
                m[n + r, n + col] = d[r, col]
            }
        }
        return m
    }

    static func sub(_ m: Matrix, _ r0: Int, _ c0: Int, _ n: Int) -> Matrix {
        var out = Matrix(zeros: n, n)
        for r in 0..<n { for c in 0..<n { out[r, c] = m[r0 + r, c0 + c] } }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
