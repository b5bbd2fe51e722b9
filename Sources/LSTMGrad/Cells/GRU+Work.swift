/// The GRU's equations as data: for every quantity the GRU reports, the right-hand side over
/// named operands and how to evaluate it (and its classic mistakes), as `LSTMCell.work` does.
extension GRUCell {
    /// h_t is reported as `h[t]`.
    public var outputName: String { "h" }

    public func work(for pass: Pass<GRUCell>, names: Notation) -> [String: Work] {
        let p = parameters
        let steps = pass.steps
        let deltas = pass.gradients.deltas
        let T = steps.count
        let pytorch = p.convention == .pytorch
        var work: [String: Work] = [:]

        func op(_ base: String, _ t: Int? = nil, _ value: Value) -> Operand { names.operand(base, t: t, value) }
        func h(_ t: Int) -> Operand { op("h", t, .vector(t < 0 ? steps[0].prevOut : steps[t].out)) }
        func x(_ t: Int) -> Operand { op("x", t, .vector(steps[t].x)) }
        func gate(_ g: GRUGate, _ t: Int) -> Operand { op(g.rawValue, t, .vector(steps[t].gates[g])) }
        func hn(_ t: Int) -> Operand { op("hn", t, .vector(steps[t].hn)) }
        func dgate(_ g: GRUGate, _ t: Int) -> Operand { op("delta_" + g.rawValue, t, .vector(deltas[t].gates[g])) }
        func dhn(_ t: Int) -> Operand { op("delta_hn", t, .vector(deltas[t].hn)) }
        /// The δ that reaches the recurrent block of gate g (δr, δz, δhn).
        func dhidden(_ g: GRUGate, _ t: Int) -> Operand { g == .n ? dhn(t) : dgate(g, t) }
        func dh(_ t: Int) -> Operand { op("delta_h", t, .vector(deltas[t].out)) }
        func param(_ block: String, _ g: GRUGate) -> Operand {
            // A parameter is labelled as the notation writes it, like its update.
            let name = block + "." + g.rawValue
            return Operand(key: name, label: names.label(name + "'"), value: p.value(of: name))
        }

        // Forward.
        for t in 0..<T {
            // r_t = σ(W_r·x_t + b_r + U_r·h_{t−1} + bh_r);  z_t likewise.
            for g in [GRUGate.r, .z] {
                let ops = [param("W", g), x(t), param("b", g), param("U", g), h(t - 1), param("bh", g)]
                work["\(g.rawValue)[\(t)]"] = Work("σ({0}·{1} + {2} + {3}·{4} + {5})", ops) { v in
                    .vector(Activation.sigmoid.apply(v[0].matrix.times(v[1].vector) + v[2].vector + v[3].matrix.times(v[4].vector) + v[5].vector))
                }
            }
            // hn_t = U_n·h_{t−1} + bh_n;  n_t = tanh(W_n·x_t + b_n + r_t ⊙ hn_t).
            work["hn[\(t)]"] = Work("{0}·{1} + {2}", [param("U", .n), h(t - 1), param("bh", .n)]) { v in
                .vector(v[0].matrix.times(v[1].vector) + v[2].vector)
            }
            work["n[\(t)]"] = Work("tanh({0}·{1} + {2} + {3} ⊙ {4})", [param("W", .n), x(t), param("b", .n), gate(.r, t), hn(t)],
                                   mistakes: [Work.Mistake("left out the reset gate (W_n·x + b_n + hn instead of W_n·x + b_n + r ⊙ hn)") { v in
                                       .vector(Activation.tanh.apply(v[0].matrix.times(v[1].vector) + v[2].vector + v[4].vector))
                                   }]) { v in
                .vector(Activation.tanh.apply(v[0].matrix.times(v[1].vector) + v[2].vector + v[3].vector * v[4].vector))
            }
            // h_t by the convention; the other convention is the classic mistake.
            let ops = [gate(.z, t), gate(.n, t), h(t - 1)]
            let keepsOld: @Sendable ([Value]) -> Value = { v in .vector(oneMinus(v[0].vector) * v[1].vector + v[0].vector * v[2].vector) }
            let keepsNew: @Sendable ([Value]) -> Value = { v in .vector(v[0].vector * v[1].vector + oneMinus(v[0].vector) * v[2].vector) }
            work["h[\(t)]"] = Work(pytorch ? "(1 − {0}) ⊙ {1} + {0} ⊙ {2}" : "{0} ⊙ {1} + (1 − {0}) ⊙ {2}", ops,
                                   mistakes: [Work.Mistake("used the other update convention (\(pytorch ? GRUConvention.zNew.formula : GRUConvention.pytorch.formula))",
                                                           pytorch ? keepsNew : keepsOld)],
                                   evaluate: pytorch ? keepsOld : keepsNew)
        }

        // Backward.
        let tanhMistake = "used tanh′ = 1 − tanh instead of 1 − tanh²"
        for t in 0..<T {
            let last = t == T - 1
            let received = !last && deltas[t].fromNext == deltas[t + 1].toPrevOut
            work["delta_h[\(t)]"] = Work.deltaH(op("Delta", t, .vector(deltas[t].fromLoss)), op("Delta_h", t, .vector(deltas[t].fromNext)),
                                                received: received)
            // Through the update: ∂L/∂n, ∂L/∂z and the direct term of Δh_{t−1}.
            let flipped = "sign of ∂h/∂z flipped (the other update convention)"
            if pytorch {
                work["dn_out[\(t)]"] = Work("{0} ⊙ (1 − {1})", [dh(t), gate(.z, t)]) { v in .vector(v[0].vector * oneMinus(v[1].vector)) }
                work["dz_out[\(t)]"] = Work("{0} ⊙ ({1} − {2})", [dh(t), h(t - 1), gate(.n, t)],
                                            mistakes: [Work.Mistake(flipped) { v in .vector(v[0].vector * (v[2].vector - v[1].vector)) }]) { v in
                    .vector(v[0].vector * (v[1].vector - v[2].vector))
                }
                work["Delta_h_direct[\(t - 1)]"] = Work("{0} ⊙ {1}", [dh(t), gate(.z, t)]) { v in .vector(v[0].vector * v[1].vector) }
            } else {
                work["dn_out[\(t)]"] = Work("{0} ⊙ {1}", [dh(t), gate(.z, t)]) { v in .vector(v[0].vector * v[1].vector) }
                work["dz_out[\(t)]"] = Work("{0} ⊙ ({1} − {2})", [dh(t), gate(.n, t), h(t - 1)],
                                            mistakes: [Work.Mistake(flipped) { v in .vector(v[0].vector * (v[2].vector - v[1].vector)) }]) { v in
                    .vector(v[0].vector * (v[1].vector - v[2].vector))
                }
                work["Delta_h_direct[\(t - 1)]"] = Work("{0} ⊙ (1 − {1})", [dh(t), gate(.z, t)]) { v in .vector(v[0].vector * oneMinus(v[1].vector)) }
            }
            let dnOut = op("dn_out", t, .vector(deltas[t].gateOutputs.n))
            let dzOut = op("dz_out", t, .vector(deltas[t].gateOutputs.z))
            let drOut = op("dr_out", t, .vector(deltas[t].gateOutputs.r))
            // ∂L/∂r = δn ⊙ hn;  δn = ∂L/∂n ⊙ (1 − n²);  δz = ∂L/∂z ⊙ z ⊙ (1 − z);  δr likewise;  δhn = δn ⊙ r.
            work["dr_out[\(t)]"] = Work("{0} ⊙ {1}", [dgate(.n, t), hn(t)]) { v in .vector(v[0].vector * v[1].vector) }
            work["delta_n[\(t)]"] = Work("{0} ⊙ (1 − {1}²)", [dnOut, gate(.n, t)],
                                         mistakes: [Work.Mistake(tanhMistake) { v in .vector(v[0].vector * oneMinus(v[1].vector)) }]) { v in
                .vector(v[0].vector * oneMinus(v[1].vector * v[1].vector))
            }
            for (g, outer) in [(GRUGate.z, dzOut), (.r, drOut)] {
                work["delta_\(g.rawValue)[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − {1})", [outer, gate(g, t)]) { v in
                    .vector(v[0].vector * v[1].vector * oneMinus(v[1].vector))
                }
            }
            work["delta_hn[\(t)]"] = Work("{0} ⊙ {1}", [dgate(.n, t), gate(.r, t)]) { v in .vector(v[0].vector * v[1].vector) }
            // δx_t = Σ_g W_gᵀ·δg_t.
            var xOps: [Operand] = []
            for g in GRUGate.allCases { xOps += [param("W", g), dgate(g, t)] }
            work["delta_x[\(t)]"] = Work("{0}ᵀ·{1} + {2}ᵀ·{3} + {4}ᵀ·{5}", xOps) { v in
                var sum = v[0].matrix.transposedTimes(v[1].vector)
                for k in 1..<3 { sum += v[2 * k].matrix.transposedTimes(v[2 * k + 1].vector) }
                return .vector(sum)
            }
            // Δh_{t−1} = direct + U_rᵀ·δr + U_zᵀ·δz + U_nᵀ·δhn (what step t−1 receives, or the initial state's gradient).
            if t == 0 || deltas[t - 1].fromNext == deltas[t].toPrevOut {
                var ops = [op("Delta_h_direct", t - 1, .vector(deltas[t].toPrevDirect))]
                for g in GRUGate.allCases { ops += [param("U", g), dhidden(g, t)] }
                work["Delta_h[\(t - 1)]"] = Work("{0} + {1}ᵀ·{2} + {3}ᵀ·{4} + {5}ᵀ·{6}", ops,
                                                 mistakes: [Work.Mistake("left out the direct term through the update gate") { v in
                                                     var sum = v[1].matrix.transposedTimes(v[2].vector)
                                                     for k in 1..<3 { sum += v[2 * k + 1].matrix.transposedTimes(v[2 * k + 2].vector) }
                                                     return .vector(sum)
                                                 }]) { v in
                    var sum = v[0].vector
                    for k in 0..<3 { sum += v[2 * k + 1].matrix.transposedTimes(v[2 * k + 2].vector) }
                    return .vector(sum)
                }
            }
        }

        // Gradients summed over t: δW_g = Σ_t δg_t ⊗ x_t, δb_g = Σ_t δg_t,
        // δU_g = Σ_t δg_t ⊗ h_{t−1}, δbh_g = Σ_t δg_t (δhn in place of δn for U_n, bh_n).
        for g in GRUGate.allCases {
            work["dW.\(g.rawValue)"] = summedOverTime(T, { dgate(g, $0) }, x)
            work["db.\(g.rawValue)"] = summedOverTime(T, { dgate(g, $0) }, nil)
            work["dU.\(g.rawValue)"] = summedOverTime(T, { dhidden(g, $0) }, { h($0 - 1) })
            work["dbh.\(g.rawValue)"] = summedOverTime(T, { dhidden(g, $0) }, nil)
        }
        // PyTorch's stacked views, with δgates_t = [δr_t; δz_t; δn_t] and δgates^hh_t = [δr_t; δz_t; δhn_t].
        func stacked(_ hidden: Bool, _ t: Int) -> Operand {
            let parts = GRUGate.allCases.map { hidden ? dhidden($0, t) : dgate($0, t) }
            let base = names.label("delta_gates") + (hidden ? "^hh" : "")
            return Operand(key: "delta_gates\(hidden ? "_hh" : "")[\(t)]", label: "\(base)_\(t)",
                           value: .vector(Vector(parts.flatMap(\.value.numbers))), parts: parts)
        }
        work["d_weight_ih_l0"] = summedOverTime(T, { stacked(false, $0) }, x)
        work["d_weight_hh_l0"] = summedOverTime(T, { stacked(true, $0) }, { h($0 - 1) })
        work["d_bias_ih_l0"] = summedOverTime(T, { stacked(false, $0) }, nil)
        work["d_bias_hh_l0"] = summedOverTime(T, { stacked(true, $0) }, nil)

        // The SGD update.
        let λ = Operand(key: "learning_rate", label: "λ", value: .scalar(pass.problem.learningRate))
        for name in p.blockNames {
            let parts = name.split(separator: ".")
            guard parts.count == 2, let g = GRUGate(rawValue: String(parts[1])) else { continue }
            work[name + "'"] = Work("{0} − {1}·{2}", [param(String(parts[0]), g), λ, op("d" + name, nil, pass.gradients.parameters.value(of: name))]) { v in
                v[0].replacingNumbers(zip(v[0].numbers, v[2].numbers).map { $0 - v[1].numbers[0] * $1 })
            }
        }
        return work
    }
}
