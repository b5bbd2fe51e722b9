/// Seed 004: how gradients flow back through time, for every cell.
///
/// The recurrent state s_t is h_t for the RNN and the GRU and (out_t, state_t) for the LSTM. The
/// one-step Jacobians J_t = ∂s_t/∂s_{t−1} are kept for every t (O(T·S²) numbers); their products
/// ∂s_t/∂s_k = J_t·J_{t−1}⋯J_{k+1} only inside a window of the last N timesteps (all pairs
/// when N ≥ T), since all T²/2 of them would not fit for long sequences. The long-range growth
/// is measured along ∂s_{T−1}/∂s_k for k at distances 1, 2, 4, … and T, with a running scale so
/// that products far below the smallest double still have a norm.
public struct GradientFlow: Sendable {
    public enum Kind: String, Sendable { case rnn, gru, lstm }

    /// The pairs (t, k) with first ≤ k < t ≤ last = T − 1.
    public struct Window: Sendable, Equatable {
        public var first: Int
        public var last: Int

        /// The last `size` timesteps of a sequence of T (every pair when size is nil or ≥ T).
        public init(steps T: Int, size: Int?) {
            last = T - 1
            first = max(-1, T - 1 - (size ?? T))
        }

        /// How many timesteps t the window holds.
        public var count: Int { last - first }
        public var pairs: Int { count * (count + 1) / 2 }
        /// Whether it reaches back to the initial state (k = −1): every pair is in it.
        public var isComplete: Bool { first == -1 }
        public var timesteps: ClosedRange<Int> { (first + 1)...last }
    }

    /// ‖∂s_{T−1}/∂s_k‖₂ as log₁₀ (exact far below the smallest double).
    public struct Reach: Sendable, Equatable {
        public var k: Int
        /// T − 1 − k.
        public var distance: Int
        public var log10Norm: Double
        /// LSTM: log₁₀ of ‖∂out_{T−1}/∂out_k‖₂ and ‖∂state_{T−1}/∂state_k‖₂ (the diagonal blocks).
        public var log10OutNorm: Double? = nil
        public var log10StateNorm: Double? = nil

        /// The norm as a double (0 once it underflows).
        public var norm: Double { log10Norm == -.infinity ? 0 : pow(10, log10Norm) }
        /// The average factor per step, ‖·‖^(1/distance).
        public var perStep: Double { log10Norm == -.infinity ? 0 : pow(10, log10Norm / Double(distance)) }
    }

    /// The four ways h_{t−1} reaches h_t in a GRU; their sum is ∂h_t/∂h_{t−1}.
    public struct GRUPaths: Sendable {
        /// Through the update's carry: diag(z_t) (PyTorch) or diag(1 − z_t) (z_new).
        public var carry: Matrix
        /// Through the update gate z_t (U_z).
        public var update: Matrix
        /// Through the candidate's recurrent term U_n·h_{t−1} (U_n, scaled by r_t).
        public var candidate: Matrix
        /// Through the reset gate r_t inside the candidate (U_r).
        public var reset: Matrix

        public var sum: Matrix { carry + update + candidate + reset }
    }

    /// Exercise 1(b): ∂L/∂W = Σ_t Σ_k ∂L_t/∂h_t · ∂h_t/∂h_k · ∂⁺h_k/∂W, each term a matrix:
    /// term(t, k) = (act′(z_k) ⊙ (∂h_t/∂h_k)ᵀ·Δ_t) ⊗ h_{k−1}, Δ_t = ∂L_t/∂h_t (the loss at t
    /// only), ∂⁺ the derivative through W's use at step k only.
    public struct Terms: Sendable {
        /// The smallest k with terms (max(window.first, 0)).
        public var firstK: Int
        /// term(t, k) for k = firstK…t, t in the window: index [t − firstK][k − firstK].
        public var terms: [[Matrix]]
        /// Σ_t term(t, k) for each k ≥ firstK (every t ≥ k lies in the window).
        public var contributions: [Matrix]
        /// BPTT's piece of δW at step k, δz_k ⊗ h_{k−1}, for each k ≥ firstK.
        public var bpttContributions: [Matrix]
        /// δW from BPTT.
        public var dW: Matrix
        /// Σ of every listed term.
        public var sum: Matrix
        /// max over k of max |Σ_t term(t, k) − δz_k ⊗ h_{k−1}|, and, when the window reaches
        /// k = 0, max |Σ_t Σ_k term(t, k) − δW| too.
        public var residual: Double
        /// δW − Σ (the steps before the window), nil when every term is listed.
        public var outside: Matrix?

        public func term(_ t: Int, _ k: Int) -> Matrix { terms[t - firstK][k - firstK] }
        public func contribution(_ k: Int) -> Matrix { contributions[k - firstK] }
        public func termNorm(_ t: Int, _ k: Int) -> Double { term(t, k).frobeniusNorm }
        /// ‖Σ_t term(t, k)‖_F for k = firstK…T−1.
        public var contributionNorms: [Double] { contributions.map(\.frobeniusNorm) }
        /// Each k's share of Σ_k ‖contribution_k‖_F, in percent.
        public var contributionShares: [Double] {
            let norms = contributionNorms
            let total = norms.reduce(0, +)
            return norms.map { total == 0 ? 0 : 100 * $0 / total }
        }
        /// max |Σ − δW| (meaningful when every term is listed).
        public var totalResidual: Double { zip(sum.values, dW.values).reduce(0) { max($0, abs($1.0 - $1.1)) } }
    }

    public var kind: Kind
    /// T, H and the state size S (H, or 2H for the LSTM).
    public var steps: Int
    public var hidden: Int
    public var stateSize: Int
    public var window: Window
    /// J_t = ∂s_t/∂s_{t−1} for t = 0…T−1.
    public var stepJacobians: [Matrix]
    /// ∂s_t/∂s_k for the window's pairs, index [t − first − 1][k − first] (k < t; k = t − 1 is J_t).
    public var products: [[Matrix]]
    /// Their ‖·‖₂, same index.
    public var productNorms: [[Double]]
    /// ‖∂s_{T−1}/∂s_k‖ at distances 1, 2, 4, … and T.
    public var reach: [Reach]
    /// ‖∂s_{T−1}/∂s_k‖ for every k = −1…T−2 (only when asked for, e.g. to draw it).
    public var lastRow: [Reach]?
    /// RNN: act′(z_t) for t = 0…T−1, the recurrent W, and the Pascanu conditions.
    public var derivatives: [Vector]?
    public var recurrent: Matrix?
    public var activation: Activation?
    public var conditions: PascanuConditions?
    public var terms: Terms?
    /// GRU: the four paths of every step, and its convention.
    public var gruPaths: [GRUPaths]?
    public var gruConvention: GRUConvention?
    /// LSTM: f_t for t = 0…T−1 (∂state_t/∂state_{t−1} along the cell path is diag(f_t)).
    public var forget: [Vector]?
    /// LSTM: ‖∂out_t/∂out_k‖₂ and ‖∂state_t/∂state_k‖₂ (the diagonal blocks), same index as products.
    public var outNorms: [[Double]]?
    public var stateNorms: [[Double]]?
    /// RNN: ρ(W).
    public var spectralRadius: Double?
    public var verdict: GradientVerdict

    public func product(_ t: Int, _ k: Int) -> Matrix { products[t - window.first - 1][k - window.first] }
    public func productNorm(_ t: Int, _ k: Int) -> Double { productNorms[t - window.first - 1][k - window.first] }

    /// LSTM: Π_{j=k+1..t} f_j, elementwise (the cell path alone).
    public func cellPath(_ t: Int, _ k: Int) -> Vector? {
        guard let forget else { return nil }
        var p = Vector([Double](repeating: 1, count: hidden))
        if k + 1 <= t { for j in (k + 1)...t { p = p * forget[j] } }
        return p
    }

    /// LSTM: the largest entry of Π_{j=k+1..t} f_j.
    public func cellPathMax(_ t: Int, _ k: Int) -> Double? { cellPath(t, k).map { $0.values.map(abs).max() ?? 0 } }

    /// LSTM: whether every f_j is exactly 1 (the constant error carousel).
    public var forgetIsExactlyOne: Bool { forget?.allSatisfy { $0.values.allSatisfy { $0 == 1 } } ?? false }

    /// A block of an S×S matrix: rows r0 ..< r0+n, columns c0 ..< c0+n.
    public static func block(_ m: Matrix, _ r0: Int, _ c0: Int, _ n: Int) -> Matrix {
        var out = Matrix(zeros: n, n)
        for r in 0..<n { for c in 0..<n { out[r, c] = m[r0 + r, c0 + c] } }
        return out
    }

    /// Bytes the window's matrices take (products, and the terms of an RNN), for the memory
    /// check before building them: each matrix is its doubles plus about 64 bytes of header.
    public static func estimatedBytes(steps T: Int, stateSize S: Int, hidden H: Int, window: Window, withTerms: Bool) -> Double {
        let pairs = Double(window.pairs)
        var bytes = pairs * (Double(S * S) * 8 + 64) * 1.2
        if withTerms { bytes += (pairs + Double(window.count + 1)) * (Double(H * H) * 8 + 64) }
        // One-step Jacobians and the pass itself, O(T·S²).
        bytes += Double(T) * (Double(S * S) * 8 + 64) * 3
        return bytes
    }

    // MARK: building blocks shared by the cells

    /// The window's products ∂s_t/∂s_k = J_t·∂s_{t−1}/∂s_k, built row by row.
    static func products(_ step: [Matrix], window: Window) -> [[Matrix]] {
        var out: [[Matrix]] = []
        guard window.count > 0 else { return out }
        out.reserveCapacity(window.count)
        for t in window.timesteps {
            var row: [Matrix] = []
            row.reserveCapacity(t - window.first)
            for k in window.first..<t {
                // ∂s_t/∂s_k = J_t·(∂s_{t−1}/∂s_k), with ∂s_{t−1}/∂s_{t−1} = I.
                row.append(k == t - 1 ? step[t] : step[t].times(out[t - 1 - window.first - 1][k - window.first]))
            }
            out.append(row)
        }
        return out
    }

    /// ‖∂s_{T−1}/∂s_k‖₂ walking k = T−2 … −1, the running product kept in [½, 1) by exact
    /// powers of two and the scale carried in log₁₀. `all`: every k; otherwise distances 1, 2,
    /// 4, … and T.
    static func reach(_ step: [Matrix], all: Bool, blocks H: Int? = nil) -> [Reach] {
        let T = step.count
        guard T > 0 else { return [] }
        var out: [Reach] = []
        var m = step[T - 1]
        var log10Scale = 0.0
        var zero = false
        for k in stride(from: T - 2, through: -1, by: -1) {
            if k < T - 2 { m = m.times(step[k + 1]) }
            let big = m.values.map(abs).max() ?? 0
            if big == 0 { zero = true }
            if !zero {
                let e = big.exponent + 1  // big·2^−e ∈ [½, 1)
                if e != 0 {
                    let f = Double(sign: .plus, exponent: -e, significand: 1)
                    m = Matrix(rows: m.rows, cols: m.cols, values: m.values.map { $0 * f })
                    log10Scale += Double(e) * log10(2.0)
                }
            }
            let d = T - 1 - k
            if all || d & (d - 1) == 0 || k == -1 {
                func log(_ x: Matrix) -> Double {
                    let n = zero ? 0 : Eigen.spectralNorm(x)
                    return n == 0 ? -.infinity : log10Scale + log10(n)
                }
                var r = Reach(k: k, distance: d, log10Norm: log(m))
                if let H {
                    r.log10OutNorm = log(block(m, 0, 0, H))
                    r.log10StateNorm = log(block(m, H, H, H))
                }
                out.append(r)
            }
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

    /// [[a, b], [c, d]] as one 2n×2n matrix.
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
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
