/// The GRU's gates in PyTorch's order: reset r, update z, candidate n.
public enum GRUGate: String, CaseIterable, Sendable {
    case r, z, n
}

/// Which state the update gate z keeps.
public enum GRUConvention: String, CaseIterable, Sendable {
    /// PyTorch `nn.GRU` (and Cho et al.): h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}.
    case pytorch
    /// The other common form: h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}.
    case zNew = "z_new"

    public var formula: String {
        switch self {
        case .pytorch: return "h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}"
        case .zNew: return "h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}"
        }
    }
}

/// One value per GRU gate, stored apart.
public struct GRUGates<T: Sendable>: Sendable {
    public var r: T, z: T, n: T

    public init(r: T, z: T, n: T) {
        self.r = r
        self.z = z
        self.n = n
    }

    public init(_ make: (GRUGate) -> T) { self.init(r: make(.r), z: make(.z), n: make(.n)) }

    public subscript(gate: GRUGate) -> T {
        get {
            switch gate {
            case .r: return r
            case .z: return z
            case .n: return n
            }
        }
        set {
            switch gate {
            case .r: r = newValue
            case .z: z = newValue
            case .n: n = newValue
            }
        }
    }

    public func map<U>(_ body: (T) -> U) -> GRUGates<U> { GRUGates<U> { body(self[$0]) } }
}

extension GRUGates: Equatable where T: Equatable {}

/// PyTorch's parameters, per gate: W_g = W_ig (H×X), U_g = W_hg (H×H), b_g = b_ig, bh_g = b_hg (H).
/// r_t = σ(W_r·x_t + b_r + U_r·h_{t−1} + bh_r), z_t likewise,
/// n_t = tanh(W_n·x_t + b_n + r_t ⊙ (U_n·h_{t−1} + bh_n)).
public struct GRUParameters: GatedParameterSet, Equatable {
    public var W: GRUGates<Matrix>
    public var U: GRUGates<Matrix>
    public var b: GRUGates<Vector>
    public var bh: GRUGates<Vector>
    public var convention: GRUConvention

    public init(W: GRUGates<Matrix>, U: GRUGates<Matrix>, b: GRUGates<Vector>, bh: GRUGates<Vector>, convention: GRUConvention) {
        self.W = W
        self.U = U
        self.b = b
        self.bh = bh
        self.convention = convention
    }

    public var hiddenSize: Int { U.r.rows }
    public var inputSize: Int { W.r.cols }

    public static let matrixBlocks = ["W", "U"]
    public static let vectorBlocks = ["b", "bh"]
    public static func matrices(_ block: String) -> WritableKeyPath<GRUParameters, GRUGates<Matrix>> { block == "W" ? \.W : \.U }
    public static func vectors(_ block: String) -> WritableKeyPath<GRUParameters, GRUGates<Vector>> { block == "b" ? \.b : \.bh }

    /// PyTorch's stacked state-dict tensors, rows r, z, n.
    public var weightIH: Matrix { W.stacked }
    public var weightHH: Matrix { U.stacked }
    public var biasIH: Vector { b.stacked }
    public var biasHH: Vector { bh.stacked }
}

public struct GRUStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    /// Pre-activations r̂, ẑ, n̂ (n̂ = W_n·x + b_n + r ⊙ hn).
    public var pre: GRUGates<Vector>
    /// r_t, z_t = σ(·), n_t = tanh(n̂).
    public var gates: GRUGates<Vector>
    /// hn_t = U_n·h_{t−1} + bh_n, the recurrent part of the candidate before the reset gate.
    public var hn: Vector
    public var out: Vector
}

public struct GRUStepDeltas: Sendable {
    /// Δ_t (loss term) and Δh_t (recurrent term, from step t+1).
    public var fromLoss: Vector
    public var fromNext: Vector
    /// δh_t = Δ_t + Δh_t.
    public var out: Vector
    /// Gradients of the gate outputs ∂L/∂r_t, ∂L/∂z_t, ∂L/∂n_t.
    public var gateOutputs: GRUGates<Vector>
    /// δr_t, δz_t, δn_t: gradients of the pre-activations.
    public var gates: GRUGates<Vector>
    /// δhn_t = δn_t ⊙ r_t.
    public var hn: Vector
    public var x: Vector
    /// Δh_{t−1}: the direct term through the update (δh ⊙ z or δh ⊙ (1 − z)) plus U_gᵀ·δg.
    public var toPrevOut: Vector
    public var toPrevDirect: Vector
}

public struct GRUCell: Cell {
    public var parameters: GRUParameters

    public init(parameters: GRUParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String { "GRU (gates r, z, n; \(parameters.convention.formula))" }

    public func forward(_ inputs: [Vector], initial: CellState) -> [GRUStep] {
        let p = parameters
        var h = initial.out
        var steps: [GRUStep] = []
        steps.reserveCapacity(inputs.count)
        for x in inputs {
            // r̂ = W_r·x + b_r + U_r·h + bh_r;  ẑ likewise
            let rPre = p.W.r.times(x) + p.b.r + p.U.r.times(h) + p.bh.r
            let zPre = p.W.z.times(x) + p.b.z + p.U.z.times(h) + p.bh.z
            let r = Activation.sigmoid.apply(rPre)
            let z = Activation.sigmoid.apply(zPre)
            // hn = U_n·h + bh_n;  n̂ = W_n·x + b_n + r ⊙ hn;  n = tanh(n̂)
            let hn = p.U.n.times(h) + p.bh.n
            let nPre = p.W.n.times(x) + p.b.n + r * hn
            let n = Activation.tanh.apply(nPre)
            let out: Vector
            switch p.convention {
            case .pytorch: out = oneMinus(z) * n + z * h
            case .zNew: out = z * n + oneMinus(z) * h
            }
            steps.append(GRUStep(x: x, prevOut: h, pre: GRUGates(r: rPre, z: zPre, n: nPre),
                                 gates: GRUGates(r: r, z: z, n: n), hn: hn, out: out))
            h = out
        }
        return steps
    }

    public func output(of step: GRUStep) -> Vector { step.out }

    public func backward(_ steps: [GRUStep], fromLoss: [Vector], options: BackwardOptions) -> CellGradients<GRUCell> {
        let p = parameters
        return backwardThroughOutputs(steps.count, fromLoss: fromLoss, options: options) { t, fromNext, dh, grads in
            let s = steps[t]
            let g = s.gates
            // Through the update: pytorch ∂h/∂n = 1 − z, ∂h/∂z = h_{t−1} − n, ∂h/∂h_{t−1} = z;
            // z_new: ∂h/∂n = z, ∂h/∂z = n − h_{t−1}, ∂h/∂h_{t−1} = 1 − z.
            let dnOut: Vector, dzOut: Vector, direct: Vector
            switch p.convention {
            case .pytorch:
                dnOut = dh * oneMinus(g.z)
                dzOut = dh * (s.prevOut - g.n)
                direct = dh * g.z
            case .zNew:
                dnOut = dh * g.z
                dzOut = dh * (g.n - s.prevOut)
                direct = dh * oneMinus(g.z)
            }
            // δn = ∂L/∂n ⊙ (1 − n²);  ∂L/∂r = δn ⊙ hn;  δr = ∂L/∂r ⊙ r(1 − r);  δz = ∂L/∂z ⊙ z(1 − z)
            let dn = dnOut * oneMinus(g.n * g.n)
            let drOut = dn * s.hn
            let dr = drOut * g.r * oneMinus(g.r)
            let dz = dzOut * g.z * oneMinus(g.z)
            // δhn = δn ⊙ r
            let dhn = dn * g.r
            let dGates = GRUGates(r: dr, z: dz, n: dn)
            let dHidden = GRUGates(r: dr, z: dz, n: dhn)
            var dx = Vector(zeros: inputSize)
            var prev = direct
            for gate in GRUGate.allCases {
                dx += p.W[gate].transposedTimes(dGates[gate])
                prev += p.U[gate].transposedTimes(dHidden[gate])
                grads.W[gate].addOuter(dGates[gate], s.x)
                grads.b[gate] += dGates[gate]
                grads.U[gate].addOuter(dHidden[gate], s.prevOut)
                grads.bh[gate] += dHidden[gate]
            }
            return (GRUStepDeltas(fromLoss: fromLoss[t], fromNext: fromNext, out: dh,
                                  gateOutputs: GRUGates(r: drOut, z: dzOut, n: dnOut), gates: dGates, hn: dhn,
                                  x: dx, toPrevOut: prev, toPrevDirect: direct), dx, prev)
        }
    }

    public func forwardQuantities(_ step: GRUStep, t: Int, names: Notation) -> [Quantity] {
        [
            names.quantity("r", t: t, .vector(step.gates.r), note: "σ(W_r·x + b_r + U_r·h + bh_r)"),
            names.quantity("z", t: t, .vector(step.gates.z), note: "σ(W_z·x + b_z + U_z·h + bh_z)"),
            names.quantity("hn", t: t, .vector(step.hn), note: "U_n·h_\(t - 1) + bh_n"),
            names.quantity("n", t: t, .vector(step.gates.n), note: "tanh(W_n·x + b_n + r ⊙ hn)"),
            names.quantity("h", t: t, .vector(step.out)),
        ]
    }

    public func backwardQuantities(_ d: GRUStepDeltas, step: GRUStep, t: Int, names: Notation) -> [Quantity] {
        let direct = parameters.convention == .pytorch ? "δh ⊙ z" : "δh ⊙ (1 − z)"
        return [
            names.quantity("Delta", t: t, .vector(d.fromLoss), note: "loss term"),
            names.quantity("Delta_h", t: t, .vector(d.fromNext), note: "recurrent term, from t = \(t + 1)"),
            names.quantity("delta_h", t: t, .vector(d.out)),
            names.quantity("dn_out", t: t, .vector(d.gateOutputs.n), note: "∂L/∂n"),
            names.quantity("dz_out", t: t, .vector(d.gateOutputs.z), note: "∂L/∂z"),
            names.quantity("dr_out", t: t, .vector(d.gateOutputs.r), note: "∂L/∂r = δn ⊙ hn"),
            names.quantity("delta_n", t: t, .vector(d.gates.n), note: "∂L/∂n ⊙ (1 − n²)"),
            names.quantity("delta_z", t: t, .vector(d.gates.z), note: "∂L/∂z ⊙ z(1 − z)"),
            names.quantity("delta_r", t: t, .vector(d.gates.r), note: "∂L/∂r ⊙ r(1 − r)"),
            names.quantity("delta_hn", t: t, .vector(d.hn), note: "δn ⊙ r"),
            names.quantity("delta_x", t: t, .vector(d.x)),
            names.quantity("Delta_h_direct", t: t - 1, .vector(d.toPrevDirect), note: direct),
            names.quantity("Delta_h", t: t - 1, .vector(d.toPrevOut), note: "\(direct) + U_rᵀδr + U_zᵀδz + U_nᵀδhn"),
        ]
    }

    public func initialStateQuantities(_ gradients: CellGradients<GRUCell>, names: Notation) -> [Quantity] { [] }

    public func totalQuantities(_ g: GRUParameters, names: Notation) -> [Quantity] {
        [
            names.quantity("d_weight_ih_l0", .matrix(g.weightIH), note: "PyTorch layout, rows r, z, n"),
            names.quantity("d_weight_hh_l0", .matrix(g.weightHH), note: "PyTorch layout, rows r, z, n"),
            names.quantity("d_bias_ih_l0", .vector(g.biasIH), note: "rows r, z, n"),
            names.quantity("d_bias_hh_l0", .vector(g.biasHH), note: "rows r, z, n"),
        ]
    }
}
