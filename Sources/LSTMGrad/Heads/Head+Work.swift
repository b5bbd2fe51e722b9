/// The head's and the loss's equations as data, for every cell alike: v_t, y_t, ∂L/∂y_t,
/// ∂L/∂v_t, Δ_t, the head's gradients and its SGD update (see `Work`).
extension Pass {
    public func headWork(names: Notation) -> [String: Work] {
        let problem = self.problem
        let head = problem.head
        let loss = problem.loss
        let T = steps.count
        let scale = loss.mean ? 1 / Double(T) : 1
        var work: [String: Work] = [:]

        func op(_ base: String, _ t: Int? = nil, _ value: Value) -> Operand { names.operand(base, t: t, value) }
        func out(_ t: Int) -> Operand { op(problem.cell.outputName, t, .vector(problem.cell.output(of: steps[t]))) }
        func labels(_ t: Int) -> Vector? {
            switch problem.targets {
            case .values(let v): return v[t]
            case .classes(let k):
                var v = Vector(zeros: headSteps[t].y.count)
                v[k[t]] = 1
                return v
            case .gradients: return nil
            }
        }
        // `c·(a − b)` written as the loss scales it.
        func scaled(_ factor: Double, _ body: String) -> String { factor == 1 ? body : "\(shortest(factor))·(\(body))" }
        let flipped = "sign of the loss derivative flipped (label − prediction instead of prediction − label)"

        guard let p = head.parameters else {
            // No head: Δ_t = ∂L/∂out_t straight from the loss.
            if loss.kind == .l2 {
                let factor = scale * (loss.half ? 1 : 2)
                for t in 0..<T {
                    guard let label = labels(t) else { continue }
                    let ops = [out(t), op("label", t, .vector(label))]
                    work["Delta[\(t)]"] = Work(scaled(factor, "{0} − {1}"), ops,
                                               mistakes: [Work.Mistake(flipped) { v in .vector(factor * (v[1].vector - v[0].vector)) }]) { v in
                        .vector(factor * (v[0].vector - v[1].vector))
                    }
                }
            }
            return work
        }

        // Parameters labelled as the notation writes them (and their updates).
        let V = Operand(key: "V", label: names.label("V'"), value: .matrix(p.V))
        let c = Operand(key: "c", label: names.label("c'"), value: .vector(p.c))
        for t in 0..<T {
            // v_t = V·out_t + c;  y_t = act(v_t)
            work["v[\(t)]"] = Work("{0}·{1} + {2}", [V, out(t), c]) { v in .vector(v[0].matrix.times(v[1].vector) + v[2].vector) }
            let vt = op("v", t, .vector(headSteps[t].v))
            let yt = op("y", t, .vector(headSteps[t].y))
            switch head.kind {
            case .linear: work["y[\(t)]"] = Work("{0}", [vt]) { v in v[0] }
            case .sigmoid: work["y[\(t)]"] = Work("σ({0})", [vt]) { v in .vector(Activation.sigmoid.apply(v[0].vector)) }
            case .softmax: work["y[\(t)]"] = Work("softmax({0})", [vt]) { v in .vector(softmax(v[0].vector)) }
            case .none: break
            }
            // ∂L/∂y_t and ∂L/∂v_t.
            let label = labels(t).map { op("label", t, .vector($0)) }
            let dyt = op("dy", t, .vector(dy[t]))
            switch (loss.kind, head.kind) {
            case (.l2, _):
                let factor = scale * (loss.half ? 1 : 2)
                if let l = label {
                    work["dy[\(t)]"] = Work(scaled(factor, "{0} − {1}"), [yt, l],
                                            mistakes: [Work.Mistake(flipped) { v in .vector(factor * (v[1].vector - v[0].vector)) }]) { v in
                        .vector(factor * (v[0].vector - v[1].vector))
                    }
                }
            case (.crossEntropy, _), (.binaryCrossEntropy, _):
                // Fused: ∂L/∂v_t = y_t − label_t (times Σ label for unnormalised targets).
                if let l = label, abs(l.value.vector.sum - 1) < 1e-12 || loss.kind == .binaryCrossEntropy {
                    work["dv[\(t)]"] = Work(scaled(scale, "{0} − {1}"), [yt, l],
                                            mistakes: [Work.Mistake(flipped) { v in .vector(scale * (v[1].vector - v[0].vector)) }]) { v in
                        .vector(scale * (v[0].vector - v[1].vector))
                    }
                }
            default:
                break
            }
            if loss.kind != .crossEntropy && loss.kind != .binaryCrossEntropy {
                switch head.kind {
                case .linear: work["dv[\(t)]"] = Work("{0}", [dyt]) { v in v[0] }
                case .sigmoid:
                    work["dv[\(t)]"] = Work("{0} ⊙ {1} ⊙ (1 − {1})", [dyt, yt]) { v in .vector(v[0].vector * v[1].vector * oneMinus(v[1].vector)) }
                default: break
                }
            }
            // Δ_t = Vᵀ·dv_t
            work["Delta[\(t)]"] = Work("{0}ᵀ·{1}", [V, op("dv", t, .vector(dv[t]))]) { v in .vector(v[0].matrix.transposedTimes(v[1].vector)) }
        }
        // δV = Σ_t dv_t ⊗ out_t;  δc = Σ_t dv_t;  V' = V − λ·δV.
        let dvs = (0..<T).map { op("dv", $0, .vector(dv[$0])) }
        work["dV"] = Work((0..<T).map { "{\(2 * $0)} ⊗ {\(2 * $0 + 1)}" }.joined(separator: " + "),
                          (0..<T).flatMap { [dvs[$0], out($0)] }) { v in
            var sum = Matrix.outer(v[0].vector, v[1].vector)
            for k in stride(from: 2, to: v.count, by: 2) { sum = sum + Matrix.outer(v[k].vector, v[k + 1].vector) }
            return .matrix(sum)
        }
        work["dc"] = Work((0..<T).map { "{\($0)}" }.joined(separator: " + "), dvs) { v in
            .vector(v.dropFirst().reduce(v[0].vector) { $0 + $1.vector })
        }
        if let g = headGradients {
            let λ = Operand(key: "learning_rate", label: "λ", value: .scalar(problem.learningRate))
            for block in p.blockNames {
                work[block + "'"] = Work("{0} − {1}·{2}", [Operand(key: block, label: names.label(block + "'"), value: p.value(of: block)), λ, op("d" + block, nil, g.value(of: block))]) { v in
                    v[0].replacingNumbers(zip(v[0].numbers, v[2].numbers).map { $0 - v[1].numbers[0] * $1 })
                }
            }
        }
        return work
    }
}
