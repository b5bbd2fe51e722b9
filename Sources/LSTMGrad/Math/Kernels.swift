/// Dense kernels on raw row-major buffers for the fast paths: a register-blocked matrix product
/// and the two matrix–vector forms BPTT needs. No allocation; SIMD4 where the compiler would not
/// vectorize a reduction by itself.
enum Kernels {
    typealias Ptr = UnsafeMutablePointer<Double>
    typealias CPtr = UnsafePointer<Double>

    @inline(__always)
    static func load4(_ p: CPtr) -> SIMD4<Double> { UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Double>.self) }

    @inline(__always)
    static func store4(_ v: SIMD4<Double>, _ p: Ptr) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD4<Double>.self) }

    /// C (M×N, row stride ldc) += A·B where A(i, k) = a[i·ais + k·aks] (M×K, either orientation)
    /// and B is K×N row-major with row stride ldb. Blocked over K and M; 4×4 register tiles.
    static func gemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int,
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
            x0 += SIMD4(repeating: pa[0]) * bv
            x1 += SIMD4(repeating: pa[ais]) * bv
            x2 += SIMD4(repeating: pa[2 * ais]) * bv
            x3 += SIMD4(repeating: pa[3 * ais]) * bv
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
            x0 += SIMD4(repeating: pa[0]) * load4(pb)
            pa += aks
            pb += ldb
        }
        store4(x0, c0)
    }

    /// y[r] += Σ_k m[r·ld + k]·v[k] for r in `rows` (the forward U·out_{t−1}).
    static func gemv(rows: Range<Int>, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        var r = rows.lowerBound
        let k4 = cols & ~3
        while r + 4 <= rows.upperBound {
            let m0 = m + r * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld
            var s0 = SIMD4<Double>(), s1 = SIMD4<Double>(), s2 = SIMD4<Double>(), s3 = SIMD4<Double>()
            var k = 0
            while k < k4 {
                let vk = load4(v + k)
                s0 += load4(m0 + k) * vk
                s1 += load4(m1 + k) * vk
                s2 += load4(m2 + k) * vk
                s3 += load4(m3 + k) * vk
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
                s0 += load4(m0 + k) * load4(v + k)
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
    static func gemvT(rows: Int, cols: Range<Int>, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        var r = 0
        let c0 = cols.lowerBound, c1 = cols.upperBound
        while r + 4 <= rows {
            let v0 = v[r], v1 = v[r + 1], v2 = v[r + 2], v3 = v[r + 3]
            let m0 = m + r * ld, m1 = m0 + ld, m2 = m1 + ld, m3 = m2 + ld
            var c = c0
            let V0 = SIMD4(repeating: v0), V1 = SIMD4(repeating: v1), V2 = SIMD4(repeating: v2), V3 = SIMD4(repeating: v3)
            while c + 4 <= c1 {
                var acc = load4(y + c)
                acc += load4(m0 + c) * V0
                acc += load4(m1 + c) * V1
                acc += load4(m2 + c) * V2
                acc += load4(m3 + c) * V3
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs two pieces of work at once on two threads (the machine's two cores): `first` on a new
/// thread, `second` on the caller's; returns when both are done. Falls back to running them one
/// after the other if a thread cannot be started.
enum Parallel {
    final class Job {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Work below this many multiply-adds is not worth a thread.
    static let minimumWork = 1 << 21

    /// The cores to use: online processors, or `LSTM_GRAD_THREADS` (1 turns threads off).
    static let cores: Int = {
        if let s = getenv("LSTM_GRAD_THREADS"), let n = Int(String(cString: s)), n >= 1 { return n }
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n > 0 ? n : 1
    }()

    static func both(_ first: @escaping () -> Void, _ second: () -> Void) {
        let context = Unmanaged.passRetained(Job(first)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let rc = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.body()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<Job>.fromOpaque(context).takeRetainedValue().body()
            second()
            return
        }
        second()
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        pthread_join(thread!, nil)
        #endif
    }
}

extension Kernels {
    /// `gemm`, with the rows of C split between two threads when the product is large enough.
    static func parallelGemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
        guard Parallel.cores > 1, M >= 8, M * N * K >= Parallel.minimumWork else {
            gemm(M: M, N: N, K: K, a: a, ais: ais, aks: aks, b: b, ldb: ldb, c: c, ldc: ldc)
            return
        }
        let half = (M / 2) & ~3
        let (ra, rb, rc) = (Int(bitPattern: a), Int(bitPattern: b), Int(bitPattern: c))
        Parallel.both({
            gemm(M: M, N: N, K: K, a: CPtr(bitPattern: ra)!, ais: ais, aks: aks, b: CPtr(bitPattern: rb)!, ldb: ldb,
                 c: Ptr(bitPattern: rc)!, ldc: ldc, rows: half..<M)
        }, {
            gemm(M: M, N: N, K: K, a: a, ais: ais, aks: aks, b: b, ldb: ldb, c: c, ldc: ldc, rows: 0..<half)
        })
    }
}

extension Kernels {
    /// Matrix–vector products this large (multiply-adds) are split between two threads: a
    /// thread start costs tens of microseconds, the product of a 4096×1024 U a millisecond.
    static let parallelGemvWork = 1 << 20

    /// `gemv` over all rows, the rows split between two threads when large.
    static func parallelGemv(rows: Int, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        guard Parallel.cores > 1, rows * cols >= parallelGemvWork else {
            gemv(rows: 0..<rows, cols: cols, m: m, ld: ld, v: v, y: y)
            return
        }
        let half = (rows / 2) & ~3
        let (rm, rv, ry) = (Int(bitPattern: m), Int(bitPattern: v), Int(bitPattern: y))
        Parallel.both({
            gemv(rows: half..<rows, cols: cols, m: CPtr(bitPattern: rm)!, ld: ld, v: CPtr(bitPattern: rv)!, y: Ptr(bitPattern: ry)!)
        }, {
            gemv(rows: 0..<half, cols: cols, m: m, ld: ld, v: v, y: y)
        })
    }

    /// `gemvT` over all columns, the columns split between two threads when large.
    static func parallelGemvT(rows: Int, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        guard Parallel.cores > 1, rows * cols >= parallelGemvWork else {
            gemvT(rows: rows, cols: 0..<cols, m: m, ld: ld, v: v, y: y)
            return
        }
        let half = (cols / 2) & ~7
        let (rm, rv, ry) = (Int(bitPattern: m), Int(bitPattern: v), Int(bitPattern: y))
        Parallel.both({
            gemvT(rows: rows, cols: half..<cols, m: CPtr(bitPattern: rm)!, ld: ld, v: CPtr(bitPattern: rv)!, y: Ptr(bitPattern: ry)!)
        }, {
            gemvT(rows: rows, cols: 0..<half, m: m, ld: ld, v: v, y: y)
        })
    }
}
