/// The published example's equations as data: for every quantity the LSTM reports, the
/// right-hand side over named operands and how to evaluate it (and its classic mistakes).
extension LSTMCell {
    public func work(for pass: Pass<LSTMCell>, names: Notation) -> [String: Work] {
        let p = parameters
        let steps = pass.steps
        let deltas = pass.gradients.deltas
        let T = steps.count
        let problem = pass.problem
        var work: [String: Work] = [:]

        func op(_ base: String, _ t: Int? = nil, _ value: Value) -> Operand { names.operand(base, t: t, value) }
        func gate(_ g: LSTMGate, _ t: Int) -> Operand { op(g.rawValue, t, .vector(steps[t].gates[g])) }
        func dgate(_ g: LSTMGate, _ t: Int) -> Operand { op("delta_" + g.rawValue, t, .vector(deltas[t].gates[g])) }
        func state(_ t: Int) -> Operand { op("state", t, .vector(t < 0 ? steps[0].prevState : steps[t].state)) }
        func out(_ t: Int) -> Operand { op("out", t, .vector(t < 0 ? steps[0].prevOut : steps[t].out)) }
        func x(_ t: Int) -> Operand { op("x", t, .vector(steps[t].x)) }
        func param(_ block: String, _ g: LSTMGate) -> Operand {
            // A parameter is labelled as the notation writes it (W^xc in seed 000's), like its update.
            let name = block + "." + g.rawValue
            return Operand(key: name, label: names.label(name + "'"), value: p.value(of: name))
        }
        // Σ_g M_gᵀ·δg_t over the four gates (δx_t with W, Δout_{t−1} with U).
        func transposedSum(_ block: String, _ t: Int) -> Work {
            var ops: [Operand] = []
            for g in LSTMGate.allCases { ops += [param(block, g), dgate(g, t)] }
            return Work("{0}ᵀ·{1} + {2}ᵀ·{3} + {4}ᵀ·{5} + {6}ᵀ·{7}", ops) { v in
                var sum = v[0].matrix.transposedTimes(v[1].vector)
                for k in 1..<4 { sum += v[2 * k].matrix.transposedTimes(v[2 * k + 1].vector) }
                return .vector(sum)
            }
        }

        // Forward.
        for t in 0..<T {
            for g in LSTMGate.allCases {
                let act = g.activation
                let name = g == .a ? "tanh" : "σ"
                let ops = [param("W", g), x(t), param("U", g), out(t - 1), param("b", g)]
                work["\(g.rawValue)[\(t)]"] = Work("\(name)({0}·{1} + {2}·{3} + {4})", ops) { v in
                    .vector(act.apply(v[0].matrix.times(v[1].vector) + v[2].matrix.times(v[3].vector) + v[4].vector))
                }
            }
            work["state[\(t)]"] = Work("{0} ⊙ {1} + {2} ⊙ {3}", [gate(.a, t), gate(.i, t), gate(.f, t), state(t - 1)]) { v in
                .vector(v[0].vector * v[1].vector + v[2].vector * v[3].vector)
            }
            work["out[\(t)]"] = Work("tanh({0}) ⊙ {1}", [state(t), gate(.o, t)]) { v in
                .vector(Activation.tanh.apply(v[0].vector) * v[1].vector)
            }
        }

        // Backward.
        let tanhMistake = "used tanh′ = 1 − tanh instead of 1 − tanh²"
        for t in 0..<T {
            // Δout_{t−1} = Uᵀ·δgates_t.
            // Without the recurrent terms (--no-recurrent-terms) Δout_{t−1} is computed but not
            // passed back, and δstate_t has no term from t+1.
            let recurrent = deltas[t].passedBack
            work[recurrent ? "Delta_out[\(t - 1)]" : "Delta_out_dropped[\(t - 1)]"] = transposedSum("U", t)
            for g in LSTMGate.allCases {
                work["Delta_out.\(g.rawValue)[\(t - 1)]"] = Work("{0}ᵀ·{1}", [param("U", g), dgate(g, t)]) { v in
                    .vector(v[0].matrix.transposedTimes(v[1].vector))
                }
            }
            let dOutOps = [op("Delta", t, .vector(deltas[t].fromLoss)), op("Delta_out", t, .vector(deltas[t].fromNext))]
            let last = t == T - 1 || !recurrent
            work["delta_out[\(t)]"] = Work("{0} + {1}", dOutOps,
                                           mistakes: last ? [] : [Work.Mistake("forgot Δout from t+1 (δout_t = Δ_t)") { v in v[0] }]) { v in
                .vector(v[0].vector + v[1].vector)
            }
            let dOut = op("delta_out", t, .vector(deltas[t].out))
            if last {
                work["delta_state[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − tanh²({2}))", [dOut, gate(.o, t), state(t)],
                                                 mistakes: [Work.Mistake(tanhMistake) { v in
                                                     .vector(v[0].vector * v[1].vector * oneMinus(Activation.tanh.apply(v[2].vector)))
                                                 }]) { v in
                    let th = Activation.tanh.apply(v[2].vector)
                    return .vector(v[0].vector * v[1].vector * oneMinus(th * th))
                }
            } else {
                let ops = [dOut, gate(.o, t), state(t), op("delta_state", t + 1, .vector(deltas[t + 1].state)), gate(.f, t + 1)]
                let withoutTerm = Work.Mistake("matches δstate without the f_{t+1}·δstate_{t+1} term") { v in
                    let th = Activation.tanh.apply(v[2].vector)
                    return .vector(v[0].vector * v[1].vector * oneMinus(th * th))
                }
                let tanhOnce = Work.Mistake(tanhMistake) { v in
                    .vector(v[0].vector * v[1].vector * oneMinus(Activation.tanh.apply(v[2].vector)) + v[3].vector * v[4].vector)
                }
                work["delta_state[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − tanh²({2})) + {3} ⊙ {4}", ops, mistakes: [withoutTerm, tanhOnce]) { v in
                    let th = Activation.tanh.apply(v[2].vector)
                    return .vector(v[0].vector * v[1].vector * oneMinus(th * th) + v[3].vector * v[4].vector)
                }
            }
            let dState = op("delta_state", t, .vector(deltas[t].state))
            work["delta_a[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − {2}²)", [dState, gate(.i, t), gate(.a, t)],
                                         mistakes: [Work.Mistake(tanhMistake) { v in .vector(v[0].vector * v[1].vector * oneMinus(v[2].vector)) }]) { v in
                .vector(v[0].vector * v[1].vector * oneMinus(v[2].vector * v[2].vector))
            }
            work["delta_i[\(t)]"] = Work("{0} ⊙ {1} ⊙ {2} ⊙ (1 − {2})", [dState, gate(.a, t), gate(.i, t)]) { v in
                .vector(v[0].vector * v[1].vector * v[2].vector * oneMinus(v[2].vector))
            }
            let stateNow = steps[t].state
            work["delta_f[\(t)]"] = Work("{0} ⊙ {1} ⊙ {2} ⊙ (1 − {2})", [dState, state(t - 1), gate(.f, t)],
                                         mistakes: [Work.Mistake("matches δf using state_t instead of state_{t−1}") { v in
                                             .vector(v[0].vector * stateNow * v[2].vector * oneMinus(v[2].vector))
                                         }]) { v in
                .vector(v[0].vector * v[1].vector * v[2].vector * oneMinus(v[2].vector))
            }
            work["delta_o[\(t)]"] = Work("{0} ⊙ tanh({1}) ⊙ {2} ⊙ (1 − {2})", [dOut, state(t), gate(.o, t)]) { v in
                .vector(v[0].vector * Activation.tanh.apply(v[1].vector) * v[2].vector * oneMinus(v[2].vector))
            }
            work["delta_x[\(t)]"] = transposedSum("W", t)
            // The decomposition: δstate's two terms, and the gradients after the activations.
            work["delta_state_from_out[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − tanh²({2}))", [dOut, gate(.o, t), state(t)]) { v in
                let th = Activation.tanh.apply(v[2].vector)
                return .vector(v[0].vector * v[1].vector * oneMinus(th * th))
            }
            if !last {
                work["delta_state_from_next[\(t)]"] = Work("{0} ⊙ {1}", [op("delta_state", t + 1, .vector(deltas[t + 1].state)), gate(.f, t + 1)]) { v in
                    .vector(v[0].vector * v[1].vector)
                }
            }
            let posts: [(LSTMGate, Operand, Operand)] = [(.a, dState, gate(.i, t)), (.i, dState, gate(.a, t)),
                                                         (.f, dState, state(t - 1)), (.o, dOut, state(t))]
            for (g, d, other) in posts {
                let template = g == .o ? "{0} ⊙ tanh({1})" : "{0} ⊙ {1}"
                work["delta_post_\(g.rawValue)[\(t)]"] = Work(template, [d, other]) { v in
                    .vector(v[0].vector * (g == .o ? Activation.tanh.apply(v[1].vector) : v[1].vector))
                }
            }
        }

        // Gradients summed over t, and the SGD update.
        let λ = problem.learningRate
        for g in LSTMGate.allCases {
            for (block, with) in [("W", x), ("U", { out($0 - 1) })] as [(String, (Int) -> Operand)] {
                var ops: [Operand] = []
                for t in 0..<T { ops += [dgate(g, t), with(t)] }
                let template = (0..<T).map { "{\(2 * $0)} ⊗ {\(2 * $0 + 1)}" }.joined(separator: " + ")
                work["d\(block).\(g.rawValue)"] = Work(template, ops) { v in
                    var sum = Matrix.outer(v[0].vector, v[1].vector)
                    for k in stride(from: 2, to: v.count, by: 2) { sum = sum + Matrix.outer(v[k].vector, v[k + 1].vector) }
                    return .matrix(sum)
                }
            }
            work["db.\(g.rawValue)"] = Work((0..<T).map { "{\($0)}" }.joined(separator: " + "), (0..<T).map { dgate(g, $0) }) { v in
                .vector(v.dropFirst().reduce(v[0].vector) { $0 + $1.vector })
            }
            for block in ["W", "U", "b"] {
                let name = "\(block).\(g.rawValue)"
                let ops = [param(block, g), Operand(key: "learning_rate", label: "λ", value: .scalar(λ)),
                           op("d" + name, nil, pass.gradients.parameters.value(of: name))]
                work[name + "'"] = Work("{0} − {1}·{2}", ops) { v in
                    v[0].replacingNumbers(zip(v[0].numbers, v[2].numbers).map { $0 - v[1].numbers[0] * $1 })
                }
            }
        }
        // The stacked views of the published example: δW = Σ_t δgates_t ⊗ x_t,
        // δU = Σ_t δgates_t ⊗ out_{t−1}, δb = Σ_t δgates_t, with δgates_t = [δa_t; δi_t; δf_t; δo_t].
        func dgates(_ t: Int) -> Operand {
            let parts = LSTMGate.allCases.map { dgate($0, t) }
            let q = names.quantity("delta_gates", t: t, .vector(Vector(parts.flatMap(\.value.numbers))))
            return Operand(key: q.key, label: q.label, value: q.value, parts: parts)
        }
        for (block, with) in [("W", x), ("U", { out($0 - 1) }), ("b", nil)] as [(String, ((Int) -> Operand)?)] {
            var ops: [Operand] = []
            var terms: [String] = []
            for t in 0..<T {
                terms.append(with == nil ? "{\(ops.count)}" : "{\(ops.count)} ⊗ {\(ops.count + 1)}")
                ops.append(dgates(t))
                if let w = with { ops.append(w(t)) }
            }
            let outer = with != nil
            work["d" + block] = Work(terms.joined(separator: " + "), ops) { v in
                if outer {
                    var sum = Matrix.outer(v[0].vector, v[1].vector)
                    for k in stride(from: 2, to: v.count, by: 2) { sum = sum + Matrix.outer(v[k].vector, v[k + 1].vector) }
                    return .matrix(sum)
                }
                return .vector(v.dropFirst().reduce(v[0].vector) { $0 + $1.vector })
            }
        }
        return work
    }
}
