/// The symbols every cell and head shares. A cell's own symbols live in its folder.
extension Symbol {
    /// x_t, the input at t.
    public static let x = Symbol("x")
    /// label_t, the target at t (a class index as a one-hot vector).
    public static let label = Symbol("label")
    /// λ, the learning rate.
    public static let learningRate = Symbol("learning_rate")
    /// L_t, and the total L (no timestep).
    public static let loss = Symbol("loss")
    /// L after SGD step k of `--steps`.
    public static let lossStep = Symbol("loss_step")
    /// Δ_t = ∂L_t/∂h_t, the loss's term of h_t's gradient.
    public static let Delta = Symbol("Delta")
    /// δx_t.
    public static let deltaX = Symbol("delta_x")
    /// The head: v_t = V·h_t + c, y_t = act(v_t), and ∂L/∂y_t, ∂L/∂v_t.
    public static let v = Symbol("v")
    public static let y = Symbol("y")
    public static let dy = Symbol("dy")
    public static let dv = Symbol("dv")
    /// Parameter blocks: W, U, b (and GRU's bh), the head's V and c.
    public static let W = Symbol("W")
    public static let U = Symbol("U")
    public static let b = Symbol("b")
    public static let bh = Symbol("bh")
    public static let V = Symbol("V")
    public static let c = Symbol("c")
    /// ‖truncated − full‖ / ‖full‖ over every block (`--no-recurrent-terms`).
    public static let gapRelative = Symbol("gap_relative")
}

extension Symbol {
    /// The canonical names of this value's gradients, as every cell and head names them: ∂L/∂
    /// after an activation (`delta_post_a`), the δ (`delta_a`, `delta_state`, `delta_h`), the
    /// head's (`dy`, `dv`). A report prints some of them.
    public var gradientSymbols: [Symbol] { [Symbol("delta_post_" + base), Symbol("delta_" + base), Symbol("d" + base)] }
}

extension QuantityName {
    public static func x(_ t: Int) -> QuantityName { QuantityName(.x, t: t) }
    public static func label(_ t: Int) -> QuantityName { QuantityName(.label, t: t) }
    public static let learningRate = QuantityName(.learningRate)
    public static func Delta(_ t: Int) -> QuantityName { QuantityName(.Delta, t: t) }
}

extension Expr {
    /// A quantity as an operand: `.q(.state, t)`.
    public static func q(_ symbol: Symbol, _ t: Int? = nil) -> Expr { .ref(QuantityName(symbol, t: t)) }
    /// A parameter block as an operand: `.param(.W, "a")`.
    public static func param(_ symbol: Symbol, _ component: String? = nil) -> Expr { .ref(QuantityName(symbol, component)) }
    /// λ
    public static let λ = Expr.ref(.learningRate)

    /// θ' = θ − λ·δθ for a parameter block.
    public static func sgdUpdate(_ block: QuantityName) -> Equation {
        Equation(block.afterUpdate, .difference(.ref(block), .scaled([.λ, .ref(block.gradient)]))).withWrongStepSign
    }

    /// Σ_t δ_t ⊗ with_t (a weight's gradient), or Σ_t δ_t (a bias's) when `with` is nil.
    public static func summedOverTime(_ T: Int, _ delta: (Int) -> Expr, _ with: ((Int) -> Expr)?) -> Expr {
        .sum(of: (0..<T).map { t in with.map { .outer(delta(t), $0(t)) } ?? delta(t) })
    }
}

/// The symbols of the cells whose only state is h_t (RNN, GRU).
extension Symbol {
    public static let h = Symbol("h")
    /// Δh_t: ∂L/∂h_t through step t+1 (the recurrent term).
    public static let DeltaH = Symbol("Delta_h")
    /// Δh_{t−1} as computed with `--no-recurrent-terms`, not passed back.
    public static let DeltaHDropped = Symbol("Delta_h_dropped")
    /// δh_t = Δ_t + Δh_t.
    public static let deltaH = Symbol("delta_h")
    /// The RNN's pre-activation z_t, the LSTM's stacked pre-activations z_t = [â_t; î_t; f̂_t; ô_t]
    /// (the GRU's update gate z_t).
    public static let z = Symbol("z")
    public static let deltaZ = Symbol("delta_z")
}

extension Equation {
    /// δh_t = Δ_t + Δh_t for a cell whose only state is h (RNN, GRU), with the mistake "forgot Δh
    /// from t+1" when a Δh_t does reach t.
    static func deltaH(t: Int, received: Bool) -> Equation {
        let e = Equation(QuantityName(.deltaH, t: t), .q(.Delta, t) + .q(.DeltaH, t))
        guard received else { return e }
        return e.mistake("forgot Δh from t+1 (δh_t = Δ_t)") { $0.droppingTerms(reading: QuantityName(.DeltaH, t: t)) }
    }
}

extension Equation {
    /// An update θ' = θ − step with its classic mistake: the step taken uphill, θ + step.
    public var withWrongStepSign: Equation {
        mistake("SGD step with the wrong sign (θ + λ·δθ instead of θ − λ·δθ)", code: "sgd_sign") { e in
            guard case .difference(let theta, let step) = e else { return nil }
            return theta + step
        }
    }
}
