#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output layer on top of out_t (h_t): none (the loss reads out_t), or v_t = V·out_t + c
/// followed by identity, σ or softmax.
public enum HeadKind: String, Sendable, CaseIterable {
    case none, linear, sigmoid, softmax

    var activation: Activation? {
        switch self {
        case .none, .softmax: return nil
        case .linear: return .identity
        case .sigmoid: return .sigmoid
        }
    }
}

/// V (K×H) and c (K).
public struct HeadParameters: ParameterSet, Equatable {
    public var V: Matrix
    public var c: Vector

    public init(V: Matrix, c: Vector) {
        self.V = V
        self.c = c
    }

    public static let vName = QuantityName(.V), cName = QuantityName(.c)

    public var blockNames: [QuantityName] { [Self.vName, Self.cName] }

    public subscript(block name: QuantityName) -> [Double] {
        get { name == Self.vName ? V.values : c.values }
        set {
            if name == Self.vName { V.values = newValue } else { c.values = newValue }
        }
    }

    public func value(of name: QuantityName) -> Value { name == Self.vName ? .matrix(V) : .vector(c) }
    public var zeroed: HeadParameters { HeadParameters(V: Matrix(zeros: V.rows, V.cols), c: Vector(zeros: c.count)) }
}

public struct Head: Sendable, Equatable {
    public var kind: HeadKind
    /// nil for `.none`.
    public var parameters: HeadParameters?

    public init(kind: HeadKind, parameters: HeadParameters?) {
        self.kind = kind
        self.parameters = parameters
    }

    public static let none = Head(kind: .none, parameters: nil)

    /// What the head computes at one t: the pre-activation v_t and the output y_t.
    public struct Step: Sendable {
        public var v: Vector
        public var y: Vector
    }

    /// What the head computes at one t, read from a pass's values (y_t = h_t without a head).
    public func step(_ values: Trace, t: Int, output: Symbol) -> Step {
        guard parameters != nil else {
            let h = values.vector(QuantityName(output, t: t))
            return Step(v: h, y: h)
        }
        return Step(v: values.vector(QuantityName(.v, t: t)), y: values.vector(QuantityName(.y, t: t)))
    }
}

/// What the loss is taken on, per timestep.
public enum Targets: Sendable, Equatable {
    /// A label vector per t (l2, binary cross-entropy, cross-entropy with a probability vector).
    case values([Vector])
    /// A class index per t (cross-entropy, one-hot).
    case classes([Int])
    /// The gradient ∂L/∂y_t (or Δ_t without a head) given per t instead of labels.
    case gradients([Vector])
}

public enum LossKind: String, Sendable, CaseIterable {
    case l2
    case crossEntropy = "ce"
    case binaryCrossEntropy = "bce"
    case upstream
}

/// The loss and its scale, stated explicitly: l2 with or without the ½, summed or averaged over T.
public struct Loss: Sendable, Equatable {
    public var kind: LossKind
    /// l2 only: ½‖y − label‖² (true) or ‖y − label‖².
    public var half: Bool
    /// Average over the T timesteps instead of summing.
    public var mean: Bool

    public init(kind: LossKind, half: Bool = true, mean: Bool = false) {
        self.kind = kind
        self.half = half
        self.mean = mean
    }

    /// The formula, for the report header.
    public var formula: String {
        let reduce = mean ? "(1/T) Σ_t" : "Σ_t"
        switch kind {
        case .l2: return "\(reduce) \(half ? "½" : "")‖y_t − label_t‖²"
        case .crossEntropy: return "\(reduce) −Σ_k label_tk · log ŷ_tk"
        case .binaryCrossEntropy: return "\(reduce) −Σ_k [label_tk log y_tk + (1 − label_tk) log(1 − y_tk)]"
        case .upstream: return "given ∂L/∂y_t (the report's loss is the linear surrogate \(reduce) ∇y_t·y_t)"
        }
    }

    /// The loss at one t (`scale` is 1 or 1/T): the value only; its gradient is an equation
    /// (`Head+Equations.swift`).
    func value(y: Vector, v: Vector, t: Int, targets: Targets, scale: Double) -> Double {
        switch (kind, targets) {
        case (.l2, .values(let labels)):
            let diff = y - labels[t]
            let factor = half ? 0.5 : 1.0
            return scale * factor * diff.dot(diff)
        case (.crossEntropy, _):
            let p = probabilities(targets, t: t, count: y.count)
            // L = −Σ_k p_k log softmax(v)_k, skipping p_k = 0 (0 · log 0 = 0, not NaN)
            let logY = logSoftmax(v)
            var loss = 0.0
            for k in 0..<y.count where p[k] != 0 { loss -= p[k] * logY[k] }
            return scale * loss
        case (.binaryCrossEntropy, .values(let labels)):
            let p = labels[t]
            // L = Σ softplus(v) − p·v  (= −[p log σ(v) + (1−p) log(1−σ(v))])
            var loss = 0.0
            for k in 0..<y.count { loss += softplus(v[k]) - p[k] * v[k] }
            return scale * loss
        case (.upstream, .gradients(let g)):
            return scale * g[t].dot(y)
        default:
            preconditionFailure("loss \(kind.rawValue) with mismatched targets (the decoder checks this)")
        }
    }

    func probabilities(_ targets: Targets, t: Int, count: Int) -> Vector {
        switch targets {
        case .classes(let k):
            var v = Vector(zeros: count)
            v[k[t]] = 1
            return v
        case .values(let v): return v[t]
        case .gradients: preconditionFailure("cross-entropy with upstream gradients")
        }
    }
}
