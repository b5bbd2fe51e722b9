/// W (H×H, recurrent), U (H×X, input), b (H, optional), as seed 004 writes
/// h_t = act(W·h_{t−1} + U·x_t + b).
public struct RNNParameters: ParameterSet, Equatable {
    public var W: Matrix
    public var U: Matrix
    /// nil: the cell has no bias (seed 004), and none is learned.
    public var b: Vector?
    public var activation: Activation

    public init(W: Matrix, U: Matrix, b: Vector?, activation: Activation) {
        self.W = W
        self.U = U
        self.b = b
        self.activation = activation
    }

    public var hiddenSize: Int { W.rows }
    public var inputSize: Int { U.cols }

    public var blockNames: [String] { b == nil ? ["W", "U"] : ["W", "U", "b"] }

    public subscript(block name: String) -> [Double] {
        get {
            switch name {
            case "W": return W.values
            case "U": return U.values
            default: return b?.values ?? []
            }
        }
        set {
            switch name {
            case "W": W.values = newValue
            case "U": U.values = newValue
            default: b = Vector(newValue)
            }
        }
    }

    public func value(of name: String) -> Value {
        switch name {
        case "W": return .matrix(W)
        case "U": return .matrix(U)
        default: return .vector(b ?? Vector(zeros: hiddenSize))
        }
    }

    public var zeroed: RNNParameters {
        RNNParameters(W: Matrix(zeros: W.rows, W.cols), U: Matrix(zeros: U.rows, U.cols),
                      b: b.map { Vector(zeros: $0.count) }, activation: activation)
    }
}

/// Everything forward computes at one timestep.
public struct RNNStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    /// z_t = W·h_{t−1} + U·x_t + b.
    public var pre: Vector
    /// h_t = act(z_t).
    public var out: Vector
    /// act′(z_t), the diagonal of ∂h_t/∂z_t.
    public var derivative: Vector
}

/// Every δ of one timestep.
public struct RNNStepDeltas: Sendable {
    /// Δ_t: ∂L/∂h_t through the loss at t (the loss term).
    public var fromLoss: Vector
    /// Δh_t: ∂L/∂h_t through step t+1 = Wᵀ·δz_{t+1} (the recurrent term; zero at t = T−1).
    public var fromNext: Vector
    /// δh_t = Δ_t + Δh_t.
    public var out: Vector
    /// δz_t = δh_t ⊙ act′(z_t).
    public var pre: Vector
    /// δx_t = Uᵀ·δz_t.
    public var x: Vector
    /// Δh_{t−1} = Wᵀ·δz_t.
    public var toPrevOut: Vector
}

public struct RNNCell: Cell {
    public var parameters: RNNParameters

    public init(parameters: RNNParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String {
        "RNN h_t = \(parameters.activation.rawValue)(W·h_{t−1} + U·x_t\(parameters.b == nil ? "" : " + b"))"
    }

    // MARK: forward

    public func forward(_ inputs: [Vector], initial: CellState) -> [RNNStep] {
        let p = parameters
        var prev = initial.out
        var steps: [RNNStep] = []
        steps.reserveCapacity(inputs.count)
        for x in inputs {
            // z_t = W·h_{t−1} + U·x_t + b
            var z = p.W.times(prev) + p.U.times(x)
            if let b = p.b { z += b }
            // h_t = act(z_t)
            let h = p.activation.apply(z)
            let d = Vector(zip(z.values, h.values).map { p.activation.derivative(z: $0, y: $1) })
            steps.append(RNNStep(x: x, prevOut: prev, pre: z, out: h, derivative: d))
            prev = h
        }
        return steps
    }

    public func output(of step: RNNStep) -> Vector { step.out }

    // MARK: backward

    public func backward(_ steps: [RNNStep], fromLoss: [Vector], options: BackwardOptions) -> CellGradients<RNNCell> {
        let p = parameters
        return backwardThroughOutputs(steps.count, fromLoss: fromLoss, options: options) { t, fromNext, dh, grads in
            let s = steps[t]
            // δz_t = δh_t ⊙ act′(z_t)
            let dz = dh * s.derivative
            // δx_t = Uᵀ·δz_t;  Δh_{t−1} = Wᵀ·δz_t
            let dx = p.U.transposedTimes(dz)
            let toPrev = p.W.transposedTimes(dz)
            // δW += δz_t ⊗ h_{t−1};  δU += δz_t ⊗ x_t;  δb += δz_t
            grads.W.addOuter(dz, s.prevOut)
            grads.U.addOuter(dz, s.x)
            if grads.b != nil { grads.b! += dz }
            return (RNNStepDeltas(fromLoss: fromLoss[t], fromNext: fromNext, out: dh, pre: dz, x: dx, toPrevOut: toPrev), dx, toPrev)
        }
    }

    // MARK: report

    public func forwardQuantities(_ step: RNNStep, t: Int, names: Notation) -> [Quantity] {
        [
            names.quantity("z", t: t, .vector(step.pre), note: "W·h_\(t - 1) + U·x_\(t)\(parameters.b == nil ? "" : " + b")"),
            names.quantity("h", t: t, .vector(step.out), note: "\(parameters.activation.rawValue)(z_\(t))"),
        ]
    }

    public func backwardQuantities(_ d: RNNStepDeltas, step: RNNStep, t: Int, names: Notation) -> [Quantity] {
        [
            names.quantity("Delta", t: t, .vector(d.fromLoss), note: "loss term ∂L_\(t)/∂h_\(t)"),
            names.quantity("Delta_h", t: t, .vector(d.fromNext), note: "recurrent term Wᵀ·δz_\(t + 1)"),
            names.quantity("delta_h", t: t, .vector(d.out), note: "Δ_\(t) + Δh_\(t)"),
            names.quantity("delta_z", t: t, .vector(d.pre), note: "δh_\(t) ⊙ \(parameters.activation.rawValue)′(z_\(t))"),
            names.quantity("delta_x", t: t, .vector(d.x), note: "Uᵀ·δz_\(t)"),
            names.quantity("Delta_h", t: t - 1, .vector(d.toPrevOut), note: "Wᵀ·δz_\(t)"),
        ]
    }

    public func initialStateQuantities(_ gradients: CellGradients<RNNCell>, names: Notation) -> [Quantity] { [] }

    public func totalQuantities(_ gradients: RNNParameters, names: Notation) -> [Quantity] { [] }
}
