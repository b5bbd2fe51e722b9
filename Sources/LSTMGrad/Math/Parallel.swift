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
    /// `gemm`, with the rows of C split between two threads when the product is large enough.
    func parallelGemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
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
