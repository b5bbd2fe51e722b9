/// Seed 004's equations as data: for every quantity the RNN reports, the right-hand side over
/// named operands and how to evaluate it (and its classic mistakes), as `LSTMCell.work` does.
extension RNNCell {
    /// h_t is reported as `h[t]`.
    public var outputName: String { "h" }

    public func work(for pass: Pass<RNNCell>, names: Notation) -> [String: Work] {
        let p = parameters
        let act = p.activation
        let steps = pass.steps
        let deltas = pass.gradients.deltas
        let T = steps.count
        var work: [String: Work] = [:]

        func op(_ base: String, _ t: Int? = nil, _ value: Value) -> Operand { names.operand(base, t: t, value) }
        func h(_ t: Int) -> Operand { op("h", t, .vector(t < 0 ? steps[0].prevOut : steps[t].out)) }
        func x(_ t: Int) -> Operand { op("x", t, .vector(steps[t].x)) }
        func z(_ t: Int) -> Operand { op("z", t, .vector(steps[t].pre)) }
        func dz(_ t: Int) -> Operand { op("delta_z", t, .vector(deltas[t].pre)) }
        func param(_ name: String) -> Operand {
            // A parameter is labelled as the notation writes it, like its update.
            Operand(key: name, label: names.label(name + "'"), value: p.value(of: name))
        }
        let hasBias = p.b != nil

        // Forward: z_t = W·h_{t−1} + U·x_t (+ b);  h_t = act(z_t).
        for t in 0..<T {
            var ops = [param("W"), h(t - 1), param("U"), x(t)]
            if hasBias { ops.append(param("b")) }
            work["z[\(t)]"] = Work("{0}·{1} + {2}·{3}" + (hasBias ? " + {4}" : ""), ops) { v in
                var sum = v[0].matrix.times(v[1].vector) + v[2].matrix.times(v[3].vector)
                if v.count > 4 { sum += v[4].vector }
                return .vector(sum)
            }
            let template: String
            switch act {
            case .sigmoid: template = "σ({0})"
            case .tanh: template = "tanh({0})"
            case .relu: template = "relu({0})"
            case .identity: template = "{0}"
            }
            work["h[\(t)]"] = Work(template, [z(t)]) { v in .vector(act.apply(v[0].vector)) }
        }

        // Backward.
        for t in 0..<T {
            let last = t == T - 1
            // A Δh_t that reached t from t+1 (not with --no-recurrent-terms).
            let received = !last && deltas[t].fromNext == deltas[t + 1].toPrevOut
            work["delta_h[\(t)]"] = Work.deltaH(op("Delta", t, .vector(deltas[t].fromLoss)), op("Delta_h", t, .vector(deltas[t].fromNext)),
                                                received: received)
            // δz_t = δh_t ⊙ act′(z_t), act′ written in terms of the output where the sheet does.
            let dh = op("delta_h", t, .vector(deltas[t].out))
            switch act {
            case .sigmoid:
                work["delta_z[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − {1})", [dh, h(t)],
                                             mistakes: [Work.Mistake("used σ′ = σ instead of σ(1 − σ)") { v in .vector(v[0].vector * v[1].vector) }]) { v in
                    .vector(v[0].vector * (v[1].vector * oneMinus(v[1].vector)))
                }
            case .tanh:
                work["delta_z[\(t)]"] = Work("{0} ⊙ (1 − {1}²)", [dh, h(t)],
                                             mistakes: [Work.Mistake("used tanh′ = 1 − tanh instead of 1 − tanh²") { v in .vector(v[0].vector * oneMinus(v[1].vector)) }]) { v in
                    .vector(v[0].vector * oneMinus(v[1].vector * v[1].vector))
                }
            case .relu:
                work["delta_z[\(t)]"] = Work("{0} ⊙ relu′({1})", [dh, z(t)]) { v in
                    .vector(v[0].vector * v[1].vector.map { $0 > 0 ? 1 : 0 })
                }
            case .identity:
                work["delta_z[\(t)]"] = Work("{0}", [dh]) { v in v[0] }
            }
            // δx_t = Uᵀ·δz_t;  Δh_{t−1} = Wᵀ·δz_t (what step t−1 receives, or the initial state's gradient).
            work["delta_x[\(t)]"] = Work("{0}ᵀ·{1}", [param("U"), dz(t)]) { v in .vector(v[0].matrix.transposedTimes(v[1].vector)) }
            if t == 0 || deltas[t - 1].fromNext == deltas[t].toPrevOut {
                work["Delta_h[\(t - 1)]"] = Work("{0}ᵀ·{1}", [param("W"), dz(t)]) { v in .vector(v[0].matrix.transposedTimes(v[1].vector)) }
            }
        }

        // Gradients summed over t, and the SGD update.
        for (block, with) in [("W", { h($0 - 1) }), ("U", x), ("b", nil)] as [(String, ((Int) -> Operand)?)] where p.blockNames.contains(block) {
            work["d" + block] = summedOverTime(T, dz, with)
        }
        let λ = Operand(key: "learning_rate", label: "λ", value: .scalar(pass.problem.learningRate))
        for block in p.blockNames {
            work[block + "'"] = Work("{0} − {1}·{2}", [param(block), λ, op("d" + block, nil, pass.gradients.parameters.value(of: block))]) { v in
                v[0].replacingNumbers(zip(v[0].numbers, v[2].numbers).map { $0 - v[1].numbers[0] * $1 })
            }
        }
        return work
    }
}

/// Σ_t δ_t ⊗ with_t (a weight's gradient), or Σ_t δ_t (a bias's) when `with` is nil.
func summedOverTime(_ T: Int, _ delta: (Int) -> Operand, _ with: ((Int) -> Operand)?) -> Work {
    var ops: [Operand] = []
    var terms: [String] = []
    for t in 0..<T {
        terms.append(with == nil ? "{\(ops.count)}" : "{\(ops.count)} ⊗ {\(ops.count + 1)}")
        ops.append(delta(t))
        if let w = with { ops.append(w(t)) }
    }
    let outer = with != nil
    return Work(terms.joined(separator: " + "), ops) { v in
        if outer {
            var sum = Matrix.outer(v[0].vector, v[1].vector)
            for k in stride(from: 2, to: v.count, by: 2) { sum = sum + Matrix.outer(v[k].vector, v[k + 1].vector) }
            return .matrix(sum)
        }
        return .vector(v.dropFirst().reduce(v[0].vector) { $0 + $1.vector })
    }
}

extension Work {
    /// δh_t = Δ_t + Δh_t for a cell whose only state is h (RNN, GRU), with the mistake "forgot Δh
    /// from t+1" when a Δh_t did reach t.
    static func deltaH(_ delta: Operand, _ fromNext: Operand, received: Bool) -> Work {
        Work("{0} + {1}", [delta, fromNext],
             mistakes: received ? [Work.Mistake("forgot Δh from t+1 (δh_t = Δ_t)") { v in v[0] }] : []) { v in
            .vector(v[0].vector + v[1].vector)
        }
    }
}
