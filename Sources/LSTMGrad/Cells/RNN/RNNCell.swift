/// The vanilla RNN of the BPTT sheet, h_t = act(W·h_{t−1} + U·x_t + b). Each equation is
/// written once, here.
public struct RNNCell: Cell {
    public var parameters: RNNParameters

    public init(parameters: RNNParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String {
        "RNN h_t = \(parameters.activation.rawValue)(W·h_{t−1} + U·x_t\(parameters.b == nil ? "" : " + b"))"
    }
    public var outputSymbol: Symbol { .h }
    public var carried: [Symbol] { [.h] }

    typealias Name = QuantityName

    // MARK: forward

    public func forwardEquations(t: Int) -> [Equation] {
        // z_t = W·h_{t−1} + U·x_t (+ b)
        var z = Expr.param(.W) * .q(.h, t - 1) + .param(.U) * .q(.x, t)
        if parameters.b != nil { z = z + .param(.b) }
        // h_t = act(z_t)
        let h: Expr
        switch parameters.activation {
        case .sigmoid: h = .σ(.q(.z, t))
        case .tanh: h = .tanh(.q(.z, t))
        case .relu: h = .function(.relu, .q(.z, t))
        case .identity: h = .q(.z, t)
        }
        return [Equation(Name(.z, t: t), z), Equation(Name(.h, t: t), h)]
    }

    public func forwardLines(t: Int, names: Notation) -> [ReportLine] {
        [ReportLine(Name(.z, t: t), note: "W·h_\(t - 1) + U·x_\(t)\(parameters.b == nil ? "" : " + b")"),
         ReportLine(Name(.h, t: t), note: "\(parameters.activation.rawValue)(z_\(t))")]
    }

    // MARK: backward

    public func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        let dh = Expr.q(.deltaH, t), h = Expr.q(.h, t)
        let dz: Equation
        // δz_t = δh_t ⊙ act′(z_t), act′ written in terms of the output where the sheet does.
        switch parameters.activation {
        case .sigmoid:
            dz = Equation(Name(.deltaZ, t: t), dh ⊙ (h ⊙ .oneMinus(h)))
                .mistake("used σ′ = σ instead of σ(1 − σ)") { $0.replacing { $0 == h ⊙ .oneMinus(h) ? h : nil } }
        case .tanh:
            dz = Equation(Name(.deltaZ, t: t), dh ⊙ .oneMinus(.square(h)))
                .mistake("used tanh′ = 1 − tanh instead of 1 − tanh²") { $0.withSquaresDropped }
        case .relu:
            dz = Equation(Name(.deltaZ, t: t), dh ⊙ .function(.reluDerivative, .q(.z, t)))
        case .identity:
            dz = Equation(Name(.deltaZ, t: t), dh)
        }
        let received = t < T - 1 && options.recurrentTerms
        return [
            .deltaH(t: t, received: received),
            dz,
            // δx_t = Uᵀ·δz_t;  Δh_{t−1} = Wᵀ·δz_t
            Equation(Name(.deltaX, t: t), .transposedMatVec(.param(.U), .q(.deltaZ, t))),
            Equation(Name(options.recurrentTerms ? .DeltaH : .DeltaHDropped, t: t - 1), .transposedMatVec(.param(.W), .q(.deltaZ, t))),
        ]
    }

    public func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] {
        t == T - 1 || !options.recurrentTerms ? [Name(.DeltaH, t: t)] : []
    }

    public func initialGradients(options: BackwardOptions) -> [QuantityName] {
        [Name(options.recurrentTerms ? .DeltaH : .DeltaHDropped, t: -1)]
    }

    public func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] {
        let act = parameters.activation.rawValue
        return [
            ReportLine(Name(.Delta, t: t), note: "loss term ∂L_\(t)/∂h_\(t)"),
            ReportLine(Name(.DeltaH, t: t), note: "recurrent term Wᵀ·δz_\(t + 1)"),
            ReportLine(Name(.deltaH, t: t), note: "Δ_\(t) + Δh_\(t)"),
            ReportLine(Name(.deltaZ, t: t), note: "δh_\(t) ⊙ \(act)′(z_\(t))"),
            ReportLine(Name(.deltaX, t: t), note: "Uᵀ·δz_\(t)"),
            options.recurrentTerms
                ? ReportLine(Name(.DeltaH, t: t - 1), note: "Wᵀ·δz_\(t)")
                : ReportLine(Name(.DeltaHDropped, t: t - 1), note: "Wᵀ·δz_\(t), not passed back (--no-recurrent-terms)",
                             label: "\(names.label(Name(.DeltaH)))_\(t - 1) (dropped)"),
        ]
    }

    // MARK: gradients

    public func gradientEquations(steps T: Int) -> [Equation] {
        // δW = Σ_t δz_t ⊗ h_{t−1};  δU = Σ_t δz_t ⊗ x_t;  δb = Σ_t δz_t
        var eqs = [Equation(Name(.W).gradient, .summedOverTime(T, { .q(.deltaZ, $0) }, { .q(.h, $0 - 1) })),
                   Equation(Name(.U).gradient, .summedOverTime(T, { .q(.deltaZ, $0) }, { .q(.x, $0) }))]
        if parameters.b != nil { eqs.append(Equation(Name(.b).gradient, .summedOverTime(T, { .q(.deltaZ, $0) }, nil))) }
        return eqs
    }

    // MARK: typed records

    public func step(_ v: Trace, t: Int) -> RNNStep {
        let z = v.vector(Name(.z, t: t)), h = v.vector(Name(.h, t: t))
        let act = parameters.activation
        return RNNStep(x: v.vector(.x(t)), prevOut: v.vector(Name(.h, t: t - 1)), pre: z, out: h,
                       derivative: Vector(zip(z.values, h.values).map { act.derivative(z: $0, y: $1) }))
    }

    public func deltas(_ v: Trace, t: Int) -> RNNStepDeltas {
        let toPrev = v[Name(.DeltaHDropped, t: t - 1)] ?? v.value(Name(.DeltaH, t: t - 1))
        return RNNStepDeltas(fromLoss: v.vector(.Delta(t)), fromNext: v.vector(Name(.DeltaH, t: t)), out: v.vector(Name(.deltaH, t: t)),
                             pre: v.vector(Name(.deltaZ, t: t)), x: v.vector(Name(.deltaX, t: t)), toPrevOut: toPrev.vector)
    }
}
