extension GradientSummary {
    /// A network's loss and total gradients through `LSTMFast`: each layer, direction and
    /// sequence is one kernel run over its own time order (the reverse direction's inputs and
    /// Δ_t reversed); layer k+1's input is [forward; reverse] of layer k's outputs, and layer
    /// k's Δ_t its part of layer k+1's δx_t. The same values as `NetworkPass` (tests compare),
    /// without naming every one.
    public init(fastNetwork n: NetworkProblem<LSTMCell>, model: String = "lstm", options: BackwardOptions = BackwardOptions()) {
        let L = n.layers, D = n.directions, B = n.sequenceCount, T = n.steps, H = n.hiddenSize
        let kernels = n.cells.map { $0.map { LSTMFast($0.parameters) } }
        // Accumulated over the batch, [layer][direction], rows a, i, f, o.
        var dW = kernels.map { $0.map { [Double](repeating: 0, count: 4 * H * $0.X) } }
        var dU = kernels.map { $0.map { _ in [Double](repeating: 0, count: 4 * H * H) } }
        var db = kernels.map { $0.map { _ in [Double](repeating: 0, count: 4 * H) } }
        var headGradients: [QuantityName: [Double]] = [:]
        var loss = 0.0
        var forwardSeconds = 0.0, backwardSeconds = 0.0
        /// Rows of a T×width buffer in reverse order (a direction's own time order and back).
        func reversedRows(_ a: [Double], _ width: Int) -> [Double] {
            var out = [Double](repeating: 0, count: a.count)
            for t in 0..<T { for k in 0..<width { out[(T - 1 - t) * width + k] = a[t * width + k] } }
            return out
        }
        for b in 0..<B {
            let t0 = monotonicSeconds()
            var input = LSTMFast.flatten(n.inputs[b], width: n.inputSize)
            var runs: [[(forward: LSTMFastForward, inputs: [Double])]] = []
            for l in 0..<L {
                var row: [(forward: LSTMFastForward, inputs: [Double])] = []
                let width = kernels[l][0].X
                var next = [Double](repeating: 0, count: T * D * H)
                for d in 0..<D {
                    let xs = d == 1 ? reversedRows(input, width) : input
                    let f = kernels[l][d].forward(inputs: xs, steps: T, initial: n.initial[l][d][b])
                    let out = d == 1 ? reversedRows(f.out, H) : f.out
                    for t in 0..<T { for k in 0..<H { next[t * D * H + d * H + k] = out[t * H + k] } }
                    row.append((f, xs))
                }
                runs.append(row)
                input = next
            }
            // The head on top_t = [forward; reverse] of the top layer.
            let top = input
            let problem = Problem(cell: n.cells[L - 1][0], head: n.head, loss: n.loss, inputs: n.inputs[b], targets: n.targets[b],
                                  initial: n.initial[L - 1][0][b], learningRate: n.learningRate)
            let hp = HeadPass(problem, outputs: { t in Vector(Array(top[(t * D * H)..<((t + 1) * D * H)])) })
            loss += hp.losses.reduce(0, +)
            for block in n.head.parameters?.blockNames ?? [] {
                let g = hp.values.value(block.gradient).numbers
                headGradients[block.gradient] = zip(headGradients[block.gradient] ?? [Double](repeating: 0, count: g.count), g).map(+)
            }
            let t1 = monotonicSeconds()
            var fromAbove = hp.fromLoss  // T × D·H, real time
            for l in (0..<L).reversed() {
                let width = kernels[l][0].X
                var dInput = [Double](repeating: 0, count: T * width)
                for d in 0..<D {
                    var delta = [Double](repeating: 0, count: T * H)
                    for t in 0..<T { for k in 0..<H { delta[t * H + k] = fromAbove[t * D * H + d * H + k] } }
                    var f = runs[l][d].forward
                    let g = kernels[l][d].backward(&f, inputs: runs[l][d].inputs, fromLoss: d == 1 ? reversedRows(delta, H) : delta,
                                                   options: options, reuseGates: true)
                    for k in dW[l][d].indices { dW[l][d][k] += g.dW[k] }
                    for k in dU[l][d].indices { dU[l][d][k] += g.dU[k] }
                    for k in db[l][d].indices { db[l][d][k] += g.db[k] }
                    let dx = d == 1 ? reversedRows(g.dx, width) : g.dx
                    for k in dInput.indices { dInput[k] += dx[k] }
                }
                fromAbove = dInput
            }
            forwardSeconds += t1 - t0
            backwardSeconds += monotonicSeconds() - t1
        }
        var blocks: [Block] = []
        var parameterCount = 0
        for l in 0..<L {
            for d in 0..<D {
                let X = kernels[l][d].X
                func rows(_ a: [Double], _ g: LSTMGate, _ cols: Int) -> [Double] {
                    let from = Pass<LSTMCell>.offset(g) * H * cols
                    return Array(a[from..<(from + H * cols)])
                }
                var gradients = LSTMParameters(W: PerGate { g in Matrix(rows: H, cols: X, values: rows(dW[l][d], g, X)) },
                                               U: PerGate { g in Matrix(rows: H, cols: H, values: rows(dU[l][d], g, H)) },
                                               b: PerGate { g in Vector(rows(db[l][d], g, 1)) })
                gradients.hasBias = n.cells[l][d].parameters.hasBias
                for name in gradients.blockNames {
                    blocks.append(Block(name: name.gradient.placed(layer: l, reverse: d == 1, sequence: nil).description, values: gradients[block: name]))
                }
                parameterCount += n.cells[l][d].parameters.parameterCount
            }
        }
        for block in n.head.parameters?.blockNames ?? [] {
            blocks.append(Block(name: block.gradient.description, values: headGradients[block.gradient] ?? []))
        }
        parameterCount += n.head.parameters?.parameterCount ?? 0
        self.init(model: model, hidden: H, input: n.inputSize, steps: T, loss: loss, blocks: blocks,
                  forwardSeconds: forwardSeconds, backwardSeconds: backwardSeconds, storedActivations: 0, parameterCount: parameterCount)
    }
}
