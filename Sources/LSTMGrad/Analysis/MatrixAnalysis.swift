/// Seed 004, exercise 2(c): a matrix W, its eigendecomposition, Wⁿ two ways, and the
/// eigenvalues of Wⁿ computed from Wⁿ itself (beside λᵢⁿ).
public struct MatrixAnalysis: Sendable {
    public var matrix: Matrix
    public var power: Int
    public var eigen: EigenDecomposition
    /// Wⁿ by repeated multiplication (always available).
    public var byMultiplication: Matrix
    /// The eigendecomposition of that Wⁿ (nil when Wⁿ overflows a double).
    public var powerEigen: EigenDecomposition?
    /// λᵢⁿ for each eigenvalue of W, in W's order.
    public var eigenvaluePowers: [Complex]
    /// QΛⁿQ⁻¹ (nil when W is defective).
    public var byEigen: ComplexMatrix?

    public init(_ m: Matrix, power n: Int) throws(Eigen.Failure) {
        matrix = m
        power = n
        eigen = try Eigen.decompose(m)
        byMultiplication = Eigen.power(m, n)
        powerEigen = byMultiplication.values.allSatisfy(\.isFinite) ? try Eigen.decompose(byMultiplication) : nil
        eigenvaluePowers = eigen.eigenvalues.map { $0.power(n) }
        byEigen = eigen.power(n)
    }

    /// λᵢⁿ in the order eigenvalues are listed (to set beside the eigenvalues of Wⁿ).
    public var sortedEigenvaluePowers: [Complex] { eigenvaluePowers.sorted(by: Eigen.listedBefore) }

    /// Whether every printed number is finite (huge entries or powers overflow a double).
    public var isFinite: Bool {
        func ok(_ z: Complex) -> Bool { z.re.isFinite && z.im.isFinite }
        guard let pe = powerEigen else { return false }
        return eigen.eigenvalues.allSatisfy(ok) && byMultiplication.values.allSatisfy(\.isFinite)
            && (eigen.vectors?.values.allSatisfy(ok) ?? true) && (eigen.inverseVectors?.values.allSatisfy(ok) ?? true)
            && (byEigen?.values.allSatisfy(ok) ?? true) && eigenvaluePowers.allSatisfy(ok)
            && pe.eigenvalues.allSatisfy(ok) && eigen.norm.isFinite && pe.norm.isFinite
    }

    /// max |QΛⁿQ⁻¹ − Wⁿ (multiplied)|.
    public var powerDifference: Double? {
        byEigen.map { e in zip(e.values, byMultiplication.values).map { ($0 - Complex($1)).magnitude }.max() ?? 0 }
    }

    /// What the spectral radius says about Wⁿ as n grows.
    public enum Growth: String, Sendable {
        /// ρ < 1: Wⁿ → 0 like ρⁿ.
        case vanishes
        /// ρ > 1: ‖Wⁿ‖ grows like ρⁿ.
        case grows
        /// ρ = 1 and every |λ| = 1 eigenvalue has a full set of eigenvectors: Wⁿ stays bounded.
        case bounded
        /// ρ = 1 with a defective |λ| = 1 eigenvalue: Wⁿ grows like n^(m−1).
        case polynomial
    }

    /// ρ counts as 1 within 1e−12·max(1, ‖W‖₂).
    public var growth: Growth {
        let rho = eigen.spectralRadius
        let tol = 1e-12 * max(1, eigen.norm)
        if abs(rho - 1) <= tol {
            let onCircle = eigen.eigenspaces.filter { s in s.members.contains { abs(eigen.eigenvalues[$0].magnitude - 1) <= tol } }
            return onCircle.contains(where: \.isDefective) ? .polynomial : .bounded
        }
        return rho < 1 ? .vanishes : .grows
    }

    /// Pascanu, Mikolov and Bengio's two conditions for a vanilla RNN with this W as its
    /// recurrent matrix and an activation whose derivative is at most γ.
    public func conditions(gamma: Double) -> PascanuConditions {
        PascanuConditions(gamma: gamma, sigmaMax: eigen.norm)
    }
}

/// The conditions of Pascanu, Mikolov and Bengio (2013, "On the difficulty of training recurrent
/// neural networks", §3.1) for h_t = act(W·h_{t−1} + U·x_t + b) with act′ ≤ γ:
/// ‖∂h_t/∂h_{t−1}‖₂ = ‖diag(act′(z_t))·W‖₂ ≤ γ·σ_max(W), hence
/// - γ·σ_max(W) < 1 is SUFFICIENT for vanishing: ‖∂h_t/∂h_k‖₂ ≤ (γ·σ_max(W))^(t−k) → 0 for every
///   input sequence;
/// - σ_max(W) > 1/γ is NECESSARY for exploding: without it no product of Jacobians can grow.
/// Neither condition is about ρ(W): the Jacobian is diag(act′)·W, not W.
public struct PascanuConditions: Sendable, Equatable {
    /// sup act′: ¼ for the sigmoid, 1 for tanh, ReLU and the identity.
    public var gamma: Double
    public var sigmaMax: Double

    public init(gamma: Double, sigmaMax: Double) {
        self.gamma = gamma
        self.sigmaMax = sigmaMax
    }

    public init(activation: Activation, sigmaMax: Double) {
        self.init(gamma: PascanuConditions.gamma(activation), sigmaMax: sigmaMax)
    }

    public static func gamma(_ a: Activation) -> Double {
        switch a {
        case .sigmoid: return 0.25
        case .tanh, .relu, .identity: return 1
        }
    }

    /// γ·σ_max(W): the bound on every one-step Jacobian's norm.
    public var bound: Double { gamma * sigmaMax }
    public var sufficientForVanishing: Bool { bound < 1 }
    /// σ_max(W) > 1/γ, i.e. γ·σ_max(W) > 1.
    public var necessaryForExploding: Bool { bound > 1 }
}
