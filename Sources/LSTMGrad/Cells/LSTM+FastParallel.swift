import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time loops of `LSTMFast` on the machine's two cores. Each thread owns half of the hidden
/// units j and the rows g·H + j of U that feed them, in the forward and the backward pass alike,
/// so each core keeps its half of U in its own cache across the steps. One hand-off per step:
/// a thread publishes how many steps it has finished and waits for the other's. On one core the
/// same halves run one after the other, so the result does not depend on the thread count.
final class PairProgress: Sendable {
    let first = Atomic<Int>(0)
    let second = Atomic<Int>(0)

    func publish(_ part: Int, _ steps: Int) {
        if part == 0 {
            first.store(steps, ordering: .releasing)
        } else {
            second.store(steps, ordering: .releasing)
        }
    }

    func load(_ part: Int) -> Int {
        part == 0 ? first.load(ordering: .acquiring) : second.load(ordering: .acquiring)
    }

    /// Waits until the other thread has finished `steps` steps (spins briefly, then yields the core).
    func wait(forOtherThan part: Int, _ steps: Int) {
        var spins = 0
        while load(1 - part) < steps {
            spins += 1
            if spins > 64 { sched_yield() }
        }
    }
}

extension LSTMFast {
    /// The time loops split the hidden units in two halves once U has this many entries
    /// (4H·H ≥ 64 Ki: H ≥ 128), on one core or two alike: the sums are then reduced in the same
    /// order whatever the number of threads, and the output is byte-identical.
    static func splitsUnits(hidden H: Int) -> Bool { 4 * H * H >= 1 << 16 }

    /// The hidden units of half `part`: [0, H/2) and [H/2, H), the split a multiple of 4.
    static func units(_ part: Int, _ H: Int) -> Range<Int> {
        let mid = (H / 2) & ~3
        return part == 0 ? 0..<mid : mid..<H
    }

    /// Runs `step(part, s)` for both halves at each of `count` steps, then `finish(part)`: on two
    /// threads with one hand-off per step when there are two cores (a thread publishes how many
    /// steps it has finished and waits for the other's before the next), else half 0 then half 1
    /// on this thread. Either way every value is computed by the same operations.
    static func pairedSteps(_ count: Int, step: @escaping (_ part: Int, _ s: Int) -> Void,
                            finish: @escaping (_ part: Int) -> Void = { _ in }) {
        guard Parallel.cores > 1 else {
            for s in 0..<count { step(0, s); step(1, s) }
            finish(0); finish(1)
            return
        }
        let progress = PairProgress()
        let body = { (part: Int) in
            for s in 0..<count {
                if s > 0 { progress.wait(forOtherThan: part, s) }
                step(part, s)
                progress.publish(part, s + 1)
            }
            progress.wait(forOtherThan: part, count)
            finish(part)
        }
        Parallel.both({ body(1) }, { body(0) })
    }

    /// One step's pointwise part for the hidden units `units`: the pre-activations in `g` (4H,
    /// gates a, i, f, o) become a = tanh(â), i, f, o = σ(·) in place;
    /// state_t = a ⊙ i + f ⊙ state_{t−1}, tanh(state_t), out_t = tanh(state_t) ⊙ o are written.
    @inline(__always)
    static func cellUpdate(units: Range<Int>, H: Int, g: UnsafeMutablePointer<Double>, prevState: UnsafePointer<Double>,
                           state: UnsafeMutablePointer<Double>, tanhState: UnsafeMutablePointer<Double>,
                           out: UnsafeMutablePointer<Double>) {
        for j in units {
            let a = libmTanh(g[j])
            let i = sigmoid(g[H + j]), f = sigmoid(g[2 * H + j]), o = sigmoid(g[3 * H + j])
            g[j] = a; g[H + j] = i; g[2 * H + j] = f; g[3 * H + j] = o
            let c = a * i + f * prevState[j]
            let tc = libmTanh(c)
            state[j] = c
            tanhState[j] = tc
            out[j] = tc * o
        }
    }

    /// One unit j's δ at a step, from δout_t = Δ_t + Δout_t (`dOut`) and δstate_{t+1} ⊙ f_{t+1}
    /// (`stateFromNext`): the gates a, i, f, o at g[j + q·stride] are read, then δa, δi, δf, δo
    /// written at dg[j + q·stride] (dg may be g). Returns δstate_t and δstate_t ⊙ f_t.
    @inline(__always)
    static func gateDeltas(_ j: Int, stride H: Int, g: UnsafePointer<Double>, dg: UnsafeMutablePointer<Double>, tanhState tc: Double,
                           prevState: Double, dOut: Double, stateFromNext: Double) -> (dState: Double, toPrevState: Double) {
        let a = g[j], i = g[H + j], fg = g[2 * H + j], o = g[3 * H + j]
        // δstate_t = δout_t ⊙ o_t ⊙ (1 − tanh²(state_t)) + δstate_{t+1} ⊙ f_{t+1}
        let dState = dOut * o * (1 - tc * tc) + stateFromNext
        // δa = δstate⊙i⊙(1−a²), δi = δstate⊙a⊙i⊙(1−i), δf = δstate⊙state_{t−1}⊙f⊙(1−f),
        // δo = δout⊙tanh(state)⊙o⊙(1−o)
        dg[j] = dState * i * (1 - a * a)
        dg[H + j] = dState * a * i * (1 - i)
        dg[2 * H + j] = dState * prevState * fg * (1 - fg)
        dg[3 * H + j] = dOut * tc * o * (1 - o)
        return (dState, dState * fg)
    }

    /// The forward time loop: gates (T×4H, holding b + W·x_t on entry) become activations;
    /// state, tanh(state), out are written; `pre` (when not nil) receives the pre-activations.
    static func forwardSteps(kernels: KernelVariant, T: Int, H: Int, u: UnsafePointer<Double>, h0: UnsafePointer<Double>, c0: UnsafePointer<Double>,
                             gates: UnsafeMutablePointer<Double>, state: UnsafeMutablePointer<Double>,
                             tanhState: UnsafeMutablePointer<Double>, out: UnsafeMutablePointer<Double>,
                             pre: UnsafeMutablePointer<Double>?) {
        let G = 4 * H
        pairedSteps(T, step: { part, t in
            let js = units(part, H)
            let g = gates + t * G
            let hPrev = t == 0 ? h0 : UnsafePointer(out + (t - 1) * H)
            let cPrev = t == 0 ? c0 : UnsafePointer(state + (t - 1) * H)
            // ĝ_t += U_g·out_{t−1} for this half's rows of each gate
            for q in 0..<4 {
                kernels.gemv(rows: (q * H + js.lowerBound)..<(q * H + js.upperBound), cols: H, m: u, ld: H, v: hPrev, y: g)
            }
            if let p = pre {
                for q in 0..<4 { for j in js { p[t * G + q * H + j] = g[q * H + j] } }
            }
            cellUpdate(units: js, H: H, g: g, prevState: cPrev, state: state + t * H,
                       tanhState: tanhState + t * H, out: out + t * H)
        })
    }

    /// The backward time loop without per-step records: δgates (T×4H, may alias `gates`), and
    /// the gradients of the initial out and state. `partial` is scratch of 4H doubles.
    /// Δout_{t−1} = Uᵀ·δgates_t is always the sum of the two halves' shares, half 0 first.
    static func backwardSteps(kernels: KernelVariant, T: Int, H: Int, u: UnsafePointer<Double>, gates: UnsafePointer<Double>,
                              dGates: UnsafeMutablePointer<Double>, state: UnsafePointer<Double>,
                              tanhState: UnsafePointer<Double>, c0: UnsafePointer<Double>, fromLoss: UnsafePointer<Double>,
                              recurrent: Bool, toPrevOut: UnsafeMutablePointer<Double>, toPrevState: UnsafeMutablePointer<Double>,
                              partial: UnsafeMutablePointer<Double>) {
        let G = 4 * H
        // partial[parity·2H + part·H ..< +H]: half part's Σ over its rows of δg_r·U[r, :] at a step.
        pairedSteps(T, step: { part, step in
            let js = units(part, H)
            let t = T - 1 - step
            let g = gates + t * G, dg = dGates + t * G
            let th = tanhState + t * H
            let cPrev = t == 0 ? c0 : state + (t - 1) * H
            let dl = fromLoss + t * H
            let previous = partial + ((step + 1) & 1) * 2 * H  // the last step's partial sums
            for j in js {
                let fromNext = step > 0 && recurrent ? previous[j] + previous[H + j] : 0
                let sNext = step > 0 && recurrent ? toPrevState[j] : 0
                toPrevState[j] = gateDeltas(j, stride: H, g: g, dg: dg, tanhState: th[j], prevState: cPrev[j],
                                            dOut: dl[j] + fromNext, stateFromNext: sNext).toPrevState
            }
            // This half's share of Uᵀ·δgates_t, over its rows of each gate.
            let mine = partial + (step & 1) * 2 * H + part * H
            for c in 0..<H { mine[c] = 0 }
            for q in 0..<4 {
                let r0 = q * H + js.lowerBound
                kernels.gemvT(rows: js.count, cols: 0..<H, m: u + r0 * H, ld: H, v: dg + r0, y: mine)
            }
        }, finish: { part in
            // Δout_{−1}: both shares of the last step, for this half's units.
            let last = partial + ((T + 1) & 1) * 2 * H
            for j in units(part, H) { toPrevOut[j] = last[j] + last[H + j] }
        })
    }
}
