/// Dense kernels on raw row-major buffers for the fast paths: a register-blocked matrix product
/// and the two matrix–vector forms BPTT needs. No allocation; SIMD4 where the compiler would not
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

    /// C (M×N, row stride ldc) += A·B where A(i, k) = a[i·ais + k·aks] (M×K, either orientation)
    /// and B is K×N row-major with row stride ldb. Blocked over K and M; 4×4 register tiles.
    public static func gemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int,
                     rows: Range<Int>? = nil) {
        let kc = 256, mc = 64
        let rowRange = rows ?? 0..<M
        var k0 = 0
        while k0 < K {
            let k1 = min(k0 + kc, K)
            var i0 = rowRange.lowerBound
            while i0 < rowRange.upperBound {
                let i1 = min(i0 + mc, rowRange.upperBound)
                var j = 0
                while j + 4 <= N {
                    var i = i0
                    while i + 4 <= i1 {
                        tile4x4(i: i, j: j, k0: k0, k1: k1, a: a, ais: ais, aks: aks, b: b, ldb: ldb, c: c, ldc: ldc)
                        i += 4
                    }
                    while i < i1 {
                        tile1x4(i: i, j: j, k0: k0, k1: k1, a: a, ais: ais, aks: aks, b: b, ldb: ldb, c: c, ldc: ldc)
                        i += 1
                    }
                    j += 4
                }
                if j < N {
                    for i in i0..<i1 {
                        let ci = c + i * ldc
                        for k in k0..<k1 {
                            let aik = a[i * ais + k * aks]
                            let bk = b + k * ldb
                            for jj in j..<N { ci[jj] += aik * bk[jj] }
                        }
                    }
                }
                i0 = i1
            }
            k0 = k1
        }
    }

    // 4×4 tiles: 4 SIMD4 accumulators fit the 16 vector registers of plain x86-64 (SSE2) with
    // room for the operands, so nothing spills.
    @inline(__always)
    static func tile4x4(i: Int, j: Int, k0: Int, k1: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
        let c0 = c + i * ldc + j, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc
        var x0 = load4(c0), x1 = load4(c1), x2 = load4(c2), x3 = load4(c3)
        var pa = a + i * ais + k0 * aks
        var pb = b + k0 * ldb + j
        for _ in k0..<k1 {
            let bv = load4(pb)
            x0 = madd(x0, SIMD4(repeating: pa[0]), bv)
            x1 = madd(x1, SIMD4(repeating: pa[ais]), bv)
            x2 = madd(x2, SIMD4(repeating: pa[2 * ais]), bv)
            x3 = madd(x3, SIMD4(repeating: pa[3 * ais]), bv)
            pa += aks
            pb += ldb
        }
        store4(x0, c0); store4(x1, c1); store4(x2, c2); store4(x3, c3)
    }

    @inline(__always)
    static func tile1x4(i: Int, j: Int, k0: Int, k1: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
        let c0 = c + i * ldc + j
        var x0 = load4(c0)
        var pa = a + i * ais + k0 * aks
        var pb = b + k0 * ldb + j
        for _ in k0..<k1 {
            x0 = madd(x0, SIMD4(repeating: pa[0]), load4(pb))
            pa += aks
            pb += ldb
        }
        store4(x0, c0)
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
