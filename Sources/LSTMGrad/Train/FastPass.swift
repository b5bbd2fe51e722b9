#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on a monotonic clock (for `--timings` and the benchmark).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// The head and the loss at every t, given the cell outputs: losses, ∂L/∂y, ∂L/∂v, Δ_t (flat
/// T×H) and the head gradients. The same code for the fast and the reference pass.
struct HeadPass {
    var headSteps: [Head.Step] = []
    var losses: [Double] = []
    var dy: [Vector] = []
    var dv: [Vector] = []
    var fromLoss: [Double] = []
    var headGradients: HeadParameters?

    init<C: Cell>(_ problem: Problem<C>, outputs: (Int) -> Vector, keep: Bool) {
        let head = problem.head
        let T = problem.inputs.count
        let scale = problem.loss.mean ? 1 / Double(T) : 1
        headGradients = head.parameters?.zeroed
        fromLoss.reserveCapacity(T * problem.cell.hiddenSize)
        for t in 0..<T {
            let out = outputs(t)
            let hs = head.forward(out)
            let l = problem.loss.evaluate(head: head, step: hs, t: t, targets: problem.targets, scale: scale)
            let (dvt, delta) = head.backward(hs, out: out, dy: l.dy, fusedDv: l.fusedDv, grads: &headGradients)
            losses.append(l.loss)
            fromLoss += delta.values
            if keep {
                headSteps.append(hs)
                dy.append(l.dy)
                dv.append(dvt)
            }
        }
    }
}

extension LSTMFast {
    /// Problems at least this large (H·(H + X)·T multiply-adds) take the fast path in `run`;
    /// below it the reference path costs microseconds anyway.
    public static let threshold = 4096

    public static func preferred(hidden H: Int, input X: Int, steps T: Int) -> Bool {
        H * (H + X) * T >= threshold
    }
}

extension Pass where C == LSTMCell {
    /// The same pass as `Pass(problem)`, through the fast kernel (`LSTMFast`): every value of
    /// the report, equal to the reference up to rounding.
    public init(fast problem: Problem<LSTMCell>, options: BackwardOptions = BackwardOptions()) {
        let kernel = LSTMFast(problem.cell.parameters)
        let H = kernel.H, X = kernel.X, T = problem.inputs.count
        let xs = LSTMFast.flatten(problem.inputs, width: X)
        var f = kernel.forward(inputs: xs, steps: T, initial: problem.initial, keepPre: true)
        var steps: [LSTMStep] = []
        steps.reserveCapacity(T)
        func slice(_ a: [Double], _ from: Int, _ n: Int) -> Vector { Vector(Array(a[from..<(from + n)])) }
        for t in 0..<T {
            let gates = PerGate { g in slice(f.gates, t * 4 * H + Self.offset(g) * H, H) }
            let pre = PerGate { g in slice(f.pre, t * 4 * H + Self.offset(g) * H, H) }
            steps.append(LSTMStep(
                x: problem.inputs[t],
                prevOut: t == 0 ? Vector(f.initialOut) : slice(f.out, (t - 1) * H, H),
                prevState: t == 0 ? Vector(f.initialState) : slice(f.state, (t - 1) * H, H),
                pre: pre, gates: gates, state: slice(f.state, t * H, H),
                tanhState: slice(f.tanhState, t * H, H), out: slice(f.out, t * H, H)))
        }
        let hp = HeadPass(problem, outputs: { steps[$0].out }, keep: true)
        let b = kernel.backward(&f, inputs: xs, fromLoss: hp.fromLoss, options: options, keepDeltas: true)
        var deltas: [LSTMStepDeltas] = []
        deltas.reserveCapacity(T)
        for t in 0..<T {
            let s = steps[t]
            let dState = slice(b.dState, t * H, H), dOut = slice(b.dOut, t * H, H)
            let dGates = PerGate { g in slice(b.dGates, t * 4 * H + Self.offset(g) * H, H) }
            let post = PerGate(a: dState * s.gates.i, i: dState * s.gates.a, f: dState * s.prevState, o: dOut * s.tanhState)
            let terms = PerGate { g in slice(b.toPrevOutTerms, t * 4 * H + Self.offset(g) * H, H) }
            // δstate_t's two terms: through out_t, and δstate_{t+1} ⊙ f_{t+1} (what the kernel added).
            let throughOut = dOut * s.gates.o * oneMinus(s.tanhState * s.tanhState)
            let fromNextState = options.recurrentTerms && t + 1 < T
                ? slice(b.dState, (t + 1) * H, H) * steps[t + 1].gates.f : Vector(zeros: H)
            deltas.append(LSTMStepDeltas(
                fromLoss: slice(hp.fromLoss, t * H, H), fromNext: slice(b.fromNext, t * H, H), out: dOut,
                state: dState, gates: dGates, gateOutputs: post, x: slice(b.dx, t * X, X),
                toPrevOut: slice(b.toPrevOut, t * H, H), toPrevOutTerms: terms, toPrevState: dState * s.gates.f,
                stateThroughOut: throughOut, stateFromNext: fromNextState, passedBack: options.recurrentTerms))
        }
        let grads = Self.parameters(b, H: H, X: X)
        self.problem = problem
        self.steps = steps
        headSteps = hp.headSteps
        losses = hp.losses
        dy = hp.dy
        dv = hp.dv
        gradients = CellGradients(deltas: deltas, parameters: grads,
                                  initial: CellState(out: Vector(b.dInitialOut), state: Vector(b.dInitialState)),
                                  inputs: (0..<T).map { slice(b.dx, $0 * X, X) })
        headGradients = hp.headGradients
        updated = problem.cell.parameters.sgdStep(gradients: grads, learningRate: problem.learningRate)
        updatedHead = problem.head.parameters.map { $0.sgdStep(gradients: hp.headGradients!, learningRate: problem.learningRate) }
    }

    static func offset(_ g: LSTMGate) -> Int {
        switch g {
        case .a: return 0
        case .i: return 1
        case .f: return 2
        case .o: return 3
        }
    }

    static func parameters(_ b: LSTMFastBackward, H: Int, X: Int) -> LSTMParameters {
        func rows(_ a: [Double], _ g: LSTMGate, _ cols: Int) -> [Double] {
            let from = offset(g) * H * cols
            return Array(a[from..<(from + H * cols)])
        }
        return LSTMParameters(
            W: PerGate { g in Matrix(rows: H, cols: X, values: rows(b.dW, g, X)) },
            U: PerGate { g in Matrix(rows: H, cols: H, values: rows(b.dU, g, H)) },
            b: PerGate { g in Vector(rows(b.db, g, 1)) })
    }
}
