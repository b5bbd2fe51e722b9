/// The stacked vectors a solution writes, each one equation from the same builders as the gate
/// equations: the published example's δgates_t = [δa_t; δi_t; δf_t; δo_t] (in
/// `backwardEquations`), and seed 003's I_t = [x_t; out_{t−1}], z_t = [â_t; î_t; f̂_t; ô_t] (the
/// gates' pre-activations; z_t = [W; U]·I_t + b with the blocks stacked in the rows a, i, f, o),
/// δz_t = δgates_t and δI_t = [δx_t; Δout_{t−1}]. The report prints each where the notation
/// writes it (`Notation.uses`); `check` accepts all of them in every notation.
extension LSTMCell {
    /// I_t = [x_t; out_{t−1}]
    static func stackedInputEquation(t: Int) -> Equation {
        Equation(Name(.stackedInput, t: t), .stack([.q(.x, t), .q(.out, t - 1)]))
    }

    /// z_t = [W_a·x_t + U_a·out_{t−1} + b_a; …; W_o·x_t + U_o·out_{t−1} + b_o] (with a variant's
    /// terms, the peepholes' p_g ⊙ state).
    static func stackedPreActivation(t: Int, hasBias: Bool, variant: (any LSTMVariant)?) -> Equation {
        Equation(Name(.z, t: t), .stack(LSTMGate.allCases.map { preActivation($0, t: t, hasBias: hasBias, variant: variant) }))
    }

    /// The pre-activations of every step, after backward: nothing else reads them, so a forward
    /// pass alone (the loss, finite differences) does not pay for a second set of products.
    static func stackedPreActivations(steps T: Int, hasBias: Bool, variant: (any LSTMVariant)?) -> [Equation] {
        (0..<T).map { stackedPreActivation(t: $0, hasBias: hasBias, variant: variant) }
    }

    /// δI_t = [δx_t; Δout_{t−1}] (the Δout_{t−1} computed at t, also where it is not passed back).
    static func stackedInputGradientEquation(t: Int, options: BackwardOptions) -> Equation {
        Equation(Name(.deltaStackedInput, t: t), .stack([.q(.deltaX, t), .q(options.recurrentTerms ? .DeltaOut : .DeltaOutDropped, t - 1)]))
    }

    /// I_t and z_t, where the notation writes them (before the gates).
    func stackedForwardLines(t: Int, names: Notation) -> [ReportLine] {
        func label(_ s: Symbol, _ t: Int) -> String { names.label(Name(s, t: t)) }
        var lines: [ReportLine] = []
        if names.uses(.stackedInput) { lines.append(ReportLine(Name(.stackedInput, t: t), note: "= [\(label(.x, t)); \(label(.out, t - 1))]")) }
        if names.uses(.z) { lines.append(ReportLine(Name(.z, t: t), note: "the gates' pre-activations, rows a, i, f, o")) }
        return lines
    }

    /// δgates_t (δz_t), where the notation writes it (after δo_t).
    func stackedGateGradientLines(t: Int, names: Notation) -> [ReportLine] {
        guard names.uses(.deltaGates) else { return [] }
        let parts = LSTMGate.allCases.map { names.label(Name($0.deltaSymbol, t: t)) }
        return [ReportLine(Name(.deltaGates, t: t), note: "= [" + parts.joined(separator: "; ") + "]")]
    }

    /// δI_t, where the notation writes it (after Δout_{t−1}).
    func stackedInputGradientLines(t: Int, names: Notation) -> [ReportLine] {
        guard names.uses(.deltaStackedInput) else { return [] }
        return [ReportLine(Name(.deltaStackedInput, t: t), note: "= [\(names.label(Name(.deltaX, t: t))); \(names.label(Name(.DeltaOut, t: t - 1)))]")]
    }
}

extension Symbol {
    /// I_t = [x_t; out_{t−1}], the LSTM's input and recurrent input stacked (seed 003).
    public static let stackedInput = Symbol("I")
    /// δI_t = [δx_t; Δout_{t−1}].
    public static let deltaStackedInput = Symbol("delta_I")
}
