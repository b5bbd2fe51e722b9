/// The four gates of the published example: a (input activation, tanh), i, f, o (sigmoid).
public enum LSTMGate: String, CaseIterable, Sendable {
    case a, i, f, o

    /// a is the candidate (tanh); the others are gates (sigmoid).
    public var activation: Activation { self == .a ? .tanh : .sigmoid }
}

/// One value per gate, stored apart (never one array addressed by offsets).
public struct PerGate<T: Sendable>: Sendable {
    public var a: T, i: T, f: T, o: T

    public init(a: T, i: T, f: T, o: T) {
        self.a = a
        self.i = i
        self.f = f
        self.o = o
    }

    public init(_ make: (LSTMGate) -> T) {
        self.init(a: make(.a), i: make(.i), f: make(.f), o: make(.o))
    }

    public subscript(gate: LSTMGate) -> T {
        get {
            switch gate {
            case .a: return a
            case .i: return i
            case .f: return f
            case .o: return o
            }
        }
        set {
            switch gate {
            case .a: a = newValue
            case .i: i = newValue
            case .f: f = newValue
            case .o: o = newValue
            }
        }
    }

    public func map<U>(_ body: (T) -> U) -> PerGate<U> { PerGate<U> { body(self[$0]) } }
}

extension PerGate: Equatable where T: Equatable {}

/// W_g (H×X), U_g (H×H), b_g (H) for each gate g.
public struct LSTMParameters: GatedParameterSet, Equatable {
    public var W: PerGate<Matrix>
    public var U: PerGate<Matrix>
    public var b: PerGate<Vector>

    public init(W: PerGate<Matrix>, U: PerGate<Matrix>, b: PerGate<Vector>) {
        self.W = W
        self.U = U
        self.b = b
    }

    public var hiddenSize: Int { b.a.count }
    public var inputSize: Int { W.a.cols }

    public static let matrixBlocks = ["W", "U"]
    public static let vectorBlocks = ["b"]
    public static func matrices(_ block: String) -> WritableKeyPath<LSTMParameters, PerGate<Matrix>> { block == "W" ? \.W : \.U }
    public static func vectors(_ block: String) -> WritableKeyPath<LSTMParameters, PerGate<Vector>> { \.b }

    /// W = [W_a; W_i; W_f; W_o] (4H×X), as the published example stacks them.
    public var stackedW: Matrix { W.stacked }
    public var stackedU: Matrix { U.stacked }
    public var stackedB: Vector { b.stacked }
}

/// Everything forward computes at one timestep; backward reads exactly this.
public struct LSTMStep: Sendable {
    public var x: Vector
    public var prevOut: Vector
    public var prevState: Vector
    /// Pre-activations â, î, f̂, ô = W_g·x_t + U_g·out_{t−1} + b_g.
    public var pre: PerGate<Vector>
    /// a_t = tanh(â), i_t, f_t, o_t = σ(·).
    public var gates: PerGate<Vector>
    public var state: Vector
    public var tanhState: Vector
    public var out: Vector
}

/// Every δ of one timestep, named as in the published example.
public struct LSTMStepDeltas: Sendable {
    /// Δ_t: ∂L/∂out_t through the loss at t.
    public var fromLoss: Vector
    /// Δout_t: ∂L/∂out_t through step t+1 (zero at t = T−1).
    public var fromNext: Vector
    /// δout_t = Δ_t + Δout_t.
    public var out: Vector
    /// δstate_t.
    public var state: Vector
    /// δa_t, δi_t, δf_t, δo_t: gradients of the pre-activations.
    public var gates: PerGate<Vector>
    /// Gradients of the gate outputs (after the activation): δstate⊙i, δstate⊙a, δstate⊙state_{t−1}, δout⊙tanh(state).
    public var gateOutputs: PerGate<Vector>
    /// δx_t = Wᵀ·δgates_t.
    public var x: Vector
    /// Δout_{t−1} = Uᵀ·δgates_t, and its four per-gate terms U_gᵀ·δg_t.
    public var toPrevOut: Vector
    public var toPrevOutTerms: PerGate<Vector>
    /// δstate_t ⊙ f_t: what reaches state_{t−1} directly.
    public var toPrevState: Vector
    /// The two terms of δstate_t: through out_t (δout_t ⊙ o_t ⊙ (1 − tanh²(state_t))) and from
    /// t+1 (δstate_{t+1} ⊙ f_{t+1}, zero at t = T−1 or without recurrent terms).
    public var stateThroughOut: Vector = Vector(zeros: 0)
    public var stateFromNext: Vector = Vector(zeros: 0)
    /// False with `--no-recurrent-terms`: Δout_{t−1} and δstate_t ⊙ f_t are computed but not passed back.
    public var passedBack: Bool = true
}

public struct LSTMCell: Cell {
    public var parameters: LSTMParameters

    public init(parameters: LSTMParameters) { self.parameters = parameters }

    public var hiddenSize: Int { parameters.hiddenSize }
    public var inputSize: Int { parameters.inputSize }
    public var summary: String { "LSTM (gates a, i, f, o)" }

    // MARK: forward

    public func forward(_ inputs: [Vector], initial: CellState) -> [LSTMStep] {
        let p = parameters
        var prevOut = initial.out
        var prevState = initial.state ?? Vector(zeros: hiddenSize)
        var steps: [LSTMStep] = []
        steps.reserveCapacity(inputs.count)
        for x in inputs {
            // ĝ_t = W_g·x_t + U_g·out_{t−1} + b_g
            let pre = PerGate { g in p.W[g].times(x) + p.U[g].times(prevOut) + p.b[g] }
            // a_t = tanh(â_t); i_t, f_t, o_t = σ(ĝ_t)
            let gates = PerGate { g in g.activation.apply(pre[g]) }
            // state_t = a_t ⊙ i_t + f_t ⊙ state_{t−1}
            let state = gates.a * gates.i + gates.f * prevState
            let tanhState = Activation.tanh.apply(state)
            // out_t = tanh(state_t) ⊙ o_t
            let out = tanhState * gates.o
            steps.append(LSTMStep(x: x, prevOut: prevOut, prevState: prevState, pre: pre, gates: gates,
                                  state: state, tanhState: tanhState, out: out))
            prevOut = out
            prevState = state
        }
        return steps
    }

    public func output(of step: LSTMStep) -> Vector { step.out }

    // MARK: backward

    public func backward(_ steps: [LSTMStep], fromLoss: [Vector], options: BackwardOptions) -> CellGradients<LSTMCell> {
        let p = parameters
        let H = hiddenSize
        var grads = p.zeroed
        var deltas = [LSTMStepDeltas?](repeating: nil, count: steps.count)
        var dInputs = [Vector](repeating: Vector(zeros: inputSize), count: steps.count)
        var fromNext = Vector(zeros: H)       // Δout_t, zero at t = T−1
        var stateFromNext = Vector(zeros: H)  // δstate_{t+1} ⊙ f_{t+1}
        var toPrevState = Vector(zeros: H)
        var toPrevOut = Vector(zeros: H)
        for t in (0..<steps.count).reversed() {
            let s = steps[t]
            let g = s.gates
            // δout_t = Δ_t + Δout_t
            let dOut = fromLoss[t] + fromNext
            // δstate_t = δout_t ⊙ o_t ⊙ (1 − tanh²(state_t)) + δstate_{t+1} ⊙ f_{t+1}
            let stateThroughOut = dOut * g.o * oneMinus(s.tanhState * s.tanhState)
            let dState = stateThroughOut + stateFromNext
            // Gradients of the gate outputs: ∂L/∂a_t = δstate⊙i, ∂L/∂i_t = δstate⊙a,
            // ∂L/∂f_t = δstate⊙state_{t−1}, ∂L/∂o_t = δout⊙tanh(state_t).
            let post = PerGate(a: dState * g.i, i: dState * g.a, f: dState * s.prevState, o: dOut * s.tanhState)
            // δa_t = δstate_t ⊙ i_t ⊙ (1 − a_t²)
            // δi_t = δstate_t ⊙ a_t ⊙ i_t ⊙ (1 − i_t)
            // δf_t = δstate_t ⊙ state_{t−1} ⊙ f_t ⊙ (1 − f_t)
            // δo_t = δout_t ⊙ tanh(state_t) ⊙ o_t ⊙ (1 − o_t)
            let dGates = PerGate(
                a: post.a * oneMinus(g.a * g.a),
                i: post.i * g.i * oneMinus(g.i),
                f: post.f * g.f * oneMinus(g.f),
                o: post.o * g.o * oneMinus(g.o))
            // δx_t = Wᵀ·δgates_t;  Δout_{t−1} = Uᵀ·δgates_t = Σ_g U_gᵀ·δg_t
            var dx = Vector(zeros: inputSize)
            for gate in LSTMGate.allCases { dx += p.W[gate].transposedTimes(dGates[gate]) }
            let terms = PerGate { gate in p.U[gate].transposedTimes(dGates[gate]) }
            toPrevOut = terms.a + terms.i + terms.f + terms.o
            toPrevState = dState * g.f
            // δW += δgates_t ⊗ x_t;  δU += δgates_t ⊗ out_{t−1};  δb += δgates_t
            for gate in LSTMGate.allCases {
                grads.W[gate].addOuter(dGates[gate], s.x)
                grads.U[gate].addOuter(dGates[gate], s.prevOut)
                grads.b[gate] += dGates[gate]
            }
            dInputs[t] = dx
            deltas[t] = LSTMStepDeltas(fromLoss: fromLoss[t], fromNext: fromNext, out: dOut, state: dState,
                                       gates: dGates, gateOutputs: post, x: dx, toPrevOut: toPrevOut,
                                       toPrevOutTerms: terms, toPrevState: toPrevState,
                                       stateThroughOut: stateThroughOut, stateFromNext: stateFromNext,
                                       passedBack: options.recurrentTerms)
            if options.recurrentTerms {
                fromNext = toPrevOut
                stateFromNext = toPrevState
            }
        }
        return CellGradients(deltas: deltas.map { $0! }, parameters: grads,
                             initial: CellState(out: toPrevOut, state: toPrevState), inputs: dInputs)
    }

    // MARK: report

    public func forwardQuantities(_ step: LSTMStep, t: Int, names: Notation) -> [Quantity] {
        [
            names.quantity("a", t: t, .vector(step.gates.a)),
            names.quantity("i", t: t, .vector(step.gates.i)),
            names.quantity("f", t: t, .vector(step.gates.f)),
            names.quantity("o", t: t, .vector(step.gates.o)),
            names.quantity("state", t: t, .vector(step.state)),
            names.quantity("out", t: t, .vector(step.out)),
        ]
    }

    public func backwardQuantities(_ d: LSTMStepDeltas, step: LSTMStep, t: Int, names: Notation) -> [Quantity] {
        let out = names.label("delta_out"), state = names.label("delta_state")
        return [
            names.quantity("Delta", t: t, .vector(d.fromLoss)),
            names.quantity("Delta_out", t: t, .vector(d.fromNext)),
            names.quantity("delta_out", t: t, .vector(d.out),
                           note: "= \(names.label("Delta"))_\(t) + \(names.label("Delta_out"))_\(t): output-layer term + recurrent term"),
            names.quantity("delta_state_from_out", t: t, .vector(d.stateThroughOut),
                           note: "= \(out)_\(t) ⊙ \(names.label("o"))_\(t) ⊙ (1 − tanh²(\(names.label("state"))_\(t)))"),
            names.quantity("delta_state_from_next", t: t, .vector(d.stateFromNext),
                           note: "= \(state)_\(t + 1) ⊙ \(names.label("f"))_\(t + 1)"),
            names.quantity("delta_state", t: t, .vector(d.state)),
            names.quantity("delta_post_a", t: t, .vector(d.gateOutputs.a), note: "after the activation: \(state)_\(t) ⊙ \(names.label("i"))_\(t)"),
            names.quantity("delta_post_i", t: t, .vector(d.gateOutputs.i), note: "after the activation: \(state)_\(t) ⊙ \(names.label("a"))_\(t)"),
            names.quantity("delta_post_f", t: t, .vector(d.gateOutputs.f), note: "after the activation: \(state)_\(t) ⊙ \(names.label("state"))_\(t - 1)"),
            names.quantity("delta_post_o", t: t, .vector(d.gateOutputs.o), note: "after the activation: \(out)_\(t) ⊙ tanh(\(names.label("state"))_\(t))"),
            names.quantity("delta_a", t: t, .vector(d.gates.a), note: "this and the next three: gradients of the pre-activations"),
            names.quantity("delta_i", t: t, .vector(d.gates.i)),
            names.quantity("delta_f", t: t, .vector(d.gates.f)),
            names.quantity("delta_o", t: t, .vector(d.gates.o)),
            names.quantity("delta_x", t: t, .vector(d.x)),
            names.quantity("Delta_out.a", t: t - 1, .vector(d.toPrevOutTerms.a), note: "= U_aᵀ·\(names.label("delta_a"))_\(t)"),
            names.quantity("Delta_out.i", t: t - 1, .vector(d.toPrevOutTerms.i), note: "= U_iᵀ·\(names.label("delta_i"))_\(t)"),
            names.quantity("Delta_out.f", t: t - 1, .vector(d.toPrevOutTerms.f), note: "= U_fᵀ·\(names.label("delta_f"))_\(t)"),
            names.quantity("Delta_out.o", t: t - 1, .vector(d.toPrevOutTerms.o), note: "= U_oᵀ·\(names.label("delta_o"))_\(t)"),
            d.passedBack
                ? names.quantity("Delta_out", t: t - 1, .vector(d.toPrevOut), note: "sum of the four gate terms")
                : Quantity(key: "Delta_out_dropped[\(t - 1)]", label: "\(names.label("Delta_out"))_\(t - 1) (dropped)", value: .vector(d.toPrevOut),
                           note: "sum of the four gate terms, not passed back (--no-recurrent-terms)"),
        ]
    }

    public func initialStateQuantities(_ gradients: CellGradients<LSTMCell>, names: Notation) -> [Quantity] {
        [names.quantity("delta_state", t: -1, .vector(gradients.initial.state ?? Vector(zeros: hiddenSize)),
                        note: "δstate_0 ⊙ f_0, the gradient of the initial state")]
    }

    public func totalQuantities(_ g: LSTMParameters, names: Notation) -> [Quantity] {
        [
            names.quantity("dW", .matrix(g.stackedW), note: "rows a, i, f, o"),
            names.quantity("dU", .matrix(g.stackedU), note: "rows a, i, f, o"),
            names.quantity("db", .vector(g.stackedB), note: "rows a, i, f, o"),
        ]
    }
}
