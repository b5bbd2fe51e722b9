/// The GRU (PyTorch's `nn.GRU`, or the z·n convention): gates r, z, n and h_t. Each equation
/// is written once, here.
public struct GRUCell: Cell {
    public var parameters: GRUParameters

    public init(parameters: GRUParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String { "GRU (gates r, z, n; \(parameters.convention.formula))" }
    public var outputSymbol: Symbol { .h }
    public var carried: [Symbol] { [.h] }

    typealias Name = QuantityName
    static func gate(_ g: GRUGate, _ t: Int) -> Expr { .q(g.symbol, t) }
    static func dgate(_ g: GRUGate, _ t: Int) -> Expr { .q(g.deltaSymbol, t) }
    /// The δ that reaches the recurrent block of gate g: δr, δz, and δhn for n.
    static func dhidden(_ g: GRUGate, _ t: Int) -> Expr { g == .n ? .q(.deltaHn, t) : dgate(g, t) }

    /// h_t by the convention: (1 − z) ⊙ n + z ⊙ h_{t−1} (PyTorch) or z ⊙ n + (1 − z) ⊙ h_{t−1}.
    func update(_ t: Int, _ convention: GRUConvention) -> Expr {
        let z = Self.gate(.z, t), n = Self.gate(.n, t), h = Expr.q(.h, t - 1)
        switch convention {
        case .pytorch: return .oneMinus(z) ⊙ n + z ⊙ h
        case .zNew: return z ⊙ n + .oneMinus(z) ⊙ h
        }
    }

    // MARK: forward

    public func forwardEquations(t: Int) -> [Equation] {
        let x = Expr.q(.x, t), h = Expr.q(.h, t - 1)
        var eqs: [Equation] = []
        // r_t = σ(W_r·x_t + b_r + U_r·h_{t−1} + bh_r);  z_t likewise
        for g in [GRUGate.r, .z] {
            eqs.append(Equation(Name(g.symbol, t: t),
                                .σ(.param(.W, g.rawValue) * x + .param(.b, g.rawValue) + .param(.U, g.rawValue) * h + .param(.bh, g.rawValue))))
        }
        // hn_t = U_n·h_{t−1} + bh_n
        eqs.append(Equation(Name(.hn, t: t), .param(.U, "n") * h + .param(.bh, "n")))
        // n_t = tanh(W_n·x_t + b_n + r_t ⊙ hn_t)
        let gated = Self.gate(.r, t) ⊙ .q(.hn, t)
        eqs.append(Equation(Name(.n, t: t), .tanh(.param(.W, "n") * x + .param(.b, "n") + gated))
            .mistake("left out the reset gate (W_n·x + b_n + hn instead of W_n·x + b_n + r ⊙ hn)") { $0.replacing { $0 == gated ? .q(.hn, t) : nil } })
        // h_t by the convention; the other convention is the classic mistake.
        let convention = parameters.convention
        let other: GRUConvention = convention == .pytorch ? .zNew : .pytorch
        eqs.append(Equation(Name(.h, t: t), update(t, convention))
            .mistake("used the other update convention (\(other.formula))") { _ in update(t, other) })
        return eqs
    }

    public func forwardLines(t: Int, names: Notation) -> [ReportLine] {
        [ReportLine(Name(.r, t: t), note: "σ(W_r·x + b_r + U_r·h + bh_r)"),
         ReportLine(Name(.z, t: t), note: "σ(W_z·x + b_z + U_z·h + bh_z)"),
         ReportLine(Name(.hn, t: t), note: "U_n·h_\(t - 1) + bh_n"),
         ReportLine(Name(.n, t: t), note: "tanh(W_n·x + b_n + r ⊙ hn)"),
         ReportLine(Name(.h, t: t))]
    }

    // MARK: backward

    public func backwardEquations(t: Int, steps T: Int, options: BackwardOptions) -> [Equation] {
        let dh = Expr.q(.deltaH, t), z = Self.gate(.z, t), n = Self.gate(.n, t), prev = Expr.q(.h, t - 1)
        let flipped = "sign of ∂h/∂z flipped (the other update convention)"
        func swapped(_ e: Expr) -> Expr? {
            e.replacing { node in
                if case .difference(let a, let b) = node, a != .number(1) { return .difference(b, a) }
                return nil
            }
        }
        var eqs: [Equation] = [.deltaH(t: t, received: t < T - 1 && options.recurrentTerms)]
        // Through the update: pytorch ∂h/∂n = 1 − z, ∂h/∂z = h_{t−1} − n, ∂h/∂h_{t−1} = z;
        // z_new: ∂h/∂n = z, ∂h/∂z = n − h_{t−1}, ∂h/∂h_{t−1} = 1 − z.
        switch parameters.convention {
        case .pytorch:
            eqs.append(Equation(Name(.dnOut, t: t), dh ⊙ .oneMinus(z)))
            eqs.append(Equation(Name(.dzOut, t: t), dh ⊙ .difference(prev, n)).mistake(flipped, swapped))
            eqs.append(Equation(Name(.DeltaHDirect, t: t - 1), dh ⊙ z))
        case .zNew:
            eqs.append(Equation(Name(.dnOut, t: t), dh ⊙ z))
            eqs.append(Equation(Name(.dzOut, t: t), dh ⊙ .difference(n, prev)).mistake(flipped, swapped))
            eqs.append(Equation(Name(.DeltaHDirect, t: t - 1), dh ⊙ .oneMinus(z)))
        }
        // δn = ∂L/∂n ⊙ (1 − n²);  ∂L/∂r = δn ⊙ hn;  δz = ∂L/∂z ⊙ z ⊙ (1 − z);  δr likewise;  δhn = δn ⊙ r
        eqs.append(Equation(Name(.deltaN, t: t), .q(.dnOut, t) ⊙ .oneMinus(.square(n)))
            .mistake("used tanh′ = 1 − tanh instead of 1 − tanh²") { $0.withSquaresDropped })
        eqs.append(Equation(Name(.drOut, t: t), .q(.deltaN, t) ⊙ .q(.hn, t)))
        eqs.append(Equation(Name(.deltaZ, t: t), .q(.dzOut, t) ⊙ z ⊙ .oneMinus(z)))
        eqs.append(Equation(Name(.deltaR, t: t), .q(.drOut, t) ⊙ Self.gate(.r, t) ⊙ .oneMinus(Self.gate(.r, t))))
        eqs.append(Equation(Name(.deltaHn, t: t), .q(.deltaN, t) ⊙ Self.gate(.r, t)))
        // δx_t = Σ_g W_gᵀ·δg_t
        eqs.append(Equation(Name(.deltaX, t: t), .sum(GRUGate.allCases.map { .transposedMatVec(.param(.W, $0.rawValue), Self.dgate($0, t)) })))
        // Δh_{t−1} = direct + U_rᵀ·δr + U_zᵀ·δz + U_nᵀ·δhn
        let direct = Name(.DeltaHDirect, t: t - 1)
        let toPrev = Expr.sum([.ref(direct)] + GRUGate.allCases.map { .transposedMatVec(.param(.U, $0.rawValue), Self.dhidden($0, t)) })
        eqs.append(Equation(Name(options.recurrentTerms ? .DeltaH : .DeltaHDropped, t: t - 1), toPrev)
            .mistake("left out the direct term through the update gate") { $0.droppingTerms(reading: direct) })
        // The stacked vectors of PyTorch's tensors: δgates_t = [δr_t; δz_t; δn_t], δgates^hh_t = [δr_t; δz_t; δhn_t].
        eqs.append(Equation(Name(.deltaGates, t: t), .stack(GRUGate.allCases.map { Self.dgate($0, t) })))
        eqs.append(Equation(Name(.deltaGatesHH, t: t), .stack(GRUGate.allCases.map { Self.dhidden($0, t) })))
        return eqs
    }

    public func zeroDeltas(t: Int, steps T: Int, options: BackwardOptions) -> [QuantityName] {
        t == T - 1 || !options.recurrentTerms ? [Name(.DeltaH, t: t)] : []
    }

    public func initialGradients(options: BackwardOptions) -> [QuantityName] {
        [Name(options.recurrentTerms ? .DeltaH : .DeltaHDropped, t: -1)]
    }

    public func backwardLines(t: Int, steps T: Int, options: BackwardOptions, names: Notation) -> [ReportLine] {
        let direct = parameters.convention == .pytorch ? "δh ⊙ z" : "δh ⊙ (1 − z)"
        return [
            ReportLine(Name(.Delta, t: t), note: "loss term"),
            ReportLine(Name(.DeltaH, t: t), note: "recurrent term, from t = \(t + 1)"),
            ReportLine(Name(.deltaH, t: t)),
            ReportLine(Name(.dnOut, t: t), note: "∂L/∂n"),
            ReportLine(Name(.dzOut, t: t), note: "∂L/∂z"),
            ReportLine(Name(.drOut, t: t), note: "∂L/∂r = δn ⊙ hn"),
            ReportLine(Name(.deltaN, t: t), note: "∂L/∂n ⊙ (1 − n²)"),
            ReportLine(Name(.deltaZ, t: t), note: "∂L/∂z ⊙ z(1 − z)"),
            ReportLine(Name(.deltaR, t: t), note: "∂L/∂r ⊙ r(1 − r)"),
            ReportLine(Name(.deltaHn, t: t), note: "δn ⊙ r"),
            ReportLine(Name(.deltaX, t: t)),
            ReportLine(Name(.DeltaHDirect, t: t - 1), note: direct),
            options.recurrentTerms
                ? ReportLine(Name(.DeltaH, t: t - 1), note: "\(direct) + U_rᵀδr + U_zᵀδz + U_nᵀδhn")
                : ReportLine(Name(.DeltaHDropped, t: t - 1), note: "\(direct) + U_rᵀδr + U_zᵀδz + U_nᵀδhn, not passed back (--no-recurrent-terms)",
                             label: "\(names.label(Name(.DeltaH)))_\(t - 1) (dropped)"),
        ]
    }

    // MARK: gradients

    public func gradientEquations(steps T: Int) -> [Equation] {
        var eqs: [Equation] = []
        // δW_g = Σ_t δg_t ⊗ x_t, δb_g = Σ_t δg_t, δU_g = Σ_t δg_t ⊗ h_{t−1}, δbh_g = Σ_t δg_t
        // (δhn in place of δn for U_n and bh_n).
        for g in GRUGate.allCases {
            eqs.append(Equation(Name(.dW, g.rawValue), .summedOverTime(T, { Self.dgate(g, $0) }, { .q(.x, $0) })))
            eqs.append(Equation(Name(.db, g.rawValue), .summedOverTime(T, { Self.dgate(g, $0) }, nil)))
            eqs.append(Equation(Name(.dU, g.rawValue), .summedOverTime(T, { Self.dhidden(g, $0) }, { .q(.h, $0 - 1) })))
            eqs.append(Equation(Name(.dbh, g.rawValue), .summedOverTime(T, { Self.dhidden(g, $0) }, nil)))
        }
        return eqs
    }

    public func viewEquations(steps T: Int) -> [Equation] {
        var eqs: [Equation] = []
        // PyTorch's stacked tensors, rows r, z, n.
        eqs.append(Equation(Name(.dWeightIH), .summedOverTime(T, { .q(.deltaGates, $0) }, { .q(.x, $0) })))
        eqs.append(Equation(Name(.dWeightHH), .summedOverTime(T, { .q(.deltaGatesHH, $0) }, { .q(.h, $0 - 1) })))
        eqs.append(Equation(Name(.dBiasIH), .summedOverTime(T, { .q(.deltaGates, $0) }, nil)))
        eqs.append(Equation(Name(.dBiasHH), .summedOverTime(T, { .q(.deltaGatesHH, $0) }, nil)))
        return eqs
    }

    public func gradientLines(names: Notation) -> [ReportLine] {
        [ReportLine(Name(.dWeightIH), note: "PyTorch layout, rows r, z, n"),
         ReportLine(Name(.dWeightHH), note: "PyTorch layout, rows r, z, n"),
         ReportLine(Name(.dBiasIH), note: "rows r, z, n"),
         ReportLine(Name(.dBiasHH), note: "rows r, z, n")]
    }

    // MARK: typed records

    public func step(_ v: Trace, t: Int) -> GRUStep {
        GRUStep(x: v.vector(.x(t)), prevOut: v.vector(Name(.h, t: t - 1)),
                gates: GRUGates { v.vector(Name($0.symbol, t: t)) }, hn: v.vector(Name(.hn, t: t)), out: v.vector(Name(.h, t: t)))
    }

    public func deltas(_ v: Trace, t: Int) -> GRUStepDeltas {
        let toPrev = v[Name(.DeltaHDropped, t: t - 1)] ?? v.value(Name(.DeltaH, t: t - 1))
        return GRUStepDeltas(fromLoss: v.vector(.Delta(t)), fromNext: v.vector(Name(.DeltaH, t: t)), out: v.vector(Name(.deltaH, t: t)),
                             gateOutputs: GRUGates(r: v.vector(Name(.drOut, t: t)), z: v.vector(Name(.dzOut, t: t)), n: v.vector(Name(.dnOut, t: t))),
                             gates: GRUGates { v.vector(Name($0.deltaSymbol, t: t)) }, hn: v.vector(Name(.deltaHn, t: t)),
                             x: v.vector(Name(.deltaX, t: t)), toPrevOut: toPrev.vector, toPrevDirect: v.vector(Name(.DeltaHDirect, t: t - 1)))
    }
}

/// The GRU's symbols.
extension Symbol {
    public static let r = Symbol("r"), n = Symbol("n")
    /// hn_t = U_n·h_{t−1} + bh_n.
    public static let hn = Symbol("hn")
    public static let dnOut = Symbol("dn_out"), dzOut = Symbol("dz_out"), drOut = Symbol("dr_out")
    public static let deltaN = Symbol("delta_n"), deltaR = Symbol("delta_r"), deltaHn = Symbol("delta_hn")
    /// The term of Δh_{t−1} straight through the update (δh ⊙ z, or δh ⊙ (1 − z)).
    public static let DeltaHDirect = Symbol("Delta_h_direct")
    /// δgates^hh_t = [δr_t; δz_t; δhn_t].
    public static let deltaGatesHH = Symbol("delta_gates_hh")
    public static let dbh = Symbol("dbh")
    public static let dWeightIH = Symbol("d_weight_ih_l0"), dWeightHH = Symbol("d_weight_hh_l0")
    public static let dBiasIH = Symbol("d_bias_ih_l0"), dBiasHH = Symbol("d_bias_hh_l0")
}

extension GRUGate {
    public var symbol: Symbol {
        switch self {
        case .r: return .r
        case .z: return .z
        case .n: return .n
        }
    }

    public var deltaSymbol: Symbol {
        switch self {
        case .r: return .deltaR
        case .z: return .deltaZ
        case .n: return .deltaN
        }
    }
}
