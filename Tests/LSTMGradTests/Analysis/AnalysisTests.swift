import LSTMGrad
import Testing

/// Seed 004's numbers and the eigen-solver on hand-derived cases. (The solver against LAPACK on
/// 62 generated matrices: EigenReferenceTests; the Jacobians: JacobianTests; the verdict:
/// VerdictTests; the command: AnalyzeCommandTests.)
@Suite struct Seed004Tests {
    static let W = Matrix([[0.58, 0.24], [0.24, 0.72]])

    /// Hand-derived: W = 0.4·q₁q₁ᵀ + 0.9·q₂q₂ᵀ with q₁ = [0.8, −0.6], q₂ = [0.6, 0.8], so
    /// W^30 = 0.4^30·q₁q₁ᵀ + 0.9^30·q₂q₂ᵀ, and 0.9^30 = 0.0423911…: 0.36·, 0.48·, 0.64· of it.
    @Test func eigenvaluesEigenvectorsAndW30() throws {
        let a = try MatrixAnalysis(Self.W, power: 30)
        #expect(a.eigen.symmetric)
        #expect(a.eigen.eigenvalues.count == 2)
        #expect(abs(a.eigen.eigenvalues[0].re - 0.4) < 1e-14 && a.eigen.eigenvalues[0].im == 0)
        #expect(abs(a.eigen.eigenvalues[1].re - 0.9) < 1e-14 && a.eigen.eigenvalues[1].im == 0)
        #expect(abs(a.eigen.spectralRadius - 0.9) < 1e-14)
        #expect(abs(a.eigen.norm - 0.9) < 1e-15, "‖W‖₂ = ρ(W) for a symmetric W")
        let q = try #require(a.eigen.vectors)
        let expectedQ = [[0.8, 0.6], [-0.6, 0.8]]  // columns [0.8, −0.6] (λ = 0.4) and [0.6, 0.8] (λ = 0.9)
        for r in 0..<2 { for c in 0..<2 { #expect(abs(q[r, c].re - expectedQ[r][c]) < 1e-14 && q[r, c].im == 0) } }
        let p9 = pow30(0.9), p4 = pow30(0.4)
        let exact = [0.64 * p4 + 0.36 * p9, -0.48 * p4 + 0.48 * p9, -0.48 * p4 + 0.48 * p9, 0.36 * p4 + 0.64 * p9]
        let printed = [0.015261, 0.020348, 0.020348, 0.027130]
        let byEigen = try #require(a.byEigen).real
        for k in 0..<4 {
            #expect(abs(a.byMultiplication.values[k] - exact[k]) < 1e-15)
            #expect(abs(byEigen.values[k] - exact[k]) < 1e-15)
            #expect(abs(a.byMultiplication.values[k] - printed[k]) <= 0.5e-6, "W^30[\(k)] to 6 decimals")
        }
        #expect(a.byMultiplication[0, 1] > 0 && a.byMultiplication[1, 0] > 0)
        // The eigenvalues of W^30, from W^30 itself: 0.4^30 and 0.9^30 (the small one to
        // 1e−12·‖W^30‖₂ absolute, as promised; here it is far better).
        let pe = try #require(a.powerEigen)
        #expect(abs(pe.eigenvalues[0].re - p4) <= 1e-12 * pe.norm)
        #expect(abs(pe.eigenvalues[1].re - p9) <= 1e-15)
        #expect(a.growth == .vanishes)
    }

    /// The seed's Q = [[0.8, −0.6], [0.6, 0.8]] with Λ = diag(0.4, 0.9) and Q⁻¹ = Qᵀ multiplies
    /// out to [[0.58, −0.24], [−0.24, 0.72]], not to the W it states; its printed W^30 (with
    /// −0.020348 off the diagonal) is that other matrix's power.
    @Test func seedEigendecompositionBelongsToTheOtherMatrix() throws {
        let seedQ = Matrix([[0.8, -0.6], [0.6, 0.8]])
        let lambda = Matrix([[0.4, 0], [0, 0.9]])
        let product = seedQ.times(lambda).times(seedQ.transposed)
        let other = [0.58, -0.24, -0.24, 0.72]
        for k in 0..<4 { #expect(abs(product.values[k] - other[k]) < 1e-15) }
        #expect(abs(product[0, 1] - Self.W[0, 1]) > 0.4, "the seed's QΛQᵀ is not W")
        let otherPower = Eigen.power(product, 30)
        let seedPrinted = [0.015261, -0.020348, -0.020348, 0.027130]
        for k in 0..<4 { #expect(abs(otherPower.values[k] - seedPrinted[k]) <= 0.5e-6) }
        let ours = Eigen.power(Self.W, 30)
        #expect(abs(ours[0, 1] + seedPrinted[1]) <= 0.5e-6, "W^30 has +0.020348 where the seed prints −0.020348")
    }

    /// The CLI prints the seed's numbers.
    @Test func analyzeMatrixCommand() throws {
        let out = try CLIRunner.run(["analyze", "--matrix", "[[0.58,0.24],[0.24,0.72]]", "--power", "30"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.contains("W (2×2, symmetric: Jacobi rotations"))
        #expect(out.stdout.contains("  ‖W‖₂ = σ_max(W) = 0.9   (largest singular value)\n"))
        #expect(out.stdout.contains("λ_1 = 0.3999999999999999"))
        #expect(out.stdout.contains("λ_2 = 0.8999999999999999"))
        #expect(out.stdout.contains("  Q =\n    [  0.800000   0.600000 ]\n    [ -0.600000   0.800000 ]\n"))
        #expect(out.stdout.contains("W^30 by 30 repeated multiplications\n  [ 0.015261  0.020348 ]\n  [ 0.020348  0.027130 ]"))
        #expect(out.stdout.contains("W^30 = Q·Λ^30·Q⁻¹\n  [ 0.015261  0.020348 ]\n  [ 0.020348  0.027130 ]"))
        #expect(out.stdout.contains("powers: ρ(W) = 0.8999999999999999 < 1"))
        #expect(out.stdout.contains("eigenvalues of W^30, computed from W^30 itself"))
        #expect(out.stdout.contains("μ_2 = 0.04239115827521614"))
    }

    @Test func analyzeUsageErrors() throws {
        let bad = try CLIRunner.run(["analyze", "--matrix", "[[1,2,3],[4,5,6]]"])
        #expect(bad.status == 2 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("--matrix"))
        let both = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--matrix", "[[1]]"])
        #expect(both.status == 2 && both.stdout.isEmpty)
        try withTemporaryDirectory { dir in
            for option in [["--svg", dir + "/x.svg"], ["--window", "3"], ["--max-memory", "1000"]] {
                let r = try CLIRunner.run(["analyze", "--matrix", "[[1]]"] + option)
                #expect(r.status == 2 && r.stdout.isEmpty && r.stderr.contains(option[0]), "\(option)")
            }
            #expect(access(dir + "/x.svg", F_OK) != 0, "nothing is written on a usage error")
        }
        let overflow = try CLIRunner.run(["analyze", "--matrix", "[[3]]", "--power", "1000"])
        #expect(overflow.status == 2 && overflow.stdout.isEmpty && overflow.stderr.contains("overflows"))
        let unwritable = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--svg", "/nonexistent-dir/x.svg"])
        #expect(unwritable.status == 3 && unwritable.stdout.isEmpty && unwritable.stderr.contains("/nonexistent-dir/x.svg"))  // an output failure
        let window = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--window", "0"])
        #expect(window.status == 2 && window.stderr.contains("--window"))
        let format = try CLIRunner.run(["analyze", "fixtures/seed004-rnn.json", "--format", "jsn"])
        #expect(format.status == 2 && format.stderr.contains("did you mean 'json'"))
    }

    func pow30(_ x: Double) -> Double { (0..<30).reduce(1.0) { acc, _ in acc * x } }
}

@Suite struct EigenSolverTests {
    /// A·q_k = λ_k·q_k for every column, ‖q_k‖ = 1, and QΛQ⁻¹ = A.
    func expectDecomposition(_ a: Matrix, _ e: EigenDecomposition, tolerance: Double = 1e-11) throws {
        let q = try #require(e.vectors)
        let qi = try #require(e.inverseVectors)
        let n = a.rows
        let ca = ComplexMatrix(a)
        for k in 0..<n {
            var norm = 0.0
            for r in 0..<n {
                var s = Complex.zero
                for c in 0..<n { s += ca[r, c] * q[c, k] }
                #expect((s - e.eigenvalues[k] * q[r, k]).magnitude < tolerance, "A·q_\(k) ≠ λ·q_\(k)")
                norm += q[r, k].magnitude * q[r, k].magnitude
            }
            #expect(abs(norm - 1) < 1e-12)
        }
        let back = q.times(e.lambda).times(qi)
        for k in 0..<(n * n) { #expect((back.values[k] - Complex(a.values[k])).magnitude < tolerance) }
        let p = try #require(e.power(7))
        let m = Eigen.power(a, 7)
        let scale = max(1, m.values.map(abs).max() ?? 0)
        for k in 0..<(n * n) { #expect((p.values[k] - Complex(m.values[k])).magnitude < tolerance * scale * 10) }
    }

    @Test func symmetric() throws {
        let a = Matrix([[4, 1, -2, 0.5], [1, 3, 0, 1], [-2, 0, 5, -1], [0.5, 1, -1, 2]])
        let e = try Eigen.decompose(a)
        #expect(e.symmetric && !e.hasComplexEigenvalues && !e.isDefective)
        try expectDecomposition(a, e)
        #expect(abs(e.eigenvalues.reduce(0) { $0 + $1.re } - 14) < 1e-12)
        #expect(zip(e.eigenvalues, e.eigenvalues.dropFirst()).allSatisfy { $0.re <= $1.re })
    }

    @Test func nonSymmetricReal() throws {
        // Characteristic polynomial λ² − 7λ + 10: eigenvalues 2 and 5.
        let a = Matrix([[4, 1], [2, 3]])
        let e = try Eigen.decompose(a)
        #expect(!e.symmetric && !e.hasComplexEigenvalues)
        #expect(abs(e.eigenvalues[0].re - 2) < 1e-14 && abs(e.eigenvalues[1].re - 5) < 1e-14)
        try expectDecomposition(a, e)
        // Upper triangular: the eigenvalues are the diagonal, exactly (no QR sweep needed).
        let t = Matrix([[1, 2, 3, 4], [0, -2, 1, 0.5], [0, 0, 0.5, 7], [0, 0, 0, 3]])
        let et = try Eigen.decompose(t)
        #expect(et.eigenvalues.map(\.re) == [-2, 0.5, 1, 3])
        try expectDecomposition(t, et)
    }

    @Test func complexPairsAreExactConjugates() throws {
        // 0.5 ± 0.6i: a rotation-scaling.
        let a = Matrix([[0.5, -0.6], [0.6, 0.5]])
        let e = try Eigen.decompose(a)
        #expect(e.hasComplexEigenvalues)
        #expect(abs(e.eigenvalues[0].re - 0.5) < 1e-15 && abs(e.eigenvalues[0].im - 0.6) < 1e-15)
        #expect(e.eigenvalues[1] == e.eigenvalues[0].conjugate)
        #expect(abs(e.spectralRadius - (0.61).squareRoot()) < 1e-15)
        try expectDecomposition(a, e)
        // Their eigenvectors too, entry by entry.
        let q = try #require(e.vectors)
        for r in 0..<2 { #expect(q[r, 1] == q[r, 0].conjugate) }
        // The cyclic permutation: the three cube roots of unity.
        let p = Matrix([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        let ep = try Eigen.decompose(p)
        #expect(abs(ep.eigenvalues[0].re + 0.5) < 1e-14 && abs(ep.eigenvalues[0].im - 0.75.squareRoot()) < 1e-14)
        #expect(ep.eigenvalues[1] == ep.eigenvalues[0].conjugate)
        #expect(abs(ep.eigenvalues[2].re - 1) < 1e-14 && ep.eigenvalues[2].im == 0)
        try expectDecomposition(p, ep)
        // Two pairs, ±2i and 1 ± i, mixed by a similarity.
        let block = Matrix([[0, -2, 0, 0], [2, 0, 0, 0], [0, 0, 1, -1], [0, 0, 1, 1]])
        let s = Matrix([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1.5]])
        let si = try #require(ComplexMatrix(s).inverse).real
        let em = try Eigen.decompose(s.times(block).times(si))
        let expected = [(0.0, 2.0), (0.0, -2.0), (1.0, 1.0), (1.0, -1.0)]
        for (g, x) in zip(em.eigenvalues, expected) { #expect(abs(g.re - x.0) < 1e-12 && abs(g.im - x.1) < 1e-12) }
        #expect(em.eigenvalues[1] == em.eigenvalues[0].conjugate && em.eigenvalues[3] == em.eigenvalues[2].conjugate)
        try expectDecomposition(s.times(block).times(si), em, tolerance: 1e-9)
    }

    @Test func repeatedButDiagonalizable() throws {
        let a = Matrix([[2, 0, 0], [0, 2, 0], [0, 0, 3]])
        let e = try Eigen.decompose(a)
        #expect(!e.isDefective && e.groups.count == 1 && e.groups[0].algebraic == 2 && e.groups[0].geometric == 2)
        try expectDecomposition(a, e)
        // Non-symmetric with a repeated eigenvalue 2 and two independent eigenvectors.
        let b = Matrix([[2, 0, 1], [0, 2, 1], [0, 0, 3]])
        let eb = try Eigen.decompose(b)
        #expect(!eb.isDefective)
        #expect(eb.eigenvalues.map(\.re) == [2, 2, 3])
        try expectDecomposition(b, eb)
    }

    @Test func defective() throws {
        let j = Matrix([[1, 1], [0, 1]])
        let e = try Eigen.decompose(j)
        #expect(e.isDefective && e.vectors == nil && e.power(3) == nil)
        let d = try #require(e.defects.first)
        #expect(d.center == Complex(1) && d.algebraic == 2 && d.geometric == 1)
        // The eigenvector that exists: e₁.
        #expect(d.vectors == [[Complex(1), Complex(0)]])
        let j3 = Matrix([[0.5, 1, 0], [0, 0.5, 1], [0, 0, 0.5]])
        let e3 = try Eigen.decompose(j3)
        #expect(e3.defects.first?.algebraic == 3 && e3.defects.first?.geometric == 1)
        // Wⁿ still by multiplication: [[1, n], [0, 1]], and it grows polynomially.
        let a = try MatrixAnalysis(j, power: 5)
        #expect(a.byMultiplication == Matrix([[1, 5], [0, 1]]))
        #expect(a.byEigen == nil && a.growth == .polynomial)
        let out = try CLIRunner.run(["analyze", "--matrix", "[[1,1],[0,1]]", "--power", "5"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("W is defective: eigenvalue 1.0 has algebraic multiplicity 2 but 1 independent eigenvector,"))
        #expect(out.stdout.contains("λ_1, λ_2: λ̄ = 1.0, within 0 of each; multiplicity 2, singular values of W − λ̄I: 1.00e+00, 0; 1 below δ_2"))
        #expect(out.stdout.contains("  λ = 1.0   [ 1.000000  0.000000 ]\n"))
        #expect(out.stdout.contains("W^5 by 5 repeated multiplications\n  [ 1.000000  5.000000 ]\n  [ 0.000000  1.000000 ]"))
    }

    /// Issue 14: 0.5 and 0.5000005 are two eigenvalues, exactly, and W is diagonalizable.
    @Test func closePairStaysApart() throws {
        let m = Matrix([[0.5, 0.1], [0, 0.5000005]])
        let e = try Eigen.decompose(m)
        #expect(e.eigenvalues == [Complex(0.5), Complex(0.5000005)])
        #expect(!e.isDefective && e.groups.isEmpty && e.vectors != nil)
        let out = try CLIRunner.run(["analyze", "--matrix", "[[0.5,0.1],[0,0.5000005]]"])
        #expect(out.status == 0)
        #expect(out.stdout.contains("  λ_1 = 0.5 ") && out.stdout.contains("  λ_2 = 0.5000005 "))
        #expect(!out.stdout.contains("defective") && !out.stdout.contains("0.50000025"))
        #expect(out.stdout.contains("all 2 eigenvalues are simple"))
        let json = try CLIRunner.run(["analyze", "--matrix", "[[0.5,0.1],[0,0.5000005]]", "--format", "json"])
        #expect(json.stdout.contains("\"eigenvalues\": [[0.5, 0], [0.5000005, 0]]"))
    }

    /// Issue 14: 1e−7 and 3e−7 beside 0.1 stay apart, and are exact.
    @Test func tinyEigenvaluesStayApart() throws {
        let m = Matrix([[0.1, 0.02, 0], [0, 1e-7, 0], [0, 0, 3e-7]])
        let e = try Eigen.decompose(m)
        #expect(e.eigenvalues == [Complex(1e-7), Complex(3e-7), Complex(0.1)])
        #expect(!e.isDefective && e.groups.isEmpty)
        let out = try CLIRunner.run(["analyze", "--matrix", "[[0.1,0.02,0],[0,1e-7,0],[0,0,3e-7]]"])
        #expect(out.stdout.contains("  λ_1 = 1e-07 ") && out.stdout.contains("  λ_2 = 3e-07 ") && out.stdout.contains("  λ_3 = 0.1 "))
        // 1e−10 beside eigenvalues of order 1, through a similarity: to 1e−12·‖A‖₂.
        let s = Matrix([[1, 0.3, -0.2], [0.1, 1, 0.4], [-0.3, 0.2, 1]])
        let si = try #require(ComplexMatrix(s).inverse).real
        let a = s.times(Matrix([[1e-10, 0, 0], [0, 0.7, 0], [0, 0, 1]])).times(si)
        let ea = try Eigen.decompose(a)
        #expect(abs(ea.eigenvalues[0].re - 1e-10) <= 1e-12 * ea.norm && ea.eigenvalues[0].im == 0)
        #expect(abs(ea.eigenvalues[1].re - 0.7) <= 1e-12 * ea.norm && abs(ea.eigenvalues[2].re - 1) <= 1e-12 * ea.norm)
    }

    /// The powers W^n of ordinary RNN weights: eigenvalues over many orders of magnitude, none
    /// merged, pairs exactly conjugate, never "multiplicity m with 0 eigenvectors", never
    /// defective (W is diagonalizable).
    @Test(arguments: [10, 20, 30, 40])
    func powersOfRNNWeights(_ n: Int) throws {
        // A non-symmetric 6×6 with real and complex eigenvalues of moduli 0.2…0.95.
        let w = Matrix([[0.5, 0.3, -0.2, 0.1, 0.0, 0.2], [-0.3, 0.4, 0.1, 0.0, 0.2, -0.1], [0.1, -0.2, 0.3, 0.3, 0.1, 0.0],
                        [0.0, 0.1, -0.3, 0.2, 0.4, 0.1], [0.2, 0.0, 0.1, -0.4, 0.3, 0.2], [-0.1, 0.2, 0.0, 0.1, -0.2, 0.4]])
        let a = try MatrixAnalysis(w, power: n)
        let pe = try #require(a.powerEigen)
        #expect(!a.eigen.isDefective && !pe.isDefective)
        for e in [a.eigen, pe] {
            for s in e.eigenspaces { #expect(s.geometric >= 1) }
            for z in e.eigenvalues where z.im != 0 { #expect(e.eigenvalues.contains(z.conjugate)) }
            #expect(Set(e.eigenvalues.map { "\($0.re),\($0.im)" }).count == e.eigenvalues.count, "eigenvalues merged")
        }
        // Each eigenvalue of W^n is some λ_i^n, to 1e−12·‖W^n‖₂ (each λ_i is well-conditioned here).
        var free = Array(a.eigenvaluePowers.indices)
        for mu in pe.eigenvalues {
            let i = free.min { (a.eigenvaluePowers[$0] - mu).magnitude < (a.eigenvaluePowers[$1] - mu).magnitude }!
            free.removeAll { $0 == i }
            #expect((a.eigenvaluePowers[i] - mu).magnitude <= 1e-12 * pe.norm, "μ = \(mu), λ^\(n) = \(a.eigenvaluePowers[i])")
        }
        let out = try CLIRunner.run(["analyze", "--matrix", literal(w), "--power", String(n)])
        #expect(out.status == 0 && !out.stdout.contains("defective") && !out.stdout.contains("but 0 independent"))
    }

    /// ‖M‖₂ by tridiagonalization and bisection against the one-sided Jacobi SVD, on matrices
    /// of every shape up to 12 (square, wide, tall) with entries over several magnitudes.
    @Test func spectralNormAgreesWithTheSVD() {
        var seed: UInt64 = 11
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53) * 2 - 1
        }
        for rows in 1...12 {
            for cols in [1, 2, 5, 12] {
                let scale = [1e-8, 1.0, 1e6][(rows + cols) % 3]
                let m = Matrix(rows: rows, cols: cols, values: (0..<(rows * cols)).map { _ in scale * next() })
                let svd = SingularValues(m)
                #expect(relativeError(Eigen.spectralNorm(m), svd.values[0]) <= 1e-14, "\(rows)×\(cols)")
            }
        }
    }

    @Test func singularValuesAndNorms() {
        // [[3, 0], [4, 5]]: singular values √45 and √5.
        #expect(abs(Eigen.spectralNorm(Matrix([[3, 0], [4, 5]])) - 45.0.squareRoot()) < 1e-14)
        let svd = SingularValues(Matrix([[3, 0], [4, 5]]))
        #expect(abs(svd.values[0] - 45.0.squareRoot()) < 1e-14 && abs(svd.values[1] - 5.0.squareRoot()) < 1e-14)
        // Complex: diag(1 + i, 0) has singular values √2, 0 and null vector e₂.
        var c = ComplexMatrix(zeros: 2, 2)
        c[0, 0] = Complex(1, 1)
        let cs = SingularValues(c)
        #expect(abs(cs.values[0] - 2.0.squareRoot()) < 1e-15 && cs.values[1] == 0)
        #expect(cs.nullSpace(tolerance: 1e-12).count == 1)
    }

    func literal(_ m: Matrix) -> String {
        "[" + m.rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
