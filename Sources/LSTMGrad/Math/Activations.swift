#if canImport(Glibc)
import Glibc
@inline(__always) func libmTanh(_ z: Double) -> Double { Glibc.tanh(z) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func libmTanh(_ z: Double) -> Double { Darwin.tanh(z) }
#endif

/// Elementary functions, each beside its derivative. Derivatives are written in terms of the
/// function's output where the homework does (σ′ = σ(1 − σ), tanh′ = 1 − tanh²).
public enum Activation: String, Sendable, CaseIterable {
    case sigmoid, tanh, relu, identity

    public func apply(_ z: Double) -> Double {
        switch self {
        case .sigmoid: return LSTMGrad.sigmoid(z)
        case .tanh: return libmTanh(z)
        case .relu: return z > 0 ? z : 0
        case .identity: return z
        }
    }

    /// d act / dz, given the pre-activation z and the output y = act(z).
    public func derivative(z: Double, y: Double) -> Double {
        switch self {
        case .sigmoid: return y * (1 - y)
        case .tanh: return 1 - y * y
        case .relu: return z > 0 ? 1 : 0
        case .identity: return 1
        }
    }

    public func apply(_ v: Vector) -> Vector { v.map(apply) }
}

/// σ(z) = 1 / (1 + e^(−z)), computed without overflow for any finite z: for z < 0 it uses
/// e^z / (1 + e^z), so σ(±1000) is exactly 1 or 0 instead of NaN.
@inline(__always)
public func sigmoid(_ z: Double) -> Double {
    if z >= 0 {
        return 1 / (1 + exp(-z))
    }
    let e = exp(z)
    return e / (1 + e)
}

/// log(Σ_k e^{z_k}), shifted by the maximum so that huge logits do not overflow.
public func logSumExp(_ z: Vector) -> Double {
    guard let m = z.values.max(), m.isFinite else { return z.values.max() ?? -.infinity }
    var s = 0.0
    for v in z.values { s += exp(v - m) }
    return m + log(s)
}

/// softmax(z)_k = e^{z_k − max} / Σ e^{z_j − max}. Dividing by the sum (rather than
/// subtracting logΣe^z, which absorbs log 2 into a logit of 1e308) keeps Σ_k = 1 for any logits.
public func softmax(_ z: Vector) -> Vector {
    guard let m = z.values.max(), m.isFinite else { return z.map { _ in .nan } }
    let e = z.map { exp($0 - m) }
    let s = e.values.reduce(0, +)
    return e.map { $0 / s }
}

/// log softmax(z)_k = (z_k − max) − log Σ e^{z_j − max}: exact for huge logits, where
/// z_k − logΣe^z would cancel catastrophically.
public func logSoftmax(_ z: Vector) -> Vector {
    guard let m = z.values.max(), m.isFinite else { return z.map { _ in .nan } }
    var s = 0.0
    for v in z.values { s += exp(v - m) }
    let logS = log(s)
    return z.map { ($0 - m) - logS }
}

/// log(1 + e^z) without overflow: softplus(z) = max(z, 0) + log1p(e^{−|z|}).
public func softplus(_ z: Double) -> Double {
    max(z, 0) + log1p(exp(-abs(z)))
}
