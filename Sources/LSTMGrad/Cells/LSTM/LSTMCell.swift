/// The LSTM of the published example: gates a (tanh), i, f, o (σ), state and out. Each
/// equation is written once, here; the pass evaluates it, show-work prints it, `check`
/// recomputes it from a student's numbers and edits it into the classic mistakes.
public struct LSTMCell: Cell {
    public var parameters: LSTMParameters

    public init(parameters: LSTMParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String { "LSTM (gates a, i, f, o)" }
    public var outputSymbol: Symbol { .out }
    public var carried: [Symbol] { [.out, .state] }

    typealias Name = QuantityName
    static func gate(_ g: LSTMGate, _ t: Int) -> Expr { .q(g.symbol, t) }
    static func dgate(_ g: LSTMGate, _ t: Int) -> Expr { .q(g.deltaSymbol, t) }

    // MARK: forward

    public func forwardEquations(t: Int) -> [Equation] {
        Self.forwardEquations(t: t, hasBias: parameters.hasBias, variant: nil)
    }

    /// The pre-activation of gate g at t: W_g·x_t + U_g·out_{t−1} (+ b_g), and a variant's term.
    /// One builder for the gate equations and the stacked z_t.
    static func preActivation(_ g: LSTMGate, t: Int, hasBias: Bool, variant: (any LSTMVariant)?) -> Expr {
        var pre = .param(.W, g.rawValue) * .q(.x, t) + .param(.U, g.rawValue) * .q(.out, t - 1)
        if let extra = variant?.preActivationTerm(g, t: t) { pre = pre + extra }
        if hasBias { pre = pre + .param(.b, g.rawValue) }
        return pre
    }

    /// The forward equations of every LSTM, written once; a variant adds its terms.
    static func forwardEquations(t: Int, hasBias: Bool, variant: (any LSTMVariant)?) -> [Equation] {
        // a_t = tanh(W_a·x_t + U_a·out_{t−1} + b_a);  i_t, f_t, o_t = σ(W_g·x_t + U_g·out_{t−1} + b_g)
        func gateEquation(_ g: LSTMGate) -> Equation {
            Equation(Name(g.symbol, t: t), .function(g == .a ? .tanh : .sigmoid, preActivation(g, t: t, hasBias: hasBias, variant: variant)))
        }
        return [gateEquation(.a), gateEquation(.i), gateEquation(.f),
                // state_t = a_t ⊙ i_t + f_t ⊙ state_{t−1}
                Equation(Name(.state, t: t), gate(.a, t) ⊙ gate(.i, t) + gate(.f, t) ⊙ .q(.state, t - 1)),
                // o_t after state_t (a variant's o_t may read it)
                gateEquation(.o),
                // out_t = tanh(state_t) ⊙ o_t
                Equation(Name(.out, t: t), .tanh(.q(.state, t)) ⊙ gate(.o, t)),
                stackedInputEquation(t: t)]
    }

    public func forwardLines(t: Int, names: Notation) -> [ReportLine] {
        stackedForwardLines(t: t, names: names) + [.a, .i, .f, .o, .state, .out].map { ReportLine(Name($0, t: t)) }
    }

    // MARK: backward

    static let tanhMistake = "used tanh′ = 1 − tanh instead of 1 − tanh²"

    public func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        Self.backwardEquations(t: t, steps: T, options: options, variant: nil)
    }

    /// The backward equations of every LSTM, written once; a variant adds the gradients its
    /// terms carry back into the state.
    static func backwardEquations(t: Int, steps T: Int, options: BackwardOptions, variant: (any LSTMVariant)?) -> [Equation] {
        let last = t == T - 1 || !options.recurrentTerms
        let dOut = Expr.q(.deltaOut, t), dState = Expr.q(.deltaState, t)
        var eqs: [Equation] = []
        // δout_t = Δ_t + Δout_t
        var deltaOut = Equation(Name(.deltaOut, t: t), .q(.Delta, t) + .q(.DeltaOut, t))
        if !last { deltaOut = deltaOut.mistake("forgot Δout from t+1 (δout_t = Δ_t)") { $0.droppingTerms(reading: Name(.DeltaOut, t: t)) } }
        eqs.append(deltaOut)
        // ∂L/∂o_t = δout_t ⊙ tanh(state_t);  δo_t = δout_t ⊙ tanh(state_t) ⊙ o_t ⊙ (1 − o_t)
        // (before δstate_t: a variant's δstate_t may read δo_t).
        let postO = dOut ⊙ .tanh(.q(.state, t))
        eqs.append(Equation(Name(.deltaPostO, t: t), postO))
        eqs.append(Equation(Name(.deltaO, t: t), postO ⊙ gate(.o, t) ⊙ .oneMinus(gate(.o, t)))
            .mistake("gave the gradient after the activation (∂L/∂o_t) for the one before it (δo_t)", code: "post_activation") { _ in postO })
        // δstate_t = δout_t ⊙ o_t ⊙ (1 − tanh²(state_t)) + δstate_{t+1} ⊙ f_{t+1} (+ a variant's terms)
        let throughOut = dOut ⊙ gate(.o, t) ⊙ .oneMinus(.square(.tanh(.q(.state, t))))
        eqs.append(Equation(Name(.deltaStateFromOut, t: t), throughOut))
        var terms = [throughOut]
        if !last {
            eqs.append(Equation(Name(.deltaStateFromNext, t: t), .q(.deltaState, t + 1) ⊙ gate(.f, t + 1)))
            terms.append(.q(.deltaState, t + 1) ⊙ gate(.f, t + 1))
        }
        let variantTerms = variant?.stateGradientTerms(t: t, next: !last) ?? []
        var deltaState = Equation(Name(.deltaState, t: t), .sum(of: terms + variantTerms))
        if !last {
            deltaState = deltaState.mistake("matches δstate without the f_{t+1}·δstate_{t+1} term", code: "dropped_recurrent_term") { $0.droppingTerms(reading: Name(.deltaState, t: t + 1)) }
                .mistake("used f_t where f_{t+1} belongs (δstate_{t+1} ⊙ f_t)", code: "f_t_for_f_t+1") { $0.substituting(Name(.f, t: t + 1), with: Name(.f, t: t)) }
        }
        if !variantTerms.isEmpty {
            deltaState = deltaState.mistake("left out the terms the peepholes carry back into δstate") { e in
                guard case .sum(let all) = e else { return nil }
                return .sum(of: all.filter { !variantTerms.contains($0) })
            }
        }
        eqs.append(deltaState.mistake(tanhMistake) { $0.withTanhSquaredAsTanh })
        // The gradients after the activations: ∂L/∂a_t = δstate_t ⊙ i_t, ∂L/∂i_t = δstate_t ⊙ a_t,
        // ∂L/∂f_t = δstate_t ⊙ state_{t−1}.
        let post: PerGate<Expr> = PerGate(a: dState ⊙ gate(.i, t), i: dState ⊙ gate(.a, t),
                                          f: dState ⊙ .q(.state, t - 1), o: postO)
        for g in [LSTMGate.a, .i, .f] { eqs.append(Equation(Name(g.postSymbol, t: t), post[g])) }
        // δa_t = δstate_t ⊙ i_t ⊙ (1 − a_t²)
        // A pre-activation gradient given as the one after the activation (δî for δi): the
        // equation with the activation's derivative cut off.
        func postActivation(_ e: Equation, _ g: LSTMGate) -> Equation {
            e.mistake("gave the gradient after the activation (∂L/∂\(g.rawValue)_t) for the one before it (δ\(g.rawValue)_t)", code: "post_activation") { _ in post[g] }
        }
        eqs.append(postActivation(Equation(Name(.deltaA, t: t), post.a ⊙ .oneMinus(.square(gate(.a, t))))
            .mistake(tanhMistake) { $0.withSquaresDropped }, .a))
        // δi_t = δstate_t ⊙ a_t ⊙ i_t ⊙ (1 − i_t)
        eqs.append(postActivation(Equation(Name(.deltaI, t: t), post.i ⊙ gate(.i, t) ⊙ .oneMinus(gate(.i, t))), .i))
        // δf_t = δstate_t ⊙ state_{t−1} ⊙ f_t ⊙ (1 − f_t)
        eqs.append(postActivation(Equation(Name(.deltaF, t: t), post.f ⊙ gate(.f, t) ⊙ .oneMinus(gate(.f, t)))
            .mistake("matches δf using state_t instead of state_{t−1}") { $0.substituting(Name(.state, t: t - 1), with: Name(.state, t: t)) }, .f))
        // δgates_t = [δa_t; δi_t; δf_t; δo_t], the stacked vector of the published example.
        eqs.append(Equation(Name(.deltaGates, t: t), .stack(LSTMGate.allCases.map { dgate($0, t) })))
        // δx_t = Σ_g W_gᵀ·δg_t
        eqs.append(Equation(Name(.deltaX, t: t), .sum(LSTMGate.allCases.map { .transposedMatVec(.param(.W, $0.rawValue), dgate($0, t)) })))
        // Δout_{t−1} = Uᵀ·δgates_t = Σ_g U_gᵀ·δg_t, and its four terms.
        for g in LSTMGate.allCases {
            eqs.append(Equation(Name(.DeltaOut, g.rawValue, t: t - 1), .transposedMatVec(.param(.U, g.rawValue), dgate(g, t))))
        }
        let toPrev = Expr.sum(LSTMGate.allCases.map { .transposedMatVec(.param(.U, $0.rawValue), dgate($0, t)) })
        eqs.append(Equation(Name(options.recurrentTerms ? .DeltaOut : .DeltaOutDropped, t: t - 1), toPrev))
        eqs.append(Self.stackedInputGradientEquation(t: t, options: options))
        if t == 0 {
            // The gradient of the initial state: δstate_{−1} = δstate_0 ⊙ f_0 (+ a variant's terms).
            let initial = [dState ⊙ gate(.f, 0)] + (variant?.stateGradientTerms(t: -1, next: true) ?? [])
            eqs.append(Equation(Name(.deltaState, t: -1), .sum(of: initial)))
        }
        return eqs
    }

    public func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] {
        t == T - 1 || !options.recurrentTerms ? [Name(.DeltaOut, t: t), Name(.deltaStateFromNext, t: t)] : []
    }

    public func initialGradients(options: BackwardOptions) -> [QuantityName] {
        [Name(options.recurrentTerms ? .DeltaOut : .DeltaOutDropped, t: -1), Name(.deltaState, t: -1)]
    }

    public func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] {
        let out = names.label(Name(.deltaOut)), state = names.label(Name(.deltaState))
        func label(_ s: Symbol) -> String { names.label(Name(s)) }
        var lines = [
            ReportLine(Name(.Delta, t: t)),
            ReportLine(Name(.DeltaOut, t: t)),
            ReportLine(Name(.deltaOut, t: t), note: "= \(label(.Delta))_\(t) + \(label(.DeltaOut))_\(t): output-layer term + recurrent term"),
            ReportLine(Name(.deltaStateFromOut, t: t), note: "= \(out)_\(t) ⊙ \(label(.o))_\(t) ⊙ (1 − tanh²(\(label(.state))_\(t)))"),
            ReportLine(Name(.deltaStateFromNext, t: t), note: "= \(state)_\(t + 1) ⊙ \(label(.f))_\(t + 1)"),
            ReportLine(Name(.deltaState, t: t)),
            ReportLine(Name(.deltaPostA, t: t), note: "after the activation: \(state)_\(t) ⊙ \(label(.i))_\(t)"),
            ReportLine(Name(.deltaPostI, t: t), note: "after the activation: \(state)_\(t) ⊙ \(label(.a))_\(t)"),
            ReportLine(Name(.deltaPostF, t: t), note: "after the activation: \(state)_\(t) ⊙ \(label(.state))_\(t - 1)"),
            ReportLine(Name(.deltaPostO, t: t), note: "after the activation: \(out)_\(t) ⊙ tanh(\(label(.state))_\(t))"),
            ReportLine(Name(.deltaA, t: t), note: "this and the next three: gradients of the pre-activations"),
            ReportLine(Name(.deltaI, t: t)),
            ReportLine(Name(.deltaF, t: t)),
            ReportLine(Name(.deltaO, t: t)),
        ] + stackedGateGradientLines(t: t, names: names) + [
            ReportLine(Name(.deltaX, t: t)),
        ]
        for g in LSTMGate.allCases {
            lines.append(ReportLine(Name(.DeltaOut, g.rawValue, t: t - 1), note: "= U_\(g.rawValue)ᵀ·\(label(g.deltaSymbol))_\(t)"))
        }
        lines.append(options.recurrentTerms
            ? ReportLine(Name(.DeltaOut, t: t - 1), note: "sum of the four gate terms")
            : ReportLine(Name(.DeltaOutDropped, t: t - 1), note: "sum of the four gate terms, not passed back (--no-recurrent-terms)",
                         label: "\(label(.DeltaOut))_\(t - 1) (dropped)"))
        return lines + stackedInputGradientLines(t: t, names: names)
    }

    public func initialStateLines(names: Notation) -> [ReportLine] {
        [ReportLine(Name(.deltaState, t: -1), note: "δstate_0 ⊙ f_0, the gradient of the initial state")]
    }

    // MARK: gradients

    public func gradientEquations(steps T: Int) -> [Equation] {
        gradientEquations(steps: T, variant: nil)
    }

    /// The gradients of every block.
    func gradientEquations(steps T: Int, variant: (any LSTMVariant)?) -> [Equation] {
        var eqs: [Equation] = []
        // δW_g = Σ_t δg_t ⊗ x_t;  δU_g = Σ_t δg_t ⊗ out_{t−1};  δb_g = Σ_t δg_t
        for g in LSTMGate.allCases {
            eqs.append(Equation(Name(.dW, g.rawValue), .summedOverTime(T, { Self.dgate(g, $0) }, { .q(.x, $0) })))
        }
        for g in LSTMGate.allCases {
            eqs.append(Equation(Name(.dU, g.rawValue), .summedOverTime(T, { Self.dgate(g, $0) }, { .q(.out, $0 - 1) })))
        }
        for g in LSTMGate.allCases where parameters.hasBias {
            eqs.append(Equation(Name(.db, g.rawValue), .summedOverTime(T, { Self.dgate(g, $0) }, nil)))
        }
        return eqs
    }

    public func viewEquations(steps T: Int) -> [Equation] { viewEquations(steps: T, variant: nil) }

    /// The stacked views and z_t (with a variant's terms in the pre-activations).
    func viewEquations(steps T: Int, variant: (any LSTMVariant)?) -> [Equation] {
        var eqs: [Equation] = []
        // The stacked views of the published example: δW = Σ_t δgates_t ⊗ x_t,
        // δU = Σ_t δgates_t ⊗ out_{t−1}, δb = Σ_t δgates_t.
        eqs.append(Equation(Name(.dW), .summedOverTime(T, { .q(.deltaGates, $0) }, { .q(.x, $0) })))
        eqs.append(Equation(Name(.dU), .summedOverTime(T, { .q(.deltaGates, $0) }, { .q(.out, $0 - 1) })))
        if parameters.hasBias { eqs.append(Equation(Name(.db), .summedOverTime(T, { .q(.deltaGates, $0) }, nil))) }
        return eqs + Self.stackedPreActivations(steps: T, hasBias: parameters.hasBias, variant: variant)
    }

    public func gradientLines(names: Notation) -> [ReportLine] {
        (parameters.hasBias ? [Symbol.dW, .dU, .db] : [.dW, .dU]).map { ReportLine(Name($0), note: "rows a, i, f, o") }
    }

    // MARK: the fast kernel

    /// Large problems take `LSTMFast` for the values it computes; the equations give the rest.
    public static func fastPass(_ problem: Problem<LSTMCell>, options: BackwardOptions, keepEquations: Bool) -> Pass<LSTMCell>? {
        guard LSTMFast.preferred(hidden: problem.cell.hiddenSize, input: problem.cell.inputSize, steps: problem.inputs.count) else { return nil }
        return Pass(fast: problem, options: options, keepEquations: keepEquations)
    }

    public static var hasFastSummary: Bool { true }

    /// A large network's `--summary` through the kernel, layer by layer, direction by
    /// direction, sequence by sequence (`GradientSummary(fastNetwork:)`).
    public static func fastNetworkSummary(_ network: NetworkProblem<LSTMCell>, model: String, options: BackwardOptions) -> GradientSummary? {
        guard LSTMFast.preferred(hidden: network.hiddenSize, input: network.inputSize, steps: network.steps) else { return nil }
        return GradientSummary(fastNetwork: network, model: model, options: options)
    }

    /// `--summary` always takes the kernel (it keeps only what backward reads).
    public static func fastSummary(_ problem: Problem<LSTMCell>, model: String, options: BackwardOptions) -> GradientSummary? {
        GradientSummary(fast: problem, model: model, options: options)
    }

    // MARK: typed records

    public func step(_ v: Trace, t: Int) -> LSTMStep {
        let gates = PerGate { g in v.vector(Name(g.symbol, t: t)) }
        let state = v.vector(Name(.state, t: t))
        return LSTMStep(x: v.vector(.x(t)), prevOut: v.vector(Name(.out, t: t - 1)), prevState: v.vector(Name(.state, t: t - 1)),
                        gates: gates, state: state, tanhState: Activation.tanh.apply(state), out: v.vector(Name(.out, t: t)))
    }

    public func deltas(_ v: Trace, t: Int) -> LSTMStepDeltas {
        let dropped = v[Name(.DeltaOutDropped, t: t - 1)] != nil
        return LSTMStepDeltas(
            fromLoss: v.vector(.Delta(t)), fromNext: v.vector(Name(.DeltaOut, t: t)), out: v.vector(Name(.deltaOut, t: t)),
            state: v.vector(Name(.deltaState, t: t)),
            gates: PerGate { v.vector(Name($0.deltaSymbol, t: t)) },
            gateOutputs: PerGate { v.vector(Name($0.postSymbol, t: t)) },
            x: v.vector(Name(.deltaX, t: t)),
            toPrevOut: v.vector(Name(dropped ? .DeltaOutDropped : .DeltaOut, t: t - 1)),
            toPrevOutTerms: PerGate { v.vector(Name(.DeltaOut, $0.rawValue, t: t - 1)) },
            stateThroughOut: v.vector(Name(.deltaStateFromOut, t: t)),
            stateFromNext: v.vector(Name(.deltaStateFromNext, t: t)),
            passedBack: !dropped)
    }
}

/// The LSTM's symbols, in the published example's names.
extension Symbol {
    public static let a = Symbol("a"), i = Symbol("i"), f = Symbol("f"), o = Symbol("o")
    public static let state = Symbol("state")
    public static let out = Symbol("out")
    /// Δout_t: ∂L/∂out_t through step t+1; `Delta_out.a[t-1]` is its gate-a term.
    public static let DeltaOut = Symbol("Delta_out")
    /// Δout_{t−1} as computed with `--no-recurrent-terms`, not passed back.
    public static let DeltaOutDropped = Symbol("Delta_out_dropped")
    public static let deltaOut = Symbol("delta_out")
    public static let deltaState = Symbol("delta_state")
    public static let deltaStateFromOut = Symbol("delta_state_from_out")
    public static let deltaStateFromNext = Symbol("delta_state_from_next")
    public static let deltaA = Symbol("delta_a"), deltaI = Symbol("delta_i"), deltaF = Symbol("delta_f"), deltaO = Symbol("delta_o")
    public static let deltaPostA = Symbol("delta_post_a"), deltaPostI = Symbol("delta_post_i")
    public static let deltaPostF = Symbol("delta_post_f"), deltaPostO = Symbol("delta_post_o")
    /// δgates_t = [δa_t; δi_t; δf_t; δo_t].
    public static let deltaGates = Symbol("delta_gates")
    /// Parameter gradients: `dW.a` per gate, `dW` stacked.
    public static let dW = Symbol("dW"), dU = Symbol("dU"), db = Symbol("db")
}

extension LSTMGate {
    /// a_t, i_t, f_t, o_t.
    public var symbol: Symbol {
        switch self {
        case .a: return .a
        case .i: return .i
        case .f: return .f
        case .o: return .o
        }
    }

    /// δa_t … δo_t: gradients of the pre-activations.
    public var deltaSymbol: Symbol {
        switch self {
        case .a: return .deltaA
        case .i: return .deltaI
        case .f: return .deltaF
        case .o: return .deltaO
        }
    }

    /// ∂L/∂a_t … ∂L/∂o_t: gradients after the activation.
    public var postSymbol: Symbol {
        switch self {
        case .a: return .deltaPostA
        case .i: return .deltaPostI
        case .f: return .deltaPostF
        case .o: return .deltaPostO
        }
    }
}

/// What a variant of the LSTM adds to the published example's equations (the peephole LSTM's
/// p_g ⊙ state terms); the plain LSTM adds nothing. The variant's own parameters and their
/// gradients are the variant's business.
public protocol LSTMVariant: Sendable {
    /// A term added to gate g's pre-activation at t (nil: none).
    func preActivationTerm(_ g: LSTMGate, t: Int) -> Expr?
    /// Terms added to δstate_t: the gradients that reach state_t through those terms (at
    /// t = −1, the initial state's). `next`: step t+1's terms are passed back.
    func stateGradientTerms(t: Int, next: Bool) -> [Expr]
}
