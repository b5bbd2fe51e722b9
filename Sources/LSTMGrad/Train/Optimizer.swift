#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An optimizer of torch.optim, step for step as PyTorch 2 defines it (its `_single_tensor_*`
/// functions), with torch's argument names and defaults. Without one a spec trains by plain
/// SGD at `learning_rate` (θ ← θ − λ·δθ, the report's own equation).
public struct Optimizer: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case sgd, adagrad, rmsprop, adam, adamw

        /// torch.optim's class name.
        public var className: String {
            switch self {
            case .sgd: return "SGD"
            case .adagrad: return "Adagrad"
            case .rmsprop: return "RMSprop"
            case .adam: return "Adam"
            case .adamw: return "AdamW"
            }
        }

        /// torch.optim's default learning rate.
        public var defaultLR: Double {
            switch self {
            case .sgd, .adam, .adamw: return 1e-3
            case .adagrad, .rmsprop: return 1e-2
            }
        }

        /// The keys a spec may give for this optimizer (besides "type" and "state").
        public var arguments: [String] {
            switch self {
            case .sgd: return ["lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize"]
            case .adagrad: return ["lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps", "maximize"]
            case .rmsprop: return ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"]
            case .adam, .adamw: return ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"]
            }
        }
    }

    public var kind: Kind
    public var lr: Double
    public var momentum = 0.0
    public var dampening = 0.0
    public var nesterov = false
    public var weightDecay = 0.0
    public var eps = 1e-8
    public var initialAccumulatorValue = 0.0
    public var lrDecay = 0.0
    public var alpha = 0.99
    public var centered = false
    public var beta1 = 0.9, beta2 = 0.999
    public var amsgrad = false
    public var maximize = false

    /// torch.optim's defaults for `kind`.
    public init(_ kind: Kind) {
        self.kind = kind
        lr = kind.defaultLR
        if kind == .adagrad { eps = 1e-10 }
        if kind == .adamw { weightDecay = 1e-2 }
    }

    /// The state buffers this configuration keeps per parameter, as torch names them.
    public var buffers: [OptimizerState.Buffer] {
        switch kind {
        case .sgd: return momentum != 0 ? [.momentumBuffer] : []
        case .adagrad: return [.sum]
        case .rmsprop: return [.squareAvg] + (momentum > 0 ? [.momentumBuffer] : []) + (centered ? [.gradAvg] : [])
        case .adam, .adamw: return [.expAvg, .expAvgSq] + (amsgrad ? [.maxExpAvgSq] : [])
        }
    }

    /// The constructor call, as a PyTorch user writes it (every argument that differs from
    /// torch's default, and lr).
    public var call: String {
        let d = Optimizer(kind)
        var args = ["lr=\(shortest(lr))"]
        func add(_ name: String, _ a: Double, _ b: Double) { if a != b { args.append("\(name)=\(shortest(a))") } }
        func flag(_ name: String, _ a: Bool) { if a { args.append("\(name)=True") } }
        add("momentum", momentum, d.momentum)
        add("dampening", dampening, d.dampening)
        flag("nesterov", nesterov)
        add("alpha", alpha, d.alpha)
        add("lr_decay", lrDecay, d.lrDecay)
        add("initial_accumulator_value", initialAccumulatorValue, d.initialAccumulatorValue)
        if beta1 != d.beta1 || beta2 != d.beta2 { args.append("betas=(\(shortest(beta1)), \(shortest(beta2)))") }
        add("eps", eps, d.eps)
        add("weight_decay", weightDecay, d.weightDecay)
        flag("centered", centered)
        flag("amsgrad", amsgrad)
        flag("maximize", maximize)
        return "torch.optim.\(kind.className)(\(args.joined(separator: ", ")))"
    }

    /// One step of one parameter tensor, in place. `p` is the parameter, `grad` its gradient
    /// (after clipping), `buffers` its state, `step` the step count after this step (1 on the
    /// first). Each tensor of the spec's layout is stepped on its own, as torch does: PyTorch's
    /// two bias copies are two tensors, each with its own state and weight decay.
    func update(_ p: inout [Double], grad: [Double], buffers: inout [OptimizerState.Buffer: [Double]], step: Int) {
        let n = p.count
        // g = ±grad (+ weight_decay·p, coupled)
        var g = maximize ? grad.map { -$0 } : grad
        if weightDecay != 0 && kind != .adamw {
            for k in 0..<n { g[k] += weightDecay * p[k] }
        }
        switch kind {
        case .sgd:
            if momentum != 0 {
                // buf = g on the first step, then momentum·buf + (1 − dampening)·g
                var buf = buffers[.momentumBuffer] ?? g
                if buffers[.momentumBuffer] != nil {
                    for k in 0..<n { buf[k] = momentum * buf[k] + (1 - dampening) * g[k] }
                }
                buffers[.momentumBuffer] = buf
                // nesterov: g + momentum·buf, else buf
                for k in 0..<n { g[k] = nesterov ? g[k] + momentum * buf[k] : buf[k] }
            }
            // p ← p − lr·g
            for k in 0..<n { p[k] -= lr * g[k] }
        case .adagrad:
            // clr = lr / (1 + (step − 1)·lr_decay); sum += g²; p ← p − clr·g / (√sum + eps)
            let clr = lr / (1 + Double(step - 1) * lrDecay)
            var sum = buffers[.sum] ?? [Double](repeating: initialAccumulatorValue, count: n)
            for k in 0..<n {
                sum[k] += g[k] * g[k]
                p[k] -= clr * (g[k] / (sum[k].squareRoot() + eps))
            }
            buffers[.sum] = sum
        case .rmsprop:
            // square_avg = α·square_avg + (1 − α)·g²
            var sq = buffers[.squareAvg] ?? [Double](repeating: 0, count: n)
            for k in 0..<n { sq[k] = alpha * sq[k] + (1 - alpha) * g[k] * g[k] }
            buffers[.squareAvg] = sq
            var avg = [Double](repeating: 0, count: n)
            if centered {
                // grad_avg = lerp(grad_avg, g, 1 − α); avg = √(square_avg − grad_avg²) + eps
                var ga = buffers[.gradAvg] ?? [Double](repeating: 0, count: n)
                for k in 0..<n {
                    ga[k] += (1 - alpha) * (g[k] - ga[k])
                    avg[k] = (sq[k] - ga[k] * ga[k]).squareRoot() + eps
                }
                buffers[.gradAvg] = ga
            } else {
                for k in 0..<n { avg[k] = sq[k].squareRoot() + eps }
            }
            if momentum > 0 {
                // buf = momentum·buf + g/avg; p ← p − lr·buf
                var buf = buffers[.momentumBuffer] ?? [Double](repeating: 0, count: n)
                for k in 0..<n {
                    buf[k] = momentum * buf[k] + g[k] / avg[k]
                    p[k] -= lr * buf[k]
                }
                buffers[.momentumBuffer] = buf
            } else {
                for k in 0..<n { p[k] -= lr * (g[k] / avg[k]) }
            }
        case .adam, .adamw:
            // AdamW: p ← p·(1 − lr·weight_decay) first (decoupled)
            if kind == .adamw {
                for k in 0..<n { p[k] *= 1 - lr * weightDecay }
            }
            // exp_avg = lerp(exp_avg, g, 1 − β₁); exp_avg_sq = β₂·exp_avg_sq + (1 − β₂)·g²
            var m1 = buffers[.expAvg] ?? [Double](repeating: 0, count: n)
            var m2 = buffers[.expAvgSq] ?? [Double](repeating: 0, count: n)
            for k in 0..<n {
                m1[k] += (1 - beta1) * (g[k] - m1[k])
                m2[k] = beta2 * m2[k] + (1 - beta2) * g[k] * g[k]
            }
            // step_size = lr / (1 − β₁^step); denom = √v / √(1 − β₂^step) + eps
            let bc1 = 1 - pow(beta1, Double(step)), bc2 = 1 - pow(beta2, Double(step))
            let stepSize = lr / bc1, bc2Root = bc2.squareRoot()
            var v = m2
            if amsgrad {
                // max_exp_avg_sq = max(max_exp_avg_sq, exp_avg_sq)
                var mx = buffers[.maxExpAvgSq] ?? [Double](repeating: 0, count: n)
                for k in 0..<n { mx[k] = max(mx[k], m2[k]) }
                buffers[.maxExpAvgSq] = mx
                v = mx
            }
            for k in 0..<n { p[k] -= stepSize * (m1[k] / (v[k].squareRoot() / bc2Root + eps)) }
            buffers[.expAvg] = m1
            buffers[.expAvgSq] = m2
        }
    }
}

/// Gradient clipping before each step: torch.nn.utils.clip_grad_norm_ over all trained
/// parameters, or clip_grad_value_.
public enum Clipping: Sendable, Equatable {
    /// g ← g·min(1, max_norm / (‖g‖_p + 1e−6)), ‖g‖_p over every trained tensor (p = ∞: the
    /// largest |g|).
    case norm(maxNorm: Double, normType: Double)
    /// g ← clamp(g, −value, value)
    case value(Double)

    /// The call, as a PyTorch user writes it.
    public var call: String {
        switch self {
        case .norm(let m, let p):
            return "torch.nn.utils.clip_grad_norm_(params, max_norm=\(shortest(m)), norm_type=\(p.isInfinite ? "inf" : shortest(p)))"
        case .value(let v): return "torch.nn.utils.clip_grad_value_(params, clip_value=\(shortest(v)))"
        }
    }
}

/// What an optimizer carries from step to step: the step count and, per trained parameter
/// block (canonical name: `W.a`, `V`), torch's buffers.
public struct OptimizerState: Sendable, Equatable {
    /// torch.optim's names for the state of a parameter.
    public enum Buffer: String, Sendable, CaseIterable, Comparable {
        case momentumBuffer = "momentum_buffer"
        case sum
        case squareAvg = "square_avg"
        case gradAvg = "grad_avg"
        case expAvg = "exp_avg"
        case expAvgSq = "exp_avg_sq"
        case maxExpAvgSq = "max_exp_avg_sq"

        /// The view that names this buffer of a block (`exp_avg.W.a`).
        public var view: QuantityName.View { QuantityName.View(rawValue: rawValue)! }

        public static func < (a: Buffer, b: Buffer) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// Steps taken so far (torch's `step`).
    public var step: Int = 0
    public var buffers: [QuantityName: [Buffer: [Double]]] = [:]
    /// The trained blocks in the parameters' order (the order the state is printed and written).
    public var blocks: [QuantityName] = []

    public init(step: Int = 0, buffers: [QuantityName: [Buffer: [Double]]] = [:], blocks: [QuantityName] = []) {
        self.step = step
        self.buffers = buffers
        self.blocks = blocks
    }

    /// The name of the step count.
    public static let stepName = QuantityName(Symbol("optimizer_step"))

    /// The state as report quantities: the step, then each block's buffers (`exp_avg.W.a`), in
    /// the order of `blocks`, shaped as the blocks in `shapes`.
    public func quantities(shapes: Trace, names: Notation) -> [Quantity] {
        var out = [Quantity(name: Self.stepName, label: "step", value: .scalar(Double(step)), note: "optimizer steps taken")]
        for block in blocks {
            guard let b = buffers[block] else { continue }
            for (buffer, numbers) in b.sorted(by: { $0.key < $1.key }) {
                out.append(Quantity(name: block.inView(buffer.view), label: "\(buffer.rawValue)(\(names.label(block)))",
                                    value: shapes.value(block).replacingNumbers(numbers)))
            }
        }
        return out
    }
}

/// How a spec trains: the optimizer (nil: plain SGD at `learning_rate`), clipping, the frozen
/// blocks, and the optimizer's state so far.
public struct TrainingSetup: Sendable, Equatable {
    public var optimizer: Optimizer?
    public var clip: Clipping?
    /// Canonical blocks not updated (no gradient in torch: requires_grad=False).
    public var frozen: Set<QuantityName> = []
    /// The trained tensors of a layout that trains its own (a state dict's `weight_hh_l0`)
    /// whose blocks are all frozen.
    public var frozenTensors: Set<QuantityName> = []
    public var state = OptimizerState()

    public init(optimizer: Optimizer? = nil, clip: Clipping? = nil, frozen: Set<QuantityName> = [], state: OptimizerState = OptimizerState()) {
        self.optimizer = optimizer
        self.clip = clip
        self.frozen = frozen
        self.state = state
    }

    /// Whether a tensor (a canonical block or a layout's tensor) is frozen.
    public func isFrozen(_ tensor: QuantityName) -> Bool { frozen.contains(tensor) || frozenTensors.contains(tensor) }

    /// Plain SGD with nothing clipped or frozen: the report's update equations apply.
    public var isPlainSGD: Bool { optimizer == nil && clip == nil && frozen.isEmpty }

    /// The update's description for headers and titles.
    public func describe(learningRate: Double) -> String {
        var s = optimizer?.call ?? "SGD: θ ← θ − λ·δθ, λ = \(shortest(learningRate))"
        if let clip { s += "; before each step " + clip.call }
        if !frozen.isEmpty { s += "; frozen: " + frozen.sorted().map(\.description).joined(separator: ", ") }
        return s
    }

    /// One step over the tensors: clip the gradients of the trained tensors, then update each
    /// (a bias stored twice is two tensors, so it counts twice in the clipping norm, as torch
    /// sees it). Returns the tensors after the step and the state after it.
    public func step(parameters: [(QuantityName, [Double])], gradients: [QuantityName: [Double]],
                     learningRate: Double) -> (parameters: [(QuantityName, [Double])], state: OptimizerState) {
        let trained = parameters.map(\.0).filter { !isFrozen($0) }
        var grads = gradients
        switch clip {
        case .norm(let maxNorm, let p)?:
            // total = ‖(‖g_1‖_p, ‖g_2‖_p, …)‖_p; coefficient = min(1, max_norm / (total + 1e−6))
            var total = 0.0
            if p.isInfinite {
                for b in trained { total = max(total, grads[b]!.map(abs).max() ?? 0) }
            } else {
                var acc = 0.0
                for b in trained {
                    let norm = pow(grads[b]!.reduce(0) { $0 + pow(abs($1), p) }, 1 / p)
                    acc += pow(norm, p)
                }
                total = pow(acc, 1 / p)
            }
            let coefficient = min(1, maxNorm / (total + 1e-6))
            for b in trained { grads[b] = grads[b]!.map { $0 * coefficient } }
        case .value(let v)?:
            for b in trained { grads[b] = grads[b]!.map { min(max($0, -v), v) } }
        case nil:
            break
        }
        var next = state
        next.step += 1
        next.blocks = trained
        var out: [(QuantityName, [Double])] = []
        for (block, value) in parameters {
            guard !isFrozen(block) else {
                out.append((block, value))
                continue
            }
            var p = value
            let g = grads[block]!
            if let optimizer {
                var buffers = state.buffers[block] ?? [:]
                optimizer.update(&p, grad: g, buffers: &buffers, step: next.step)
                next.buffers[block] = buffers
            } else {
                for k in p.indices { p[k] -= learningRate * g[k] }
            }
            out.append((block, p))
        }
        return (out, next)
    }
}
