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
    /// nn.MSELoss: (y − label)², no ½.
    case mse
    /// nn.L1Loss: |y − label|.
    case l1
    /// nn.HuberLoss(delta).
    case huber
    /// nn.SmoothL1Loss(beta).
    case smoothL1 = "smooth_l1"
    /// nn.BCEWithLogitsLoss on a linear head: softplus(y) − label·y.
    case bceWithLogits = "bce_with_logits"

    /// PyTorch's elementwise losses: their mean counts every element (B·T·K), their default
    /// reduction is the mean, as in torch.nn.
    public var isElementwise: Bool {
        switch self {
        case .mse, .l1, .huber, .smoothL1, .bceWithLogits: return true
        case .l2, .crossEntropy, .binaryCrossEntropy, .upstream: return false
        }
    }
}

/// The loss and its scale, stated explicitly: l2 with or without the ½, summed or averaged
/// (over B·T, or over B·T·K for PyTorch's elementwise losses).
public struct Loss: Sendable, Equatable {
    public var kind: LossKind
    /// l2 only: ½‖y − label‖² (true) or ‖y − label‖².
    public var half: Bool
    /// Average instead of summing: over the B·T timesteps of the sequences, or over all B·T·K
    /// elements for an elementwise loss (`LossKind.isElementwise`).
    public var mean: Bool
    /// huber's delta (> 0) or smooth_l1's beta (≥ 0); 1 by default, as in torch.nn.
    public var parameter: Double

    public init(kind: LossKind, half: Bool = true, mean: Bool = false, parameter: Double = 1) {
        self.kind = kind
        self.half = half
        self.mean = mean
        self.parameter = parameter
    }

    /// What the mean divides by: B·T, or B·T·K for an elementwise loss.
    public func count(sequences B: Int, steps T: Int, outputs K: Int) -> Int {
        kind.isElementwise ? B * T * K : B * T
    }

    /// The formula, for the report header, with the mean's count spelled out.
    public func formula(sequences B: Int, steps T: Int, outputs K: Int) -> String {
        let N = count(sequences: B, steps: T, outputs: K)
        guard kind.isElementwise else {
            if mean && kind == .crossEntropy {
                return "(1/(B·T)) Σ_t −Σ_k label_tk · log ŷ_tk, B·T = \(B)·\(T) = \(N) (nn.CrossEntropyLoss(reduction=\"mean\"))"
            }
            return historicFormula(sequences: B)
        }
        let reduce = mean ? "(1/N) Σ_t Σ_k" : "Σ_t Σ_k"
        let count = mean ? ", N = B·T·K = \(B)·\(T)·\(K) = \(N)" : ""
        let reduction = "reduction=\"\(mean ? "mean" : "sum")\""
        let p = shortest(parameter)
        switch kind {
        case .mse: return "\(reduce) (y_tk − label_tk)²\(count) (nn.MSELoss(\(reduction)))"
        case .l1: return "\(reduce) |y_tk − label_tk|\(count) (nn.L1Loss(\(reduction)))"
        case .huber:
            return "\(reduce) huber(y_tk − label_tk), huber(d) = ½d² if |d| ≤ δ else δ·(|d| − ½δ), δ = \(p)\(count) (nn.HuberLoss(\(reduction), delta=\(p)))"
        case .smoothL1:
            return "\(reduce) smooth_l1(y_tk − label_tk), smooth_l1(d) = ½d²/β if |d| < β else |d| − ½β, β = \(p)\(count) (nn.SmoothL1Loss(\(reduction), beta=\(p)))"
        default:
            return "\(reduce) [softplus(y_tk) − label_tk · y_tk] = \(reduce) −[label_tk log σ(y_tk) + (1 − label_tk) log(1 − σ(y_tk))]\(count) (nn.BCEWithLogitsLoss(\(reduction)))"
        }
    }

    /// The formula of the losses that keep their historical meaning (l2, ce, bce, upstream).
    public var formula: String { historicFormula(sequences: 1) }

    /// The same, a mean over a batch of B > 1 sequences dividing by B·T.
    func historicFormula(sequences B: Int) -> String {
        let reduce = mean ? (B > 1 ? "(1/(B·T)) Σ_t" : "(1/T) Σ_t") : "Σ_t"
        switch kind {
        case .l2: return "\(reduce) \(half ? "½" : "")‖y_t − label_t‖²"
        case .crossEntropy: return "\(reduce) −Σ_k label_tk · log ŷ_tk"
        case .binaryCrossEntropy: return "\(reduce) −Σ_k [label_tk log y_tk + (1 − label_tk) log(1 − y_tk)]"
        case .upstream: return "given ∂L/∂y_t (the report's loss is the linear surrogate \(reduce) ∇y_t·y_t)"
        default: return formula(sequences: 1, steps: 1, outputs: 1)
        }
    }

    /// One element's loss ℓ(d) of an elementwise regression loss, d = y − label.
    func elementLoss(_ d: Double) -> Double {
        let a = abs(d), p = parameter
        switch kind {
        case .mse: return d * d
        case .l1: return a
        // huber(d) = ½d² if |d| ≤ δ else δ·(|d| − ½δ)
        case .huber: return a <= p ? 0.5 * d * d : p * (a - 0.5 * p)
        // smooth_l1(d) = ½d²/β if |d| < β else |d| − ½β (β = 0: |d|)
        case .smoothL1: return a < p ? 0.5 * d * d / p : a - 0.5 * p
        default: preconditionFailure("not an elementwise regression loss")
        }
    }

    /// The loss at one t (`scale` is 1 or 1/count): the value only; its gradient is an equation
    /// (`Head+Equations.swift`).
    func value(y: Vector, v: Vector, t: Int, targets: Targets, scale: Double) -> Double {
        switch (kind, targets) {
        case (.l2, .values(let labels)):
            let diff = y - labels[t]
            let factor = half ? 0.5 : 1.0
            return scale * factor * diff.dot(diff)
        case (.mse, .values(let labels)), (.l1, .values(let labels)), (.huber, .values(let labels)), (.smoothL1, .values(let labels)):
            var loss = 0.0
            for k in 0..<y.count { loss += elementLoss(y[k] - labels[t][k]) }
            return scale * loss
        case (.bceWithLogits, .values(let labels)):
            // L = Σ softplus(y) − p·y on the linear head's logits y = v
            var loss = 0.0
            for k in 0..<y.count { loss += softplus(y[k]) - labels[t][k] * y[k] }
            return scale * loss
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
