import CPUFeatures
import LSTMGradKernels
import LSTMGradKernelsAVX2

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One build of the dense kernels (`Kernels`, compiled once per target CPU): the portable one
/// (SSE2 on x86-64, NEON on arm64) or the AVX2 + FMA one. The fast paths call the kernels through
/// a variant, chosen once per process by `chosen`.
public struct KernelVariant: Sendable, CustomStringConvertible {
    public typealias Ptr = UnsafeMutablePointer<Double>
    public typealias CPtr = UnsafePointer<Double>

    public let name: String
    let packBlocks: @Sendable (_ K: Int, _ N: Int, _ b: CPtr, _ bks: Int, _ bjs: Int, _ p: Ptr) -> Void
    let gemmTiles: @Sendable (_ M: Int, _ N: Int, _ K: Int, _ a: CPtr, _ ais: Int, _ aks: Int, _ pb: CPtr,
                              _ c: Ptr, _ ldc: Int, _ rows: Range<Int>?, _ panels: Range<Int>?) -> Void
    let cellUpdate: @Sendable (_ units: Range<Int>, _ stride: Int, _ g: Ptr, _ prevState: CPtr, _ state: Ptr, _ tanhState: Ptr,
                               _ out: Ptr) -> Void
    let gemvRows: @Sendable (_ rows: Range<Int>, _ cols: Int, _ m: CPtr, _ ld: Int, _ v: CPtr, _ y: Ptr) -> Void
    let gemvTCols: @Sendable (_ rows: Int, _ cols: Range<Int>, _ m: CPtr, _ ld: Int, _ v: CPtr, _ y: Ptr) -> Void

    public var description: String { name }

    /// SSE2 on x86-64, NEON on arm64: runs on every CPU of the architecture.
    public static let portable = KernelVariant(
        name: "portable",
        packBlocks: { LSTMGradKernels.Kernels.packB(K: $0, N: $1, b: $2, bks: $3, bjs: $4, into: $5) },
        gemmTiles: { LSTMGradKernels.Kernels.gemmPacked(M: $0, N: $1, K: $2, a: $3, ais: $4, aks: $5, packedB: $6, c: $7, ldc: $8,
                                                rows: $9, panels: $10) },
        cellUpdate: { LSTMGradKernels.Kernels.lstmCellUpdate(units: $0, stride: $1, g: $2, prevState: $3, state: $4, tanhState: $5, out: $6) },
        gemvRows: { LSTMGradKernels.Kernels.gemv(rows: $0, cols: $1, m: $2, ld: $3, v: $4, y: $5) },
        gemvTCols: { LSTMGradKernels.Kernels.gemvT(rows: $0, cols: $1, m: $2, ld: $3, v: $4, y: $5) })

    /// x86-64-v3 (AVX2, FMA): four doubles per instruction and fused multiply-adds.
    public static let avx2 = KernelVariant(
        name: "avx2",
        packBlocks: { LSTMGradKernelsAVX2.Kernels.packB(K: $0, N: $1, b: $2, bks: $3, bjs: $4, into: $5) },
        gemmTiles: { LSTMGradKernelsAVX2.Kernels.gemmPacked(M: $0, N: $1, K: $2, a: $3, ais: $4, aks: $5, packedB: $6, c: $7, ldc: $8,
                                                rows: $9, panels: $10) },
        cellUpdate: { LSTMGradKernelsAVX2.Kernels.lstmCellUpdate(units: $0, stride: $1, g: $2, prevState: $3, state: $4, tanhState: $5, out: $6) },
        gemvRows: { LSTMGradKernelsAVX2.Kernels.gemv(rows: $0, cols: $1, m: $2, ld: $3, v: $4, y: $5) },
        gemvTCols: { LSTMGradKernelsAVX2.Kernels.gemvT(rows: $0, cols: $1, m: $2, ld: $3, v: $4, y: $5) })

    /// The variants this CPU can run, portable first.
    public static let available: [KernelVariant] = lstm_grad_cpu_supports_x86_64_v3() != 0 ? [portable, avx2] : [portable]

    /// The variant of this process, chosen once: `LSTM_GRAD_KERNELS` (portable or avx2) when set
    /// and runnable here, else the widest the CPU supports.
    public static let chosen: KernelVariant = {
        if let s = getenv("LSTM_GRAD_KERNELS"), let v = available.first(where: { $0.name == String(cString: s) }) { return v }
        return available.last!
    }()

    /// B (K×N, B(k, j) = b[k·bks + j·bjs]) packed for `gemmPacked` into `p`, which holds
    /// `packedCount(K:N:)` doubles; see `Kernels.packB`.
    func packB(K: Int, N: Int, b: CPtr, bks: Int, bjs: Int, into p: Ptr) { packBlocks(K, N, b, bks, bjs, p) }

    static func packedCount(K: Int, N: Int) -> Int { K * LSTMGradKernels.Kernels.paddedColumns(N) }

    /// C (M×N, row stride ldc) += A·B over the rows `rows` and 8-column panels `panels` of C (all
    /// when nil), B packed by `packB`; see `Kernels.gemmPacked`.
    func gemmPacked(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, packedB: CPtr, c: Ptr, ldc: Int,
                    rows: Range<Int>? = nil, panels: Range<Int>? = nil) {
        gemmTiles(M, N, K, a, ais, aks, packedB, c, ldc, rows, panels)
    }

    /// C (M×N, row stride ldc) += A·B with B K×N row-major (row stride ldb); one thread.
    func gemm(M: Int, N: Int, K: Int, a: CPtr, ais: Int, aks: Int, b: CPtr, ldb: Int, c: Ptr, ldc: Int) {
        guard M > 0, N > 0, K > 0 else { return }
        let pb = Ptr.allocate(capacity: Self.packedCount(K: K, N: N))
        defer { pb.deallocate() }
        packB(K: K, N: N, b: b, bks: ldb, bjs: 1, into: pb)
        gemmPacked(M: M, N: N, K: K, a: a, ais: ais, aks: aks, packedB: pb, c: c, ldc: ldc)
    }

    /// One LSTM step for the units `units`, four at a time (`Kernels.lstmCellUpdate`).
    func lstmCellUpdate(units: Range<Int>, stride: Int, g: Ptr, prevState: CPtr, state: Ptr, tanhState: Ptr, out: Ptr) {
        cellUpdate(units, stride, g, prevState, state, tanhState, out)
    }

    /// y[r] += Σ_k m[r·ld + k]·v[k] for r in `rows` (the forward U·out_{t−1}).
    func gemv(rows: Range<Int>, cols: Int, m: CPtr, ld: Int, v: CPtr, y: Ptr) { gemvRows(rows, cols, m, ld, v, y) }

    /// y[c] += Σ_r m[r·ld + c]·v[r] over r in 0..<rows, for c in `cols` (the backward Uᵀ·δ).
    func gemvT(rows: Int, cols: Range<Int>, m: CPtr, ld: Int, v: CPtr, y: Ptr) { gemvTCols(rows, cols, m, ld, v, y) }
}
