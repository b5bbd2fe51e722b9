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

extension KernelVariant {
    /// C (M×N, row stride ldc) += A·B, B(k, j) = b[k·bks + j·bjs] (row-major: bks = ldb, bjs = 1):
    /// B packed once, then the rows of C (or, for a short C, its column panels) split between two
    /// threads when the product is large enough. Each entry's sum runs in one order whatever the
    /// split (`Kernels.gemmPacked`), so the bits do not depend on the thread count.
    func parallelGemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, bks: Int, bjs: Int, c: Ptr, ldc: Int) {
        guard M > 0, N > 0, K > 0 else { return }
        let pb = Ptr.allocate(capacity: Self.packedCount(K: K, N: N))
        defer { pb.deallocate() }
        packB(K: K, N: N, b: b, bks: bks, bjs: bjs, into: pb)
        parallelGemmPacked(M: M, N: N, K: K, a: a, ais: ais, aks: aks, packedB: UnsafePointer(pb), c: c, ldc: ldc)
    }

    /// `parallelGemm` with B row-major (row stride ldb).
    func parallelGemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
        parallelGemm(M: M, N: N, K: K, a: a, ais: ais, aks: aks, b: b, bks: ldb, bjs: 1, c: c, ldc: ldc)
    }

    /// `gemmPacked` over all of C, split between two threads when large: by rows (at a multiple
    /// of the 6-row tile) when C has at least 24 rows, else by 8-column panels.
    func parallelGemmPacked(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, packedB: CPtr, c: Ptr, ldc: Int) {
        let panels = (N + 7) / 8
        guard Parallel.cores > 1, M * N * K >= Parallel.minimumWork, M >= 24 || panels >= 2 else {
            gemmPacked(M: M, N: N, K: K, a: a, ais: ais, aks: aks, packedB: packedB, c: c, ldc: ldc)
            return
        }
        let (ra, rb, rc) = (Int(bitPattern: a), Int(bitPattern: packedB), Int(bitPattern: c))
        let byRows = M >= 24
        let half = byRows ? (M / 2) / 6 * 6 : panels / 2
        Parallel.both({
            gemmPacked(M: M, N: N, K: K, a: CPtr(bitPattern: ra)!, ais: ais, aks: aks, packedB: CPtr(bitPattern: rb)!,
                       c: Ptr(bitPattern: rc)!, ldc: ldc, rows: byRows ? half..<M : nil, panels: byRows ? nil : half..<panels)
        }, {
            gemmPacked(M: M, N: N, K: K, a: a, ais: ais, aks: aks, packedB: packedB, c: c, ldc: ldc,
                       rows: byRows ? 0..<half : nil, panels: byRows ? nil : 0..<half)
        })
    }
}

extension KernelVariant {
    /// Matrix–vector products this large (multiply-adds) are split between two threads: a
    /// thread start costs tens of microseconds, the product of a 4096×1024 U a millisecond.
    static let parallelGemvWork = 1 << 20

    /// `gemv` over all rows, the rows split between two threads when large.
    func parallelGemv(rows: Int, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        guard Parallel.cores > 1, rows * cols >= Self.parallelGemvWork else {
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
    func parallelGemvT(rows: Int, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) {
        guard Parallel.cores > 1, rows * cols >= Self.parallelGemvWork else {
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
