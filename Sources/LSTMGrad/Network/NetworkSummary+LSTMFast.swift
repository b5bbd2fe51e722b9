extension GradientSummary {
    /// A network's loss and total gradients through `LSTMBatch`: each layer and direction is one
    /// kernel run over all B sequences at once, in its own time order (the reverse direction's
    /// inputs and Δ_t reversed); layer k+1's input is [forward; reverse] of layer k's outputs,
    /// and layer k's Δ_t its part of layer k+1's δx_t. The head runs sequence by sequence. The
    /// same values as `NetworkPass` (tests compare), without naming every one.
    public init(fastNetwork n: NetworkProblem<LSTMCell>, model: String = "lstm", options: BackwardOptions = BackwardOptions(),
                kernels: KernelVariant = .chosen) {
        let r = BatchedNetworkGradients(n, options: options, kernels: kernels)
        self.init(model: model, hidden: n.hiddenSize, input: n.inputSize, steps: n.steps, loss: r.loss,
                  blocks: r.blocks.map { Block(name: $0.name.description, values: $0.values) },
                  forwardSeconds: r.forwardSeconds, backwardSeconds: r.backwardSeconds, storedActivations: 0,
                  parameterCount: r.parameterCount)
    }
}

/// The loss and every total gradient block of an LSTM network (`dW.a@l1.reverse`, `dV`) through
/// `LSTMBatch`, with the time the forward (head included) and the backward took.
struct BatchedNetworkGradients {
    var loss = 0.0
    var blocks: [(name: QuantityName, values: [Double])] = []
    var parameterCount = 0
    var forwardSeconds = 0.0, backwardSeconds = 0.0

    init(_ n: NetworkProblem<LSTMCell>, options: BackwardOptions, kernels: KernelVariant) {
        let L = n.layers, D = n.directions, B = n.sequenceCount, T = n.steps, H = n.hiddenSize
        let t0 = monotonicSeconds()
        let batches = n.cells.map { $0.map { LSTMBatch($0.parameters, kernels: kernels) } }
        /// Row (t, b) of a T·B-row buffer as row (T−1−t, b): a direction's own time order and back.
        func reversedSteps(_ a: DoubleBuffer, _ width: Int) -> DoubleBuffer {
            let out = DoubleBuffer(a.count, zeroed: false)
            let block = B * width
            for t in 0..<T { (out.p + (T - 1 - t) * block).update(from: a.p + t * block, count: block) }
            return out
        }
        // Layer 0's input, rows (t, b).
        var input = DoubleBuffer(T * B * n.inputSize, zeroed: false)
        for b in 0..<B {
            for t in 0..<T {
                let v = n.inputs[b][t].values
                for k in 0..<n.inputSize { input.p[(t * B + b) * n.inputSize + k] = v[k] }
            }
        }
        var runs: [[(forward: LSTMBatchForward, inputs: DoubleBuffer)]] = []
        for l in 0..<L {
            var row: [(forward: LSTMBatchForward, inputs: DoubleBuffer)] = []
            let next = DoubleBuffer(T * B * D * H, zeroed: false)
            for d in 0..<D {
                let xs = d == 1 ? reversedSteps(input, batches[l][d].X) : input
                let h0 = DoubleBuffer(B * H), c0 = DoubleBuffer(B * H)
                for b in 0..<B {
                    let s = n.initial[l][d][b]
                    for k in 0..<H {
                        h0.p[b * H + k] = s.out.values[k]
                        c0.p[b * H + k] = s.state?.values[k] ?? 0
                    }
                }
                let f = batches[l][d].forward(xs: xs.p, B: B, T: T, h0: h0.p, c0: c0.p)
                for t in 0..<T {
                    let from = (d == 1 ? T - 1 - t : t) + 1  // out rows start with the initial ones
                    for b in 0..<B {
                        (next.p + (t * B + b) * D * H + d * H).update(from: f.out.p + (from * B + b) * H, count: H)
                    }
                }
                row.append((f, xs))
            }
            runs.append(row)
            input = next
        }
        // The head on top_t = [forward; reverse] of the top layer, sequence by sequence: the
        // sequences split between two threads, the sums taken after in the order b = 0, 1, ….
        let top = input, width = D * H
        let headBlocks = n.head.parameters?.blockNames ?? []
        let fromAbove0 = DoubleBuffer(T * B * width, zeroed: false)  // rows (t, b), real time
        var heads = [(loss: Double, gradients: [[Double]])](repeating: (0, []), count: B)
        heads.withUnsafeMutableBufferPointer { hb in
            let results = hb.baseAddress!
            let run = { (sequences: Range<Int>) in
                for b in sequences {
                    let problem = Problem(cell: n.cells[L - 1][0], head: n.head, loss: n.loss, inputs: n.inputs[b], targets: n.targets[b],
                                          initial: n.initial[L - 1][0][b], learningRate: n.learningRate)
                    let hp = HeadPass(problem, outputs: { t in
                        Vector(Array(UnsafeBufferPointer(start: top.p + (t * B + b) * width, count: width)))
                    })
                    results[b] = (hp.losses.reduce(0, +), headBlocks.map { hp.values.value($0.gradient).numbers })
                    for t in 0..<T {
                        for k in 0..<width { fromAbove0.p[(t * B + b) * width + k] = hp.fromLoss[t * width + k] }
                    }
                }
            }
            if Parallel.cores > 1 && B > 1 {
                Parallel.both({ run((B / 2)..<B) }, { run(0..<(B / 2)) })
            } else {
                run(0..<B)
            }
        }
        var headGradients: [QuantityName: [Double]] = [:]
        for (l, g) in heads {
            loss += l
            for (block, values) in zip(headBlocks, g) {
                headGradients[block.gradient] = zip(headGradients[block.gradient] ?? [Double](repeating: 0, count: values.count), values).map(+)
            }
        }
        var fromAbove = fromAbove0
        let t1 = monotonicSeconds()
        var grads: [[LSTMBatch.Gradients]] = Array(repeating: [], count: L)
        for l in (0..<L).reversed() {
            let X = batches[l][0].X
            // Layer 0's δx is not asked for: only the layers above need their input's δ.
            let dInput = DoubleBuffer(l > 0 ? T * B * X : 0)
            for d in 0..<D {
                var delta = fromAbove  // rows of width H when there is one direction
                if D > 1 {
                    delta = DoubleBuffer(T * B * H, zeroed: false)
                    for t in 0..<T {
                        let own = d == 1 ? T - 1 - t : t
                        for b in 0..<B {
                            (delta.p + (own * B + b) * H).update(from: fromAbove.p + (t * B + b) * width + d * H, count: H)
                        }
                    }
                }
                let g = batches[l][d].backward(runs[l][d].forward, xs: runs[l][d].inputs.p, B: B, T: T, fromLoss: delta.p,
                                               recurrent: options.recurrentTerms, inputGradient: l > 0)
                if l > 0 {
                    let dx = d == 1 ? reversedSteps(g.dx, X) : g.dx
                    for k in 0..<dInput.count { dInput.p[k] += dx.p[k] }
                }
                grads[l].append(g)
            }
            fromAbove = dInput
        }
        forwardSeconds = t1 - t0
        backwardSeconds = monotonicSeconds() - t1
        for l in 0..<L {
            for d in 0..<D {
                let X = batches[l][d].X, S = batches[l][d].stride
                /// Gate g's H rows of a padded 4·stride-row gradient.
                func rows(_ a: DoubleBuffer, _ g: LSTMGate, _ cols: Int) -> [Double] {
                    Array(UnsafeBufferPointer(start: a.p + Pass<LSTMCell>.offset(g) * S * cols, count: H * cols))
                }
                let g = grads[l][d]
                var gradients = LSTMParameters(W: PerGate { q in Matrix(rows: H, cols: X, values: rows(g.dW, q, X)) },
                                               U: PerGate { q in Matrix(rows: H, cols: H, values: rows(g.dU, q, H)) },
                                               b: PerGate { q in Vector(rows(g.db, q, 1)) })
                gradients.hasBias = n.cells[l][d].parameters.hasBias
                for name in gradients.blockNames {
                    blocks.append((name.gradient.placed(layer: l, reverse: d == 1, sequence: nil), gradients[block: name]))
                }
                parameterCount += n.cells[l][d].parameters.parameterCount
            }
        }
        for block in n.head.parameters?.blockNames ?? [] {
            blocks.append((block.gradient, headGradients[block.gradient] ?? []))
        }
        parameterCount += n.head.parameters?.parameterCount ?? 0
    }
}
