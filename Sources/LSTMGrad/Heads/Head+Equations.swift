/// The head's and the loss's equations, for every cell alike: v_t = V·h_t + c, y_t = act(v_t),
/// ∂L/∂y_t, ∂L/∂v_t, Δ_t = Vᵀ·∂L/∂v_t, the head's gradients. Written once; the pass evaluates
/// them, show-work prints them, `check` recomputes them.
public struct HeadEquations: Sendable {
    public var head: Head
    public var loss: Loss
    public var targets: Targets
    public var steps: Int
    /// h_t's symbol (the cell's `outputSymbol`).
    public var output: Symbol
    /// B, the number of sequences (the mean's count is B·T or B·T·K).
    public var sequences: Int
    /// K, the entries of y_t (the head's outputs, or H without a head).
    public var outputs: Int

    public init(head: Head, loss: Loss, targets: Targets, steps: Int, output: Symbol, sequences: Int = 1, outputs: Int) {
        self.head = head
        self.loss = loss
        self.targets = targets
        self.steps = steps
        self.output = output
        self.sequences = sequences
        self.outputs = outputs
    }

    typealias Name = QuantityName

    /// 1, or 1/N for a mean loss: N = B·T, or B·T·K for PyTorch's elementwise losses.
    public var scale: Double { loss.mean ? 1 / Double(loss.count(sequences: sequences, steps: steps, outputs: outputs)) : 1 }

    /// The loss's formula for the report header, its mean's count spelled out.
    public var formula: String { loss.formula(sequences: sequences, steps: steps, outputs: outputs) }
    var hasHead: Bool { head.parameters != nil }
    /// The loss and the head fuse into ∂L/∂v_t = y_t − label_t (softmax + cross-entropy,
    /// σ + binary cross-entropy); ∂L/∂y_t is then not printed.
    var fused: Bool { loss.kind == .crossEntropy || loss.kind == .binaryCrossEntropy }

    /// The label at t as a vector (a class index one-hot), nil for given gradients.
    public func label(_ t: Int, count: Int) -> Vector? {
        switch targets {
        case .values(let v): return v[t]
        case .classes(let k):
            var v = Vector(zeros: count)
            v[k[t]] = 1
            return v
        case .gradients: return nil
        }
    }

    /// The values the equations read besides the pass's own: label_t, or the given gradient
    /// (∂L/∂y_t with a head, Δ_t without one), scaled as the loss scales it.
    public func leaves(_ t: Int, outputs K: Int) -> [(QuantityName, Value)] {
        if case .gradients(let g) = targets {
            return [(hasHead ? Name(.dy, t: t) : .Delta(t), .vector(scale * g[t]))]
        }
        return label(t, count: K).map { [(.label(t), .vector($0))] } ?? []
    }

    // MARK: forward

    public func forwardEquations(t: Int) -> [Equation] {
        guard hasHead else { return [] }
        let v = Expr.q(.v, t)
        let y: Expr
        switch head.kind {
        case .linear, .none: y = v
        case .sigmoid: y = .σ(v)
        case .softmax: y = .function(.softmax, v)
        }
        // v_t = V·h_t + c;  y_t = act(v_t)
        return [Equation(Name(.v, t: t), .param(.V) * .q(output, t) + .param(.c)), Equation(Name(.y, t: t), y)]
    }

    public func forwardLines(t: Int) -> [ReportLine] {
        (hasHead ? [ReportLine(Name(.v, t: t)), ReportLine(Name(.y, t: t))] : []) + [ReportLine(Name(.loss, t: t))]
    }

    // MARK: backward

    static let flipped = "sign of the loss derivative flipped (label − prediction instead of prediction − label)"

    /// `factor·f(prediction − label)` as the loss scales it (f the identity, sign or a clamp),
    /// with the flipped sign as its mistake.
    func scaledError(_ name: QuantityName, _ factor: Double, _ prediction: Expr, _ label: Expr,
                     _ f: (Expr) -> Expr = { $0 }) -> Equation {
        let body = Expr.difference(prediction, label)
        let rhs: Expr = factor == 1 ? f(body) : .scaled([.number(factor), f(body)])
        var eq = Equation(name, rhs).mistake(Self.flipped, code: "loss_sign") { e in
            e.replacing { $0 == body ? .difference(label, prediction) : nil }
        }
        // The loss's constants: the ½ of ½‖·‖² (or the 2 of ‖·‖²) and the 1/T of a mean.
        if loss.kind == .l2 && loss.half && loss.mean && steps == 2 {
            // Both double the derivative: one diagnosis naming both.
            return eq.mistake("missing the ½ or the 1/T of the loss (either doubles the derivative at T = 2)", code: "missing_half_or_1/T") { .scaled([.number(2), $0]) }
        }
        if loss.kind == .l2 {
            eq = loss.half ? eq.mistake("missing ½ in the loss (L = ‖y − label‖²: twice the derivative)", code: "missing_half") { .scaled([.number(2), $0]) }
                           : eq.mistake("left out the 2 of ‖y − label‖²'s derivative", code: "missing_two") { .scaled([.number(0.5), $0]) }
        }
        if loss.kind == .l2 && loss.mean {
            eq = eq.mistake("missing the 1/T of the mean loss (the derivative T times too large)", code: "missing_1/T") { .scaled([.number(Double(steps)), $0]) }
        }
        return eq
    }

    /// ∂L/∂y_t of a loss taken entry by entry on y_t (l2 and PyTorch's elementwise losses),
    /// named `name` (∂L/∂y_t, or Δ_t without a head); nil for the fused and given losses.
    func elementwiseGradient(_ name: QuantityName, _ y: Expr, _ label: Expr) -> Equation? {
        let p = loss.parameter
        switch loss.kind {
        // ∂L/∂y_t = (prediction − label), times 2 without the ½ (and mse), and 1/N for a mean.
        case .l2: return scaledError(name, scale * (loss.half ? 1 : 2), y, label)
        case .mse: return scaledError(name, 2 * scale, y, label)
        // ∂L/∂y_t = sign(y_t − label_t)
        case .l1: return scaledError(name, scale, y, label) { .function(.sign, $0) }
        // ∂L/∂y_t = clamp(y_t − label_t, −δ, δ)
        case .huber: return scaledError(name, scale, y, label) { .clamp($0, p) }
        // ∂L/∂y_t = clamp(y_t − label_t, −β, β)/β  (β = 0: sign(y_t − label_t), the L1 loss)
        case .smoothL1:
            return p == 0 ? scaledError(name, scale, y, label) { .function(.sign, $0) }
                          : scaledError(name, scale / p, y, label) { .clamp($0, p) }
        // ∂L/∂y_t = σ(y_t) − label_t on the logits y_t
        case .bceWithLogits: return scaledError(name, scale, .σ(y), label)
        case .crossEntropy, .binaryCrossEntropy, .upstream: return nil
        }
    }

    public func backwardEquations(t: Int, outputs K: Int) -> [Equation] {
        guard hasHead else {
            // No head: Δ_t = ∂L/∂out_t straight from the loss (given, for an upstream loss).
            return elementwiseGradient(.Delta(t), .q(output, t), .q(.label, t)).map { [$0] } ?? []
        }
        var eqs: [Equation] = []
        let y = Expr.q(.y, t), dy = Expr.q(.dy, t)
        switch loss.kind {
        case .l2, .mse, .l1, .huber, .smoothL1, .bceWithLogits:
            eqs.append(elementwiseGradient(Name(.dy, t: t), y, .q(.label, t))!)
        case .crossEntropy, .binaryCrossEntropy:
            // Fused: ∂L/∂v_t = y_t − label_t (Σ_k label_k · y_t − label_t for unnormalised targets).
            let total = label(t, count: K)?.sum ?? 1
            let prediction: Expr = loss.kind == .binaryCrossEntropy || abs(total - 1) < 1e-12 ? y : .scaled([.number(total), y])
            eqs.append(scaledError(Name(.dv, t: t), scale, prediction, .q(.label, t)))
        case .upstream:
            break
        }
        if !fused {
            switch head.kind {
            case .linear, .none: eqs.append(Equation(Name(.dv, t: t), dy))
            // ∂L/∂v_t = ∂L/∂y_t ⊙ y_t ⊙ (1 − y_t)
            case .sigmoid: eqs.append(Equation(Name(.dv, t: t), dy ⊙ y ⊙ .oneMinus(y)))
            // ∂L/∂v_t = y_t ⊙ (∂L/∂y_t − y_t·∂L/∂y_t)
            case .softmax: eqs.append(Equation(Name(.dv, t: t), y ⊙ .difference(dy, .dot(y, dy))))
            }
        }
        // Δ_t = Vᵀ·∂L/∂v_t
        eqs.append(Equation(.Delta(t), .transposedMatVec(.param(.V), .q(.dv, t))))
        return eqs
    }

    public func backwardLines(t: Int) -> [ReportLine] {
        guard hasHead else { return [] }
        return (fused ? [] : [ReportLine(Name(.dy, t: t))]) + [ReportLine(Name(.dv, t: t))]
    }

    // MARK: gradients

    /// δV = Σ_t ∂L/∂v_t ⊗ h_t;  δc = Σ_t ∂L/∂v_t
    public func gradientEquations() -> [Equation] {
        guard hasHead else { return [] }
        return [Equation(Name(.V).gradient, .summedOverTime(steps, { .q(.dv, $0) }, { .q(output, $0) })),
                Equation(Name(.c).gradient, .summedOverTime(steps, { .q(.dv, $0) }, nil))]
    }
}
