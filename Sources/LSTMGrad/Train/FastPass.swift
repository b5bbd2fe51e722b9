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

/// The head and the loss at every t, given the cell outputs: the head's equations evaluated on
/// their own (for the fast kernel, which computes the cell). Holds h_t, v_t, y_t, L_t, ∂L/∂y_t,
/// ∂L/∂v_t, Δ_t and the head's gradients by name.
struct HeadPass {
    var values = Trace()
    /// Δ_t for every t, flat T×H (what the kernel's backward reads).
    var fromLoss: [Double] = []
    var losses: [Double] = []

    init<C: Cell>(_ problem: Problem<C>, outputs: (Int) -> Vector) {
        let equations = problem.headEquations
        let T = problem.inputs.count
        let K = problem.head.parameters?.V.rows ?? problem.cell.hiddenSize
        if let hp = problem.head.parameters { values.store(hp) }
        fromLoss.reserveCapacity(T * problem.cell.hiddenSize)
        for t in 0..<T {
            values[QuantityName(equations.output, t: t)] = .vector(outputs(t))
            for (name, value) in equations.leaves(t, outputs: K) { values[name] = value }
            for eq in equations.forwardEquations(t: t) { values.evaluate(eq) }
            let s = problem.head.step(values, t: t, output: equations.output)
            let l = problem.loss.value(y: s.y, v: s.v, t: t, targets: problem.targets, scale: equations.scale)
            losses.append(l)
            for eq in equations.backwardEquations(t: t, outputs: K) { values.evaluate(eq) }
            fromLoss += values.vector(.Delta(t)).values
        }
        for eq in equations.gradientEquations() { values.evaluate(eq) }
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
    /// The same pass as `Pass(problem)`, with the values the fast kernel (`LSTMFast`) computes
    /// (the pre-activations z_t, gates, state, out, every δ of the cell, the parameter
    /// gradients) taken from it and the rest (the head, the decompositions, the stacked views,
    /// the update) from the equations: equal to the reference up to rounding.
    public init(fast problem: Problem<LSTMCell>, options: BackwardOptions = BackwardOptions(), keepEquations: Bool = false,
                kernels: KernelVariant = .chosen) {
        typealias Name = QuantityName
        let kernel = LSTMFast(problem.cell.parameters, kernels: kernels)
        let H = kernel.H, X = kernel.X, T = problem.inputs.count
        let xs = LSTMFast.flatten(problem.inputs, width: X)
        var f = kernel.forward(inputs: xs, steps: T, initial: problem.initial, keepPre: true)
        func slice(_ a: [Double], _ from: Int, _ n: Int) -> Value { .vector(Vector(Array(a[from..<(from + n)]))) }
        var provided = Trace()
        for t in 0..<T {
            // z_t = [â_t; î_t; f̂_t; ô_t]: the kernel's rows are in the order a, i, f, o.
            provided[Name(.z, t: t)] = slice(f.pre, t * 4 * H, 4 * H)
            for g in LSTMGate.allCases { provided[Name(g.symbol, t: t)] = slice(f.gates, t * 4 * H + Self.offset(g) * H, H) }
            provided[Name(.state, t: t)] = slice(f.state, t * H, H)
            provided[Name(.out, t: t)] = slice(f.out, t * H, H)
        }
        var pass = Pass.forward(problem, keepEquations: keepEquations, provided: provided)
        // Δ_t from the head's equations, then the kernel's backward from them.
        let K = problem.head.parameters?.V.rows ?? H
        let head = problem.headEquations
        var fromLoss: [Double] = []
        fromLoss.reserveCapacity(T * H)
        for t in 0..<T {
            for eq in head.backwardEquations(t: t, outputs: K) { pass.values.evaluate(eq) }
            fromLoss += pass.values.vector(.Delta(t)).values
        }
        let b = kernel.backward(&f, inputs: xs, fromLoss: fromLoss, options: options, keepDeltas: true)
        for t in 0..<T {
            pass.values[Name(.deltaOut, t: t)] = slice(b.dOut, t * H, H)
            pass.values[Name(.deltaState, t: t)] = slice(b.dState, t * H, H)
            for g in LSTMGate.allCases {
                pass.values[Name(g.deltaSymbol, t: t)] = slice(b.dGates, t * 4 * H + Self.offset(g) * H, H)
                pass.values[Name(.DeltaOut, g.rawValue, t: t - 1)] = slice(b.toPrevOutTerms, t * 4 * H + Self.offset(g) * H, H)
            }
            pass.values[Name(options.recurrentTerms ? .DeltaOut : .DeltaOutDropped, t: t - 1)] = slice(b.toPrevOut, t * H, H)
            pass.values[Name(.deltaX, t: t)] = slice(b.dx, t * X, X)
        }
        pass.values[Name(.deltaState, t: -1)] = .vector(Vector(b.dInitialState))
        var gradients = Self.parameters(b, H: H, X: X)
        gradients.hasBias = problem.cell.parameters.hasBias
        pass.values.store(gradients, as: \.gradient)
        // The stacked views δW, δU, δb are the kernel's blocks one above the other.
        pass.values[Name(.dW)] = .matrix(gradients.stackedW)
        pass.values[Name(.dU)] = .matrix(gradients.stackedU)
        if gradients.hasBias { pass.values[Name(.db)] = .vector(gradients.stackedB) }
        pass.options = options
        pass.backward(keepEquations: keepEquations)
        self = pass
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
