/// The peephole LSTM: the published example's LSTM whose gates also see the cell state,
///   i_t = σ(W_i·x_t + U_i·out_{t−1} + p_i ⊙ state_{t−1} + b_i),  f_t likewise with p_f,
///   o_t = σ(W_o·x_t + U_o·out_{t−1} + p_o ⊙ state_t + b_o).
/// Its equations are the LSTM's (`LSTMCell`'s builders) with these terms added, and the
/// gradients they carry back into the state:
///   δstate_t gains p_o ⊙ δo_t + p_i ⊙ δi_{t+1} + p_f ⊙ δf_{t+1},
///   δp_i = Σ_t δi_t ⊙ state_{t−1},  δp_f = Σ_t δf_t ⊙ state_{t−1},  δp_o = Σ_t δo_t ⊙ state_t.
public struct PeepholeLSTMCell: Cell, LSTMVariant {
    public var parameters: PeepholeLSTMParameters

    public init(parameters: PeepholeLSTMParameters) { self.parameters = parameters }

    typealias Name = QuantityName
    /// The plain LSTM this cell extends (its equations, lines and records).
    var lstm: LSTMCell { LSTMCell(parameters: parameters.lstm) }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String { "LSTM with peepholes (gates a, i, f, o; p_i, p_f, p_o)" }
    public var outputSymbol: Symbol { .out }
    public var carried: [Symbol] { [.out, .state] }

    static func p(_ g: LSTMGate) -> Expr { .ref(PeepholeLSTMParameters.name(g)) }

    // MARK: the terms the peepholes add

    public func preActivationTerm(_ g: LSTMGate, t: Int) -> Expr? {
        switch g {
        // p_i ⊙ state_{t−1}, p_f ⊙ state_{t−1}
        case .i, .f: return Self.p(g) ⊙ .q(.state, t - 1)
        // p_o ⊙ state_t
        case .o: return Self.p(.o) ⊙ .q(.state, t)
        case .a: return nil
        }
    }

    public func stateGradientTerms(t: Int, next: Bool) -> [Expr] {
        // Through o_t (which reads state_t), and through i_{t+1}, f_{t+1} (which read state_t).
        let own: [Expr] = t >= 0 ? [Self.p(.o) ⊙ .q(.deltaO, t)] : []
        let fromNext: [Expr] = next ? [Self.p(.i) ⊙ .q(.deltaI, t + 1), Self.p(.f) ⊙ .q(.deltaF, t + 1)] : []
        return own + fromNext
    }

    // MARK: equations

    public func forwardEquations(t: Int) -> [Equation] {
        LSTMCell.forwardEquations(t: t, hasBias: parameters.lstm.hasBias, variant: self)
    }

    public func forwardLines(t: Int, names: Notation) -> [ReportLine] { lstm.forwardLines(t: t, names: names) }

    public func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        LSTMCell.backwardEquations(t: t, steps: T, options: options, variant: self)
    }

    public func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] {
        lstm.zeroDeltas(t: t, steps: T, options: options)
    }

    public func initialGradients(options: BackwardOptions) -> [QuantityName] { lstm.initialGradients(options: options) }

    public func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] {
        var lines = lstm.backwardLines(t: t, steps: T, options: options, names: names)
        if let k = lines.firstIndex(where: { $0.name == Name(.deltaState, t: t) }) {
            lines[k].note = "with the peepholes' terms p_o ⊙ δo_\(t)" + (t + 1 < T && options.recurrentTerms ? " + p_i ⊙ δi_\(t + 1) + p_f ⊙ δf_\(t + 1)" : "")
        }
        return lines
    }

    public func initialStateLines(names: Notation) -> [ReportLine] {
        [ReportLine(Name(.deltaState, t: -1), note: "δstate_0 ⊙ f_0 + p_i ⊙ δi_0 + p_f ⊙ δf_0, the gradient of the initial state")]
    }

    public func gradientEquations(steps T: Int) -> [Equation] {
        // δp_i = Σ_t δi_t ⊙ state_{t−1};  δp_f = Σ_t δf_t ⊙ state_{t−1};  δp_o = Σ_t δo_t ⊙ state_t
        let peepholes = PeepholeLSTMParameters.gates.map { g in
            Equation(PeepholeLSTMParameters.name(g).gradient,
                     .sum(of: (0..<T).map { t in .q(g.deltaSymbol, t) ⊙ .q(.state, g == .o ? t : t - 1) }))
        }
        return lstm.gradientEquations(steps: T, variant: self) + peepholes
    }

    public func gradientLines(names: Notation) -> [ReportLine] { lstm.gradientLines(names: names) }
    public func viewEquations(steps T: Int) -> [Equation] { lstm.viewEquations(steps: T, variant: self) }

    public func step(_ values: Trace, t: Int) -> LSTMStep { lstm.step(values, t: t) }
    public func deltas(_ values: Trace, t: Int) -> LSTMStepDeltas { lstm.deltas(values, t: t) }
}
