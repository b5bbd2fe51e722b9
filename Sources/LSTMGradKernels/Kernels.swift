/// Dense kernels on raw row-major buffers for the fast paths: a packed, cache-blocked matrix
/// product with a 6×8 register tile, and the two matrix–vector forms BPTT needs. No allocation; SIMD4 where the compiler would not
/// vectorize a reduction by itself.
///
/// This file is compiled twice: as the module LSTMGradKernels for baseline x86-64 (SSE2) or
/// arm64 (NEON), and, through a symbolic link, as LSTMGradKernelsAVX2 for x86-64-v3 (AVX2, FMA)
/// with KERNELS_FMA defined; `KernelVariant` picks one at run time from the CPU's features.
/// Nothing here is inlinable, so each module's code keeps its own target CPU.
public enum Kernels {
    public typealias Ptr = UnsafeMutablePointer<Double>
    public typealias CPtr = UnsafePointer<Double>

    @inline(__always)
    static func load4(_ p: CPtr) -> SIMD4<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self) }

    /// acc + a·b: one fused multiply-add (rounded once) where the module is built with
    /// KERNELS_FMA, a product and a sum otherwise.
    @inline(__always)
    static func madd(_ acc: SIMD4<Double>, _ a: SIMD4<Double>, _ b: SIMD4<Double>) -> SIMD4<Double> {
        #if KERNELS_FMA
        acc.addingProduct(a, b)
        #else
        acc + a * b
        #endif
    }

    @inline(__always)
    static func store4(_ v: SIMD4<Double>, _ p: Ptr) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self) }

    /// The register tile: 6 rows × 8 columns of C, twelve SIMD4 accumulators (with two of B and a
    /// broadcast of A: 15 of AVX2's 16 vector registers).
    public static let tileRows = 6, tileCols = 8
    /// The cache blocks: kc rows of a packed B panel (kc×8 doubles, 16 KiB: L1) against mc rows
    /// of packed A (mc×kc doubles, 192 KiB: L2).
    public static let kc = 256, mc = 96

    /// N rounded up to a whole number of 8-column panels.
    public static func paddedColumns(_ N: Int) -> Int { (N + 7) & ~7 }

    /// Packs B (K×N, B(k, j) = b[k·bks + j·bjs]) for `gemmPacked`: K-blocks of kc rows (the last
    /// one shorter); in a block of kb rows, panel p (columns 8p ..< 8p + 8) is kb×8 contiguous
    /// doubles at p·kb·8, columns past N zero. `p` holds K · paddedColumns(N) doubles.
    public static func packB(K: Int, N: Int, b: CPtr, bks: Int, bjs: Int, into p: Ptr) {
        let np = paddedColumns(N)
        var k0 = 0
        while k0 < K {
            let kb = min(kc, K - k0)
            let block = p + k0 * np
            var j0 = 0
            while j0 < N {
                let nj = min(8, N - j0)
                var dst = block + j0 * kb
                for k in k0..<(k0 + kb) {
                    let src = b + k * bks + j0 * bjs
                    if bjs == 1 && nj == 8 {
                        store4(load4(src), dst)
                        store4(load4(src + 4), dst + 4)
                    } else {
                        for j in 0..<nj { dst[j] = src[j * bjs] }
                        for j in nj..<8 { dst[j] = 0 }
                    }
                    dst += 8
                }
                j0 += 8
            }
            k0 += kb
        }
    }

    /// C (M×N, row stride ldc) += A·B over the rows `rows` of C and the 8-column panels `panels`
    /// (all when nil), A(i, k) = a[i·ais + k·aks] (either orientation), B packed by `packB`.
    /// Every entry of C is C + Σ_k A(i, k)·B(k, j) added in the order k = 0, 1, …, one
    /// multiply-add at a time, whatever the tile, block or range it falls in: any split of the
    /// rows or panels between threads gives the same bits.
    public static func gemmPacked(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, packedB: CPtr, c: Ptr, ldc: Int,
                                  rows: Range<Int>? = nil, panels: Range<Int>? = nil) {
        let rowRange = rows ?? 0..<M
        let panelRange = panels ?? 0..<(paddedColumns(N) / 8)
        guard !rowRange.isEmpty, !panelRange.isEmpty, K > 0 else { return }
        let np = paddedColumns(N)
        let mcap = min(mc, (rowRange.count + 5) / 6 * 6)
        let pa = Ptr.allocate(capacity: mcap * min(kc, K))
        defer { pa.deallocate() }
        var edge = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(),
                    SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
        var k0 = 0
        while k0 < K {
            let kb = min(kc, K - k0)
            let block = packedB + k0 * np
            var i0 = rowRange.lowerBound
            while i0 < rowRange.upperBound {
                let i1 = min(i0 + mc, rowRange.upperBound)
                packA(i0: i0, i1: i1, k0: k0, kb: kb, a: a, ais: ais, aks: aks, into: pa)
                for p in panelRange {
                    let pb = block + p * 8 * kb
                    let j = p * 8, nj = min(8, N - j)
                    var i = i0
                    while i < i1 {
                        let mi = min(6, i1 - i)
                        let ap = pa + (i - i0) * kb
                        let ct = c + i * ldc + j
                        if mi == 6 && nj == 8 {
                            kernel6x8(kb: kb, a: ap, b: pb, c: ct, ldc: ldc, six: true)
                        } else if mi == 4 && nj == 8 {
                            kernel6x8(kb: kb, a: ap, b: pb, c: ct, ldc: ldc, six: false)
                        } else {
                            // An edge tile through a full 6×8 scratch tile: the same operations.
                            withUnsafeMutableBytes(of: &edge) { raw in
                                let t = raw.baseAddress!.assumingMemoryBound(to: Double.self)
                                for r in 0..<6 { for q in 0..<8 { t[r * 8 + q] = r < mi && q < nj ? ct[r * ldc + q] : 0 } }
                                kernel6x8(kb: kb, a: ap, b: pb, c: t, ldc: 8, six: mi > 4)
                                for r in 0..<mi { for q in 0..<nj { ct[r * ldc + q] = t[r * 8 + q] } }
                            }
                        }
                        i += 6
                    }
                }
                i0 = i1
            }
            k0 += kb
        }
    }

    /// Rows i0 ..< i1 and columns k0 ..< k0 + kb of A into panels of 6 rows: panel q is kb×6
    /// contiguous doubles at q·6·kb, rows past i1 zero.
    @inline(__always)
    static func packA(i0: Int, i1: Int, k0: Int, kb: Int, a: CPtr, ais: Int, aks: Int, into pa: Ptr) {
        var i = i0
        var dst = pa
        while i < i1 {
            let mi = min(6, i1 - i)
            let src = a + i * ais + k0 * aks
            if mi == 6 {
                for k in 0..<kb {
                    let s = src + k * aks
                    dst[0] = s[0]; dst[1] = s[ais]; dst[2] = s[2 * ais]
                    dst[3] = s[3 * ais]; dst[4] = s[4 * ais]; dst[5] = s[5 * ais]
                    dst += 6
                }
            } else {
                for k in 0..<kb {
                    let s = src + k * aks
                    for r in 0..<6 { dst[r] = r < mi ? s[r * ais] : 0 }
                    dst += 6
                }
            }
            i += 6
        }
    }

    /// C[0..<6, 0..<8] (row stride ldc) += A·B over kb steps of k: a is kb×6 (packed A), b is
    /// kb×8 (packed B). With `six` false only rows 0..<4 are read and written (a short last
    /// panel: the same operations on each entry, a third fewer of them); call sites pass a
    /// constant, so each gets its own loop.
    @inline(__always)
    static func kernel6x8(kb: Int, a: CPtr, b: CPtr, c: Ptr, ldc: Int, six: Bool) {
        let c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc, c4 = c3 + ldc, c5 = c4 + ldc
        var x00 = load4(c), x01 = load4(c + 4), x10 = load4(c1), x11 = load4(c1 + 4)
        var x20 = load4(c2), x21 = load4(c2 + 4), x30 = load4(c3), x31 = load4(c3 + 4)
        var x40 = SIMD4<Double>(), x41 = SIMD4<Double>(), x50 = SIMD4<Double>(), x51 = SIMD4<Double>()
        if six {
            x40 = load4(c4); x41 = load4(c4 + 4); x50 = load4(c5); x51 = load4(c5 + 4)
        }
        var pa = a, pb = b
        for _ in 0..<kb {
            let b0 = load4(pb), b1 = load4(pb + 4)
            var v = SIMD4(repeating: pa[0])
            x00 = madd(x00, v, b0); x01 = madd(x01, v, b1)
            v = SIMD4(repeating: pa[1])
            x10 = madd(x10, v, b0); x11 = madd(x11, v, b1)
            v = SIMD4(repeating: pa[2])
            x20 = madd(x20, v, b0); x21 = madd(x21, v, b1)
            v = SIMD4(repeating: pa[3])
            x30 = madd(x30, v, b0); x31 = madd(x31, v, b1)
            if six {
                v = SIMD4(repeating: pa[4])
                x40 = madd(x40, v, b0); x41 = madd(x41, v, b1)
                v = SIMD4(repeating: pa[5])
                x50 = madd(x50, v, b0); x51 = madd(x51, v, b1)
            }
            pa += 6
            pb += 8
        }
        store4(x00, c); store4(x01, c + 4); store4(x10, c1); store4(x11, c1 + 4)
        store4(x20, c2); store4(x21, c2 + 4); store4(x30, c3); store4(x31, c3 + 4)
        if six {
            store4(x40, c4); store4(x41, c4 + 4); store4(x50, c5); store4(x51, c5 + 4)
        }
    }

    /// C (M×N, row stride ldc) += A·B over the rows `rows` of C (all when nil), A(i, k) =
    /// a[i·ais + k·aks], B(k, j) = b[k·bks + j·bjs]: B packed into a scratch buffer, then
    /// `gemmPacked`.
    public static func gemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, bks: Int, bjs: Int, c: Ptr, ldc: Int,
                            rows: Range<Int>? = nil) {
        guard M > 0, N > 0, K > 0 else { return }
        let pb = Ptr.allocate(capacity: K * paddedColumns(N))
        defer { pb.deallocate() }
        packB(K: K, N: N, b: b, bks: bks, bjs: bjs, into: pb)
        gemmPacked(M: M, N: N, K: K, a: a, ais: ais, aks: aks, packedB: pb, c: c, ldc: ldc, rows: rows)
    }

    // MARK: the LSTM cell update, four units at a time

    /// (e^r − 1, 2^n) with x = n·ln 2 + r, |r| ≤ ln 2 / 2, x clamped to [−709, 709]: e^x is
    /// 2^n·(1 + (e^r − 1)) and e^x − 1 is 2^n·(e^r − 1) + (2^n − 1), both to a few ulp.
    @inline(__always)
    static func expParts(_ x: SIMD4<Double>) -> (p: SIMD4<Double>, scale: SIMD4<Double>) {
        let lo = SIMD4<Double>(repeating: -709), hi = SIMD4<Double>(repeating: 709)
        let xc = x.replacing(with: lo, where: x .< lo).replacing(with: hi, where: x .> hi)
        let n = (xc * 1.4426950408889634).rounded(.toNearestOrEven)
        // Cody–Waite: ln 2 in two parts, n·ln2hi exact (32 significant bits against |n| ≤ 1023).
        let r = (xc - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
        // e^r − 1 = r·Σ_{k=0…12} r^k/(k+1)!: the truncation is below 1e−17 for |r| ≤ ln 2 / 2.
        var q = SIMD4<Double>(repeating: 1.0 / 6227020800.0)
        q = q * r + 1.0 / 479001600.0
        q = q * r + 1.0 / 39916800.0
        q = q * r + 1.0 / 3628800.0
        q = q * r + 1.0 / 362880.0
        q = q * r + 1.0 / 40320.0
        q = q * r + 1.0 / 5040.0
        q = q * r + 1.0 / 720.0
        q = q * r + 1.0 / 120.0
        q = q * r + 1.0 / 24.0
        q = q * r + 1.0 / 6.0
        q = q * r + 0.5
        q = q * r + 1.0
        // 2^n from the bits: n + 1.5·2^52 holds n in its low bits; n + 1023 is the exponent field.
        let bits = (unsafeBitCast(n + 6755399441055744.0, to: SIMD4<UInt64>.self) &+ 1023) &<< 52
        return (q * r, unsafeBitCast(bits, to: SIMD4<Double>.self))
    }

    /// σ(z) = 1/(1 + e^{−z}) for z ≥ 0, e^{z}/(1 + e^{z}) below (as `sigmoid`), lane by lane.
    @inline(__always)
    static func sigmoid4(_ z: SIMD4<Double>) -> SIMD4<Double> {
        let negative = z .< 0
        let (p, scale) = expParts(z.replacing(with: -z, where: .!negative))  // e^{−|z|}
        let e = scale * (p + 1)
        return SIMD4(repeating: 1).replacing(with: e, where: negative) / (1 + e)
    }

    /// tanh(z) = u/(u + 2) with u = e^{2|z|} − 1, the sign of z restored, lane by lane.
    @inline(__always)
    static func tanh4(_ z: SIMD4<Double>) -> SIMD4<Double> {
        let negative = z .< 0
        let (p, scale) = expParts(2 * z.replacing(with: -z, where: negative))
        let u = scale * p + (scale - 1)
        let t = u / (u + 2)
        return t.replacing(with: -t, where: negative)
    }

    /// One step of the LSTM cell for the units `units`, gate blocks `stride` apart in `g`: the
    /// pre-activations become a = tanh(â), i, f, o = σ(·) in place; state = a ⊙ i + f ⊙ prevState,
    /// tanh(state), out = tanh(state) ⊙ o are written. Each unit's lane is computed alone, so the
    /// values do not depend on how the units are split.
    public static func lstmCellUpdate(units: Range<Int>, stride H: Int, g: Ptr, prevState: CPtr, state: Ptr, tanhState: Ptr, out: Ptr) {
        var j = units.lowerBound
        while j < units.upperBound {
            let n = min(4, units.upperBound - j)
            @inline(__always) func load(_ p: CPtr) -> SIMD4<Double> {
                if n == 4 { return load4(p) }
                var v = SIMD4<Double>()
                for k in 0..<n { v[k] = p[k] }
                return v
            }
            @inline(__always) func store(_ v: SIMD4<Double>, _ p: Ptr) {
                if n == 4 { store4(v, p); return }
                for k in 0..<n { p[k] = v[k] }
            }
            let a = tanh4(load(g + j)), i = sigmoid4(load(g + H + j))
            let f = sigmoid4(load(g + 2 * H + j)), o = sigmoid4(load(g + 3 * H + j))
            store(a, g + j); store(i, g + H + j); store(f, g + 2 * H + j); store(o, g + 3 * H + j)
            let c = a * i + f * load(prevState + j)
            let tc = tanh4(c)
            store(c, state + j)
            store(tc, tanhState + j)
            store(tc * o, out + j)
            j += 4
        }
    }

    /// y[r] += Σ_k m[r·ld + k]·v[k] for r in `rows` (the forward U·out_{t−1}).
    public static func gemv(rows: Range<Int>, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        var r = rows.lowerBound
        let k4 = cols & ~3
        while r + 4 <= rows.upperBound {
            let m0 = m + r * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld
            var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
            var k = 0
            while k < k4 {
                let vk = load4(v + k)
                s0 = madd(s0, load4(m0 + k), vk)
                s1 = madd(s1, load4(m1 + k), vk)
                s2 = madd(s2, load4(m2 + k), vk)
                s3 = madd(s3, load4(m3 + k), vk)
                k += 4
            }
            var t0 = s0.sum(), t1 = s1.sum(), t2 = s2.sum(), t3 = s3.sum()
            while k < cols {
                t0 += m0[k] * v[k]; t1 += m1[k] * v[k]; t2 += m2[k] * v[k]; t3 += m3[k] * v[k]
                k += 1
            }
            y[r] += t0; y[r + 1] += t1; y[r + 2] += t2; y[r + 3] += t3
            r += 4
        }
        // The remaining rows in the same order of operations as a row of a block of four, so that
        // a row's sum does not depend on how the rows are split between threads.
        while r < rows.upperBound {
            let m0 = m + r * ld
            var s0 = SIMD4<Double>()
            var k = 0
            while k < k4 {
                s0 = madd(s0, load4(m0 + k), load4(v + k))
                k += 4
            }
            var t0 = s0.sum()
            while k < cols {
                t0 += m0[k] * v[k]
                k += 1
            }
            y[r] += t0
            r += 1
        }
    }

    /// y[c] += Σ_r m[r·ld + c]·v[r] over r in `rows`, for c in `cols` (the backward Uᵀ·δ).
    public static func gemvT(rows: Int, cols: Range<Int>, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        var r = 0
        let c0 = cols.lowerBound, c1 = cols.upperBound
        while r + 4 <= rows {
            let v0 = v[r], v1 = v[r + 1], v2 = v[r + 2], v3 = v[r + 3]
            let m0 = m + r * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld
            var c = c0
            let V0 = SIMD4(repeating: v0), V1 = SIMD4(repeating: v1), V2 = SIMD4(repeating: v2), V3 = SIMD4(repeating: v3)
            while c + 4 <= c1 {
                var acc = load4(y + c)
                acc = madd(acc, load4(m0 + c), V0)
                acc = madd(acc, load4(m1 + c), V1)
                acc = madd(acc, load4(m2 + c), V2)
                acc = madd(acc, load4(m3 + c), V3)
                store4(acc, y + c)
                c += 4
            }
            while c < c1 {
                y[c] += m0[c] * v0 + m1[c] * v1 + m2[c] * v2 + m3[c] * v3
                c += 1
            }
            r += 4
        }
        while r < rows {
            let vr = v[r]
            let m0 = m + r * ld
            for c in cols { y[c] += m0[c] * vr }
            r += 1
        }
    }
}
