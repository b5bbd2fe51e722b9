#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything the fast forward stores, in flat row-major buffers (row t of each).
public struct LSTMFastForward: Sendable {
    public let T: Int, H: Int, X: Int
    public var initialOut: [Double]
    public var initialState: [Double]
    /// T×4H: a_t, i_t, f_t, o_t in blocks of H.
    public var gates: [Double]
    /// T×H each.
    public var state: [Double]
    public var tanhState: [Double]
    public var out: [Double]
    /// T×4H pre-activations â, î, f̂, ô; empty unless asked for (the report's `LSTMStep.pre`).
    public var pre: [Double] = []

    /// Doubles stored for the backward pass (gates, state, tanh(state), out).
    public var storedCount: Int { gates.count + state.count + tanhState.count + out.count }
}

/// Everything the fast backward produces. The per-step δ arrays (T×H) are empty unless asked for.
public struct LSTMFastBackward: Sendable {
    /// T×4H: δa_t, δi_t, δf_t, δo_t.
    public var dGates: [Double]
    public var dState: [Double]
    public var dOut: [Double]
    /// Δout_t (what reaches out_t from step t+1).
    public var fromNext: [Double]
    /// Δout_{t−1} = Uᵀ·δgates_t.
    public var toPrevOut: [Double]
    /// T×4H: the four terms U_gᵀ·δg_t of Δout_{t−1} (a, i, f, o), kept with the deltas.
    public var toPrevOutTerms: [Double]
    /// T×X.
    public var dx: [Double]
    /// 4H×X, 4H×H, 4H (rows a, i, f, o).
    public var dW: [Double]
    public var dU: [Double]
    public var db: [Double]
    public var dInitialOut: [Double]
    public var dInitialState: [Double]
}

/// The LSTM forward pass and BPTT on contiguous stacked parameters: W·x_t for all t and the
/// weight gradients as blocked matrix products, only U·out_{t−1} and Uᵀ·δgates_t per step, no
/// allocation per timestep. Computes the same quantities as `LSTMCell.forward/backward` (the
/// reference), in a different summation order.
public struct LSTMFast: Sendable {
    public let H: Int, X: Int
    /// W = [W_a; W_i; W_f; W_o] (4H×X), U (4H×H), b (4H).
    public let W: [Double], U: [Double], b: [Double]
    /// The build of the dense kernels this pass runs (`KernelVariant.chosen` unless a test picks one).
    public let kernels: KernelVariant

    public init(_ p: LSTMParameters, kernels: KernelVariant = .chosen) {
        self.kernels = kernels
        H = p.hiddenSize
        X = p.inputSize
        var w: [Double] = [], u: [Double] = [], bb: [Double] = []
        w.reserveCapacity(4 * H * X)
        u.reserveCapacity(4 * H * H)
        bb.reserveCapacity(4 * H)
        for g in LSTMGate.allCases {
            w += p.W[g].values
            u += p.U[g].values
            bb += p.b[g].values
        }
        W = w
        U = u
        b = bb
    }

    /// Inputs x_0 … x_{T−1} as one T×X buffer.
    public static func flatten(_ vs: [Vector], width: Int) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(vs.count * width)
        for v in vs { out += v.values }
        return out
    }

    // MARK: forward

    public func forward(inputs xs: [Double], steps T: Int, initial: CellState, keepPre: Bool = false) -> LSTMFastForward {
        let H = self.H, X = self.X, G = 4 * H
        precondition(xs.count == T * X, "LSTMFast.forward: \(xs.count) inputs for T = \(T), X = \(X)")
        let h0 = initial.out.values
        let c0 = initial.state?.values ?? [Double](repeating: 0, count: H)
        // Pre-activations of every step at once: row t = b + W·x_t (T×X · X×4H, W read transposed).
        var gates = [Double](repeating: 0, count: T * G)
        gates.withUnsafeMutableBufferPointer { g in
            for t in 0..<T { for r in 0..<G { g[t * G + r] = b[r] } }
            if X > 0 && T > 0 {
                xs.withUnsafeBufferPointer { x in
                    W.withUnsafeBufferPointer { w in
                        preactivations(x.baseAddress!, w.baseAddress!, g.baseAddress!, T: T)
                    }
                }
            }
        }
        var state = [Double](repeating: 0, count: T * H)
        var tanhState = [Double](repeating: 0, count: T * H)
        var out = [Double](repeating: 0, count: T * H)
        var pre = [Double](repeating: 0, count: keepPre ? T * G : 0)
        pre.withUnsafeMutableBufferPointer { pb in
        gates.withUnsafeMutableBufferPointer { gb in
        state.withUnsafeMutableBufferPointer { sb in
        tanhState.withUnsafeMutableBufferPointer { tb in
        out.withUnsafeMutableBufferPointer { ob in
        U.withUnsafeBufferPointer { ub in
        h0.withUnsafeBufferPointer { h0b in
        c0.withUnsafeBufferPointer { c0b in
            let u = ub.baseAddress!
            if LSTMFast.splitsUnits(hidden: H) && T > 0 {
                LSTMFast.forwardSteps(kernels: kernels, T: T, H: H, u: u, h0: h0b.baseAddress!, c0: c0b.baseAddress!, gates: gb.baseAddress!,
                                      state: sb.baseAddress!, tanhState: tb.baseAddress!, out: ob.baseAddress!,
                                      pre: keepPre ? pb.baseAddress! : nil)
                return
            }
            for t in 0..<T {
                let g = gb.baseAddress! + t * G
                let hPrev = t == 0 ? h0b.baseAddress! : UnsafePointer(ob.baseAddress! + (t - 1) * H)
                let cPrev = t == 0 ? c0b.baseAddress! : UnsafePointer(sb.baseAddress! + (t - 1) * H)
                // ĝ_t += U_g·out_{t−1}
                kernels.parallelGemv(rows: G, cols: H, m: u, ld: H, v: hPrev, y: g)
                if keepPre { for r in 0..<G { pb[t * G + r] = g[r] } }
                LSTMFast.cellUpdate(units: 0..<H, H: H, g: g, prevState: cPrev, state: sb.baseAddress! + t * H,
                                    tanhState: tb.baseAddress! + t * H, out: ob.baseAddress! + t * H)
            }
        }}}}}}}}
        return LSTMFastForward(T: T, H: H, X: X, initialOut: h0, initialState: c0, gates: gates,
                               state: state, tanhState: tanhState, out: out, pre: pre)
    }

    /// g (T×4H) += xs (T×X) · Wᵀ, through a transposed copy of W (X×4H) so that the product
    /// streams rows.
    private func preactivations(_ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ g: UnsafeMutablePointer<Double>, T: Int) {
        let G = 4 * H
        // Wᵀ (X×4H), built once: 4H·X copies against T·4H·X multiply-adds.
        let wt = UnsafeMutablePointer<Double>.allocate(capacity: X * G)
        defer { wt.deallocate() }
        for r in 0..<G { for k in 0..<X { wt[k * G + r] = w[r * X + k] } }
        kernels.parallelGemm(M: T, N: G, K: X, a: x, ais: X, aks: 1, b: wt, ldb: G, c: g, ldc: G)
    }

    // MARK: backward

    /// BPTT from Δ_t = `fromLoss` (T×H). With `keepDeltas` the per-step δ of the report are
    /// kept; with `reuseGates` the forward's gate buffer is overwritten by δgates (the forward
    /// is spent), so the pass stores no second T×4H array.
    public func backward(_ f: inout LSTMFastForward, inputs xs: [Double], fromLoss: [Double],
                         options: BackwardOptions = BackwardOptions(), keepDeltas: Bool = false,
                         reuseGates: Bool = false) -> LSTMFastBackward {
        let H = self.H, X = self.X, G = 4 * H, T = f.T
        precondition(fromLoss.count == T * H, "LSTMFast.backward: \(fromLoss.count) values of Δ for T = \(T), H = \(H)")
        var dG: [Double]
        if reuseGates {
            dG = []
            swap(&dG, &f.gates)
        } else {
            dG = [Double](repeating: 0, count: T * G)
        }
        let keep = keepDeltas ? T * H : 0
        var dStateAll = [Double](repeating: 0, count: keep)
        var dOutAll = [Double](repeating: 0, count: keep)
        var fromNextAll = [Double](repeating: 0, count: keep)
        var toPrevAll = [Double](repeating: 0, count: keep)
        var termsAll = [Double](repeating: 0, count: 4 * keep)
        var fromNext = [Double](repeating: 0, count: H)       // Δout_t
        var stateFromNext = [Double](repeating: 0, count: H)  // δstate_{t+1} ⊙ f_{t+1}
        var toPrevOut = [Double](repeating: 0, count: H)
        var toPrevState = [Double](repeating: 0, count: H)
        let gatesIn = f.gates  // empty when reusing (dG holds them until overwritten)
        dG.withUnsafeMutableBufferPointer { dgb in
        gatesIn.withUnsafeBufferPointer { gib in
        f.state.withUnsafeBufferPointer { sb in
        f.tanhState.withUnsafeBufferPointer { tb in
        f.initialState.withUnsafeBufferPointer { c0b in
        fromLoss.withUnsafeBufferPointer { lb in
        U.withUnsafeBufferPointer { ub in
        fromNext.withUnsafeMutableBufferPointer { fnb in
        stateFromNext.withUnsafeMutableBufferPointer { sfb in
        toPrevOut.withUnsafeMutableBufferPointer { tpb in
        toPrevState.withUnsafeMutableBufferPointer { tsb in
        dStateAll.withUnsafeMutableBufferPointer { dsa in
        dOutAll.withUnsafeMutableBufferPointer { doa in
        fromNextAll.withUnsafeMutableBufferPointer { fna in
        toPrevAll.withUnsafeMutableBufferPointer { tpa in
        termsAll.withUnsafeMutableBufferPointer { tma in
            let fn = fnb.baseAddress!, sf = sfb.baseAddress!, tp = tpb.baseAddress!, ts = tsb.baseAddress!
            if LSTMFast.splitsUnits(hidden: H) && !keepDeltas && T > 0 {
                let partial = UnsafeMutablePointer<Double>.allocate(capacity: 4 * H)
                defer { partial.deallocate() }
                LSTMFast.backwardSteps(kernels: kernels, T: T, H: H, u: ub.baseAddress!,
                                       gates: reuseGates ? UnsafePointer(dgb.baseAddress!) : gib.baseAddress!,
                                       dGates: dgb.baseAddress!, state: sb.baseAddress!, tanhState: tb.baseAddress!,
                                       c0: c0b.baseAddress!, fromLoss: lb.baseAddress!, recurrent: options.recurrentTerms,
                                       toPrevOut: tp, toPrevState: ts, partial: partial)
                return
            }
            for t in stride(from: T - 1, through: 0, by: -1) {
                let dg = dgb.baseAddress! + t * G
                let g: UnsafePointer<Double> = reuseGates ? UnsafePointer(dg) : gib.baseAddress! + t * G
                let th = tb.baseAddress! + t * H
                let cPrev = t == 0 ? c0b.baseAddress! : sb.baseAddress! + (t - 1) * H
                let dl = lb.baseAddress! + t * H
                for j in 0..<H {
                    // δout_t = Δ_t + Δout_t
                    let dOut = dl[j] + fn[j]
                    let (dState, toPrevState) = LSTMFast.gateDeltas(j, stride: H, g: g, dg: dg, tanhState: th[j], prevState: cPrev[j],
                                                                    dOut: dOut, stateFromNext: sf[j])
                    ts[j] = toPrevState
                    if keepDeltas {
                        dsa[t * H + j] = dState
                        doa[t * H + j] = dOut
                        fna[t * H + j] = fn[j]
                    }
                    tp[j] = 0
                }
                // Δout_{t−1} = Uᵀ·δgates_t = Σ_g U_gᵀ·δg_t
                if keepDeltas {
                    for q in 0..<4 {
                        let term = tma.baseAddress! + (t * 4 + q) * H
                        kernels.gemvT(rows: H, cols: 0..<H, m: ub.baseAddress! + q * H * H, ld: H, v: dg + q * H, y: term)
                    }
                    for j in 0..<H {
                        let base = tma.baseAddress! + t * 4 * H
                        tp[j] = base[j] + base[H + j] + base[2 * H + j] + base[3 * H + j]
                        tpa[t * H + j] = tp[j]
                    }
                } else {
                    kernels.parallelGemvT(rows: G, cols: H, m: ub.baseAddress!, ld: H, v: dg, y: tp)
                }
                if options.recurrentTerms {
                    for j in 0..<H {
                        fn[j] = tp[j]
                        sf[j] = ts[j]
                    }
                }
            }
        }}}}}}}}}}}}}}}}
        // The weight gradients and δx as matrix products over all t.
        var dx = [Double](repeating: 0, count: T * X)
        var dW = [Double](repeating: 0, count: G * X)
        var dU = [Double](repeating: 0, count: G * H)
        var db = [Double](repeating: 0, count: G)
        dG.withUnsafeBufferPointer { dgb in
            let dg = dgb.baseAddress!
            if T > 0 {
                W.withUnsafeBufferPointer { w in
                    dx.withUnsafeMutableBufferPointer { d in
                        // δx (T×X) = δG (T×4H) · W (4H×X)
                        kernels.parallelGemm(M: T, N: X, K: G, a: dg, ais: G, aks: 1, b: w.baseAddress!, ldb: X, c: d.baseAddress!, ldc: X)
                    }
                }
                xs.withUnsafeBufferPointer { x in
                    dW.withUnsafeMutableBufferPointer { d in
                        // δW (4H×X) = δGᵀ · xs
                        kernels.parallelGemm(M: G, N: X, K: T, a: dg, ais: 1, aks: G, b: x.baseAddress!, ldb: X, c: d.baseAddress!, ldc: X)
                    }
                }
                dU.withUnsafeMutableBufferPointer { d in
                    // δU (4H×H) = Σ_t δG_t ⊗ out_{t−1}: rows 1… of δG against out 0…T−2, then t = 0 with out_{−1}.
                    f.out.withUnsafeBufferPointer { o in
                        if T > 1 {
                            kernels.parallelGemm(M: G, N: H, K: T - 1, a: dg + G, ais: 1, aks: G, b: o.baseAddress!, ldb: H, c: d.baseAddress!, ldc: H)
                        }
                    }
                    f.initialOut.withUnsafeBufferPointer { h0 in
                        kernels.gemm(M: G, N: H, K: 1, a: dg, ais: 1, aks: G, b: h0.baseAddress!, ldb: H, c: d.baseAddress!, ldc: H)
                    }
                }
                for t in 0..<T { for r in 0..<G { db[r] += dg[t * G + r] } }
            }
        }
        return LSTMFastBackward(dGates: dG, dState: dStateAll, dOut: dOutAll, fromNext: fromNextAll,
                                toPrevOut: toPrevAll, toPrevOutTerms: termsAll, dx: dx, dW: dW, dU: dU, db: db,
                                dInitialOut: toPrevOut, dInitialState: toPrevState)
    }
}
