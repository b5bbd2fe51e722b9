import LSTMGrad
import Testing

/// The eigen-solver against an independent reference: fixtures/analysis/eigen-reference.json,
/// written by scripts/eigen-reference.py (NumPy's numpy.linalg.eigvals, i.e. LAPACK dgeev, on
/// matrices generated from a fixed seed; the script states how each tolerance is set). This
/// test reads the file; it never runs Python.
@Suite struct EigenReferenceTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var kind: String
        var matrix: Matrix
        var norm: Double
        var reference: [Complex]
        var tolerance: [Double]
        var constructed: [Complex]?
        /// (eigenvalue, Jordan block sizes) of a constructed defective matrix.
        var jordan: [(Double, [Int])]?
        var description: String { name }
    }

    static let cases: [Case] = {
        guard let bytes = try? InputFile.read(Fixtures.path("analysis/eigen-reference.json")),
              let root = try? JSONParser.parse(bytes) else { return [] }
        func member(_ node: JSONNode, _ key: String) -> JSONNode? { node.members?.first { $0.key == key }?.value }
        func numbers(_ node: JSONNode?) -> [Double] { node?.array?.compactMap(\.number) ?? [] }
        func complexes(_ node: JSONNode?) -> [Complex] {
            node?.array?.map { pair in let x = numbers(pair); return Complex(x[0], x[1]) } ?? []
        }
        return (member(root, "cases")?.array ?? []).map { c in
            let rows = member(c, "matrix")!.array!.map { numbers($0) }
            return Case(name: member(c, "name")!.string!, kind: member(c, "kind")!.string!, matrix: Matrix(rows),
                        norm: member(c, "norm2")!.number!, reference: complexes(member(c, "eigenvalues")),
                        tolerance: numbers(member(c, "tolerance")),
                        constructed: member(c, "constructed").map { complexes($0) },
                        jordan: member(c, "jordan")?.array?.map { j in
                            (member(j, "eigenvalue")!.number!, member(j, "blocks")!.array!.map { Int($0.number!) })
                        })
        }
    }()

    /// Pairs each expected value with the nearest computed one not yet taken; returns the
    /// largest |difference| divided by that value's tolerance (≤ 1 passes).
    static func worstRatio(_ computed: [Complex], _ expected: [Complex], _ tolerance: [Double]) -> (Double, String) {
        var free = Array(computed.indices)
        var worst = (0.0, "")
        for (j, z) in expected.enumerated() {
            let i = free.min { (computed[$0] - z).magnitude < (computed[$1] - z).magnitude }!
            free.removeAll { $0 == i }
            let d = (computed[i] - z).magnitude
            let ratio = d / tolerance[j]
            if ratio > worst.0 {
                worst = (ratio, "expected \(z.re) + \(z.im)i, computed \(computed[i].re) + \(computed[i].im)i, |difference| \(d), tolerance \(tolerance[j])")
            }
        }
        return worst
    }

    @Test func theReferenceCoversWhatTheIssueAsks() {
        let cs = Self.cases
        #expect(cs.count >= 50, "fixtures/analysis/eigen-reference.json: \(cs.count) matrices")
        let sizes = Set(cs.map(\.matrix.rows))
        #expect((2...12).allSatisfy { sizes.contains($0) }, "sizes 2–12: \(sizes.sorted())")
        for kind in ["symmetric", "nonsymmetric", "power", "clustered", "tiny", "complex", "defective", "issue"] {
            #expect(cs.contains { $0.kind == kind }, "no \(kind) matrices")
        }
        #expect(cs.contains { $0.name.hasSuffix("^40") }, "W^n with n = 40")
        // Well-conditioned means 1e−12·‖A‖₂: the tolerance of a symmetric matrix is exactly that.
        for c in cs where c.kind == "symmetric" {
            for t in c.tolerance { #expect(abs(t - 1e-12 * c.norm) <= 1e-15 * c.norm) }
        }
    }

    @Test(arguments: cases)
    func eigenvaluesMatchLAPACK(_ c: Case) throws {
        let e = try Eigen.decompose(c.matrix)
        #expect(e.eigenvalues.count == c.reference.count)
        #expect(abs(e.norm - c.norm) <= 1e-14 * c.norm, "‖A‖₂ = \(e.norm), numpy \(c.norm)")
        let (ratio, worst) = Self.worstRatio(e.eigenvalues, c.reference, c.tolerance)
        #expect(ratio <= 1, "\(c.name): \(worst)")
        if let exact = c.constructed {
            // The construction's own values, within the same tolerance (the construction
            // rounds too: that is what the tolerance allows for).
            let (r, w) = Self.worstRatio(e.eigenvalues, exact, c.tolerance)
            #expect(r <= 1, "\(c.name) against the constructed eigenvalues: \(w)")
        }
        // Complex eigenvalues of a real matrix: each one's conjugate is there, to the bit.
        for z in e.eigenvalues where z.im != 0 {
            #expect(e.eigenvalues.contains { $0.re == z.re && $0.im == -z.im }, "\(c.name): \(z) has no exact conjugate")
        }
        // Every eigenspace has at least one eigenvector, and no more than its multiplicity.
        for s in e.eigenspaces {
            #expect(s.geometric >= 1 && s.geometric <= s.algebraic, "\(c.name): multiplicity \(s.algebraic), \(s.geometric) eigenvectors")
            // Each eigenvector solves (A − λ̄I)·v ≈ 0 within the group's tolerance (≈ ε‖A‖ when simple).
            for v in s.vectors {
                let r = residual(c.matrix, s.center, v)
                #expect(r <= max(s.rankTolerance, 1e-12 * c.norm * Double(c.matrix.rows)), "\(c.name): ‖A·v − λ·v‖ = \(r)")
            }
        }
    }

    /// Constructed Jordan blocks: the algebraic multiplicity is the blocks' total, the geometric
    /// one their number; a matrix without blocks is diagonalizable.
    @Test(arguments: cases)
    func defectiveExactlyWhenConstructedSo(_ c: Case) throws {
        let e = try Eigen.decompose(c.matrix)
        guard let jordan = c.jordan else {
            #expect(!e.isDefective, "\(c.name) is diagonalizable but was called defective: \(e.defects)")
            return
        }
        for (lambda, blocks) in jordan {
            let space = e.eigenspaces.min { ($0.center - Complex(lambda)).magnitude < ($1.center - Complex(lambda)).magnitude }!
            #expect(space.algebraic == blocks.reduce(0, +), "\(c.name) λ = \(lambda): multiplicity \(space.algebraic), blocks \(blocks)")
            #expect(space.geometric == blocks.count, "\(c.name) λ = \(lambda): \(space.geometric) eigenvectors, blocks \(blocks)")
        }
        #expect(e.isDefective == jordan.contains { $0.1.contains { $0 > 1 } })
    }

    func residual(_ a: Matrix, _ lambda: Complex, _ v: [Complex]) -> Double {
        var s = 0.0
        for r in 0..<a.rows {
            var acc = Complex.zero
            for c in 0..<a.cols { acc += a[r, c] * v[c] }
            let d = acc - lambda * v[r]
            s += d.re * d.re + d.im * d.im
        }
        return s.squareRoot()
    }
}
