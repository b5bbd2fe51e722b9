/// A buffer of doubles owned by a batched pass, freed with it.
final class DoubleBuffer: @unchecked Sendable {
    let p: UnsafeMutablePointer<Double>
    let count: Int

    /// `zeroed: false` for a buffer the caller writes in full before reading.
    init(_ count: Int, zeroed: Bool = true) {
        self.count = count
        p = .allocate(capacity: max(count, 1))
        if zeroed { p.initialize(repeating: 0, count: max(count, 1)) }
    }

    deinit { p.deallocate() }
}

/// Everything the batched forward stores, rows (t, b) = row t·B + b in the direction's own time
/// order. Each gate block of a row is padded to `LSTMBatch.stride` columns.
struct LSTMBatchForward {
    /// T·B rows of 4·stride: a, i, f, o (pre-activations, then activations; δgates after backward).
    let gates: DoubleBuffer
    /// (T+1)·B rows of H: the B initial rows, then state_t / out_t of step t.
    let state: DoubleBuffer
    let out: DoubleBuffer
    /// T·B rows of H.
    let tanhState: DoubleBuffer
}

/// One LSTM layer in one direction over B sequences of T steps at once: the sequences are the
/// rows of one matrix product per step. The input projections b + W·x of every (t, b) are one
/// product before the loop; each step adds out_{t−1}·Uᵀ (B×H by H×4H) and applies the gates
/// four units at a time (`Kernels.lstmCellUpdate`: σ and tanh to a few ulp of libm's).
/// Backward, each step takes δ of the gates (`LSTMFast.gateDeltas`) and Δout_{t−1} =
/// δgates_t·U (B×4H by 4H×H), and after the loop δW, δU, δb and δx are products over all T·B
/// rows. The time loops run on two threads (`runSteps`): each over half of the sequences, or,
/// for fewer than four, over half of the hidden units (a multiple of 8: whole 8-column panels of
/// each gate) as `LSTMFast`; every sum runs in one order whatever the number of threads.
struct LSTMBatch {
    let H: Int, X: Int
    /// The columns of one gate in a row of `gates`: H rounded up to 8, so that each gate starts
    /// a panel of the packed products.
    let stride: Int
    let kernels: KernelVariant
    /// W (4·stride × X), U (4·stride × H), b (4·stride): rows a, i, f, o, padding rows zero.
    let W: DoubleBuffer, U: DoubleBuffer, b: DoubleBuffer
    /// Wᵀ and Uᵀ packed for the forward products, U and W for the backward ones.
    let packedWT: DoubleBuffer, packedUT: DoubleBuffer, packedU: DoubleBuffer, packedW: DoubleBuffer

    var G: Int { 4 * stride }

    init(_ p: LSTMParameters, kernels: KernelVariant = .chosen) {
        let fast = LSTMFast(p, kernels: kernels)
        H = fast.H
        X = fast.X
        stride = (H + 7) & ~7
        self.kernels = kernels
        let G = 4 * stride, H = self.H, X = self.X, S = stride
        W = DoubleBuffer(G * X)
        U = DoubleBuffer(G * H)
        b = DoubleBuffer(G)
        for q in 0..<4 {
            for j in 0..<H {
                for k in 0..<X { W.p[(q * S + j) * X + k] = fast.W[(q * H + j) * X + k] }
                for k in 0..<H { U.p[(q * S + j) * H + k] = fast.U[(q * H + j) * H + k] }
                b.p[q * S + j] = fast.b[q * H + j]
            }
        }
        packedWT = DoubleBuffer(KernelVariant.packedCount(K: X, N: G))
        packedUT = DoubleBuffer(KernelVariant.packedCount(K: H, N: G))
        packedU = DoubleBuffer(KernelVariant.packedCount(K: G, N: H))
        packedW = DoubleBuffer(KernelVariant.packedCount(K: G, N: X))
        if X > 0 {
            kernels.packB(K: X, N: G, b: W.p, bks: 1, bjs: X, into: packedWT.p)
            kernels.packB(K: G, N: X, b: W.p, bks: X, bjs: 1, into: packedW.p)
        }
        let (u, ut, un) = (UnsafePointer(U.p), packedUT.p, packedU.p)
        Parallel.both({ kernels.packB(K: H, N: G, b: u, bks: 1, bjs: H, into: ut) },
                      { kernels.packB(K: G, N: H, b: u, bks: H, bjs: 1, into: un) })
    }

    /// The hidden units of thread `part`: [0, mid) and [mid, H), mid a multiple of 8; all when nil.
    func units(_ part: Int?) -> Range<Int> {
        let mid = (H / 2) & ~7
        switch part {
        case 0: return 0..<mid
        case 1: return mid..<H
        default: return 0..<H
        }
    }

    /// The 8-column panels of `units(part)` in a product whose gate q starts at column
    /// q·`gateStart`; nil (every panel) when `part` is nil.
    func panels(_ part: Int?, gate q: Int, gateStart: Int) -> Range<Int>? {
        guard let part else { return nil }
        let js = units(part)
        let first = (q * gateStart + js.lowerBound) / 8
        return part == 0 ? first..<first + js.count / 8 : first..<(q * gateStart + stride) / 8
    }

    /// The time loops use two threads from this many multiply-adds a step.
    func threaded(_ B: Int) -> Bool { B * 4 * H * H >= 1 << 16 }

    /// Runs `step(sequences, part, s)` for s = 0 ..< T. On two threads when the batch pays for it:
    /// from four sequences each thread takes half of them, all units, and runs its own time loop
    /// (sequences do not meet until the products after the loop); with fewer, each thread takes
    /// half of the units (`part` 0 or 1) of every sequence, one hand-off per step
    /// (`LSTMFast.pairedSteps`). Else this thread runs all (`part` nil). Each value is computed by
    /// the same operations in every case, so the output does not depend on the thread count.
    func runSteps(_ T: Int, B: Int, step: @escaping (_ sequences: Range<Int>, _ part: Int?, _ s: Int) -> Void) {
        guard threaded(B), Parallel.cores > 1 else {
            for s in 0..<T { step(0..<B, nil, s) }
            return
        }
        if B >= 4 {
            let half = B / 2
            Parallel.both({ for s in 0..<T { step(half..<B, nil, s) } }, { for s in 0..<T { step(0..<half, nil, s) } })
        } else {
            LSTMFast.pairedSteps(T, step: { part, s in step(0..<B, part, s) })
        }
    }

    /// Forward over `xs` (T·B rows of X, rows (t, b)), from h0 and c0 (B rows of H each).
    func forward(xs: UnsafePointer<Double>, B: Int, T: Int, h0: UnsafePointer<Double>, c0: UnsafePointer<Double>) -> LSTMBatchForward {
        let H = self.H, X = self.X, G = self.G, S = stride
        let f = LSTMBatchForward(gates: DoubleBuffer(T * B * G, zeroed: false), state: DoubleBuffer((T + 1) * B * H, zeroed: false),
                                 out: DoubleBuffer((T + 1) * B * H, zeroed: false), tanhState: DoubleBuffer(T * B * H, zeroed: false))
        let gates = f.gates.p, state = f.state.p, out = f.out.p, tanhState = f.tanhState.p
        // b + W·x for every (t, b): (T·B × X) · (X × 4·stride), each thread's rows filled with b
        // just before its product.
        let bias = UnsafePointer(b.p), kernelsNow = kernels, packedWT = UnsafePointer(self.packedWT.p)
        let projection = { (rows: Range<Int>) in
            for r in rows { (gates + r * G).update(from: bias, count: G) }
            if X > 0 {
                kernelsNow.gemmPacked(M: T * B, N: G, K: X, a: xs, ais: X, aks: 1, packedB: packedWT, c: gates, ldc: G, rows: rows)
            }
        }
        let TB = T * B, half = (TB / 2) / 6 * 6
        if Parallel.cores > 1 && TB * G * max(X, 1) >= Parallel.minimumWork {
            Parallel.both({ projection(half..<TB) }, { projection(0..<half) })
        } else {
            projection(0..<TB)
        }
        out.update(from: h0, count: B * H)
        state.update(from: c0, count: B * H)
        let kernels = self.kernels, packedUT = UnsafePointer(self.packedUT.p)
        let batch = self
        runSteps(T, B: B, step: { seqs, part, t in
            let g = gates + t * B * G
            // ĝ_t += out_{t−1}·U_gᵀ for these sequences and this thread's columns of each gate
            let rows = seqs.lowerBound * G, prev = out + (t * B + seqs.lowerBound) * H
            if part == nil {
                kernels.gemmPacked(M: seqs.count, N: G, K: H, a: prev, ais: H, aks: 1, packedB: packedUT, c: g + rows, ldc: G)
            } else {
                for q in 0..<4 {
                    kernels.gemmPacked(M: seqs.count, N: G, K: H, a: prev, ais: H, aks: 1, packedB: packedUT, c: g + rows, ldc: G,
                                       panels: batch.panels(part, gate: q, gateStart: S))
                }
            }
            let js = batch.units(part)
            for s in seqs {
                let row = (t + 1) * B + s
                kernels.lstmCellUpdate(units: js, stride: S, g: g + s * G, prevState: state + (row - B) * H, state: state + row * H,
                                       tanhState: tanhState + (t * B + s) * H, out: out + row * H)
            }
        })
        return f
    }

    /// The gradients of one layer-direction summed over the batch, in the padded row layout
    /// (4·stride rows), and δx (T·B rows of X).
    struct Gradients {
        let dW: DoubleBuffer, dU: DoubleBuffer, db: DoubleBuffer, dx: DoubleBuffer
    }

    /// BPTT from Δ_t (`fromLoss`: T·B rows of H, the direction's time order); the forward's gates
    /// become δgates. δx is left zero unless `inputGradient` (the first layer's is not needed).
    func backward(_ f: LSTMBatchForward, xs: UnsafePointer<Double>, B: Int, T: Int, fromLoss: UnsafePointer<Double>,
                  recurrent: Bool, inputGradient: Bool = true) -> Gradients {
        let H = self.H, X = self.X, G = self.G, S = stride
        let gates = f.gates.p, state = UnsafePointer(f.state.p), tanhState = UnsafePointer(f.tanhState.p)
        let fromNext = DoubleBuffer(B * H), stateFromNext = DoubleBuffer(B * H)
        let fn = fromNext.p, sf = stateFromNext.p
        let kernels = self.kernels, packedU = UnsafePointer(self.packedU.p)
        let batch = self
        runSteps(T, B: B, step: { seqs, part, step in
            let t = T - 1 - step
            let js = batch.units(part)
            let chained = step > 0 && recurrent
            if chained {
                // Δout_t = δgates_{t+1}·U for these sequences and this thread's units
                for s in seqs { for j in js { fn[s * H + j] = 0 } }
                kernels.gemmPacked(M: seqs.count, N: H, K: G, a: gates + ((t + 1) * B + seqs.lowerBound) * G, ais: G, aks: 1,
                                   packedB: packedU, c: fn + seqs.lowerBound * H, ldc: H, panels: batch.panels(part, gate: 0, gateStart: 0))
            }
            let g = gates + t * B * G
            for s in seqs {
                let row = t * B + s
                let gs = g + s * G, th = tanhState + row * H, cPrev = state + row * H, dl = fromLoss + row * H
                let fns = fn + s * H, sfs = sf + s * H
                for j in js {
                    sfs[j] = LSTMFast.gateDeltas(j, stride: S, g: gs, dg: gs, tanhState: th[j], prevState: cPrev[j],
                                                 dOut: dl[j] + (chained ? fns[j] : 0), stateFromNext: chained ? sfs[j] : 0).toPrevState
                }
            }
        })
        let TB = T * B
        let grads = Gradients(dW: DoubleBuffer(G * X), dU: DoubleBuffer(G * H), db: DoubleBuffer(G),
                              dx: DoubleBuffer(inputGradient ? TB * X : 0))
        if TB > 0 {
            if X > 0 {
                // δx = δG·W (T·B × X), δW = δGᵀ·xs (4·stride × X)
                if inputGradient {
                    kernels.parallelGemmPacked(M: TB, N: X, K: G, a: gates, ais: G, aks: 1, packedB: packedW.p, c: grads.dx.p, ldc: X)
                }
                kernels.parallelGemm(M: G, N: X, K: TB, a: gates, ais: 1, aks: G, b: xs, bks: X, bjs: 1, c: grads.dW.p, ldc: X)
            }
            // δU = δGᵀ·out_{t−1} over all (t, b): the out rows 0 ..< T·B start with the initial ones.
            kernels.parallelGemm(M: G, N: H, K: TB, a: gates, ais: 1, aks: G, b: f.out.p, bks: H, bjs: 1, c: grads.dU.p, ldc: H)
            // δb = Σ over the rows of δG, in row order; the columns split between two threads.
            let db = grads.db.p, dG = UnsafePointer(gates)
            let columnSums = { (cols: Range<Int>) in
                for r in 0..<TB { for k in cols { db[k] += dG[r * G + k] } }
            }
            if Parallel.cores > 1 && TB * G >= Parallel.minimumWork {
                Parallel.both({ columnSums((G / 2)..<G) }, { columnSums(0..<(G / 2)) })
            } else {
                columnSums(0..<G)
            }
        }
        return grads
    }
}
