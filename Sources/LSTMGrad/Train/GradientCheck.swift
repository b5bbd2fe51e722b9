/// `gradcheck`: every analytic gradient of a problem (cell, head, initial state, inputs) against
/// central finite differences, block by block, optionally on a fixed-seed random sample.
public struct GradientCheck: Sendable {
    public struct Row: Sendable {
        public var block: FiniteDifferences.Block
        /// Entries in the block (the sample may check fewer).
        public var size: Int
        /// max_k |a − n| / max(1, |a|, |n|): absolute for small gradients, relative for large.
        public var error: Double
    }

    public var rows: [Row]
    public var tolerance: Double
    /// The timesteps whose input gradients were checked, of `steps`.
    public var timesteps: [Int]
    public var steps: Int

    public var passed: Bool { rows.allSatisfy { $0.error <= tolerance } }

    /// `sample` checks that many random entries per block (all when nil), chosen by `seed`, and
    /// the input blocks of only `sampledTimesteps`. `step` is the finite-difference h
    /// (FiniteDifferences' own default when nil).
    public init<C: Cell>(_ pass: Pass<C>, tolerance: Double = 1e-6, sample: Int? = nil, seed: UInt64 = 0x5EED, step: Double? = nil) {
        steps = pass.problem.inputs.count
        timesteps = GradientCheck.sampledTimesteps(steps, sample: sample, seed: seed)
        let times = timesteps
        rows = Self.rows(sample: sample, seed: seed) { pick in
            step.map { FiniteDifferences.check(pass, step: $0, entries: pick, timesteps: times) }
                ?? FiniteDifferences.check(pass, entries: pick, timesteps: times)
        }
        self.tolerance = tolerance
    }

    /// A network's check: every block of every layer and direction, and the head's (the
    /// initial states and inputs are not perturbed here).
    public init<C: Cell>(network pass: NetworkPass<C>, tolerance: Double = 1e-6, sample: Int? = nil, seed: UInt64 = 0x5EED) {
        steps = pass.problem.steps
        timesteps = Array(0..<steps)
        rows = Self.rows(sample: sample, seed: seed) { pick in FiniteDifferences.check(network: pass, entries: pick) }
        self.tolerance = tolerance
    }

    /// The rows of the blocks `check` compares, `check` picking each block's entries (`sample`
    /// of them at random by `seed`, all when nil).
    static func rows(sample: Int?, seed: UInt64, _ check: ((String, Int) -> [Int]) -> [FiniteDifferences.Block]) -> [Row] {
        var rng = SplitMix64(seed: seed)
        var sizes: [String: Int] = [:]
        let blocks = check { name, n in
            sizes[name] = n
            guard let k = sample, k < n else { return Array(0..<n) }
            var pool = Array(0..<n)
            for j in 0..<k { pool.swapAt(j, j + Int(rng.next() % UInt64(n - j))) }
            return pool[0..<k].sorted()
        }
        return blocks.map { b in
            let err = zip(b.analytic, b.numeric).map { a, n in abs(a - n) / max(1, abs(a), abs(n)) }.max() ?? 0
            return Row(block: b, size: sizes[b.name] ?? b.indices.count, error: err)
        }
    }

    /// The timesteps whose input gradients a sample of k checks: all of them when there are at
    /// most k + 2, else the first and the last (the longest and the shortest path back from the
    /// loss) and k others at random, in order. Each input block costs a full forward pass per
    /// entry, so without this a sample of 3 at T = 2,000 was as slow as the full check. The draw
    /// has its own generator, so the entries picked within each block are those of the full
    /// list of timesteps.
    public static func sampledTimesteps(_ steps: Int, sample: Int?, seed: UInt64) -> [Int] {
        guard let k = sample, steps > k + 2 else { return Array(0..<steps) }
        var rng = SplitMix64(seed: seed ^ 0x7153_7E95)
        var pool = Array(1..<(steps - 1))
        for j in 0..<k { pool.swapAt(j, j + Int(rng.next() % UInt64(pool.count - j))) }
        return [0] + pool[0..<k].sorted() + [steps - 1]
    }

    /// A table: block, entries checked, max absolute and relative error, ok / FAIL.
    public func render(into out: inout OutputBuffer) {
        let width = max(5, rows.map { $0.block.name.unicodeScalars.count }.max() ?? 0)
        out.write("block".padded(width) + "  checked   max |a−n|    max rel\n")
        for r in rows {
            out.write(r.block.name.padded(width))
            out.write("  " + "\(r.block.indices.count)/\(r.size)".padded(8))
            out.write("  " + scientific(r.block.maxAbsoluteError).padded(11))
            out.write("  " + scientific(r.block.maxRelativeError()).padded(11))
            out.write(r.error <= tolerance ? "  ok" : "  FAIL")
            out.newline()
        }
        if timesteps.count < steps {
            out.write("inputs: \(timesteps.count) of \(steps) timesteps checked (the first, the last and \(timesteps.count - 2) at random)\n")
        }
        let failed = rows.filter { $0.error > tolerance }.count
        let checked = rows.reduce(0) { $0 + $1.block.indices.count }
        out.write(failed == 0 ? "all \(rows.count) blocks agree (\(checked) entries, tolerance \(scientific(tolerance)))\n"
                              : "\(failed) of \(rows.count) blocks differ beyond the tolerance \(scientific(tolerance))\n")
    }
}

/// `1.23e-09`: three significant digits in scientific notation.
public func scientific(_ x: Double) -> String {
    guard x.isFinite else { return "\(x)" }
    if x == 0 { return "0" }
    var e = 0
    var m = abs(x)
    while m >= 10 { m /= 10; e += 1 }
    while m < 1 { m *= 10; e -= 1 }
    var b = OutputBuffer()
    b.writeFixed(x < 0 ? -m : m, decimals: 2)
    var s = b.text
    if s.hasPrefix("10.") || s.hasPrefix("-10.") {
        b = OutputBuffer()
        b.writeFixed(x < 0 ? -m / 10 : m / 10, decimals: 2)
        s = b.text
        e += 1
    }
    return s + "e" + (e < 0 ? "-" : "+") + (abs(e) < 10 ? "0" : "") + "\(abs(e))"
}


extension Spec {
    /// The gradient check of the spec's problem, whatever its cell.
    public func gradientCheck(tolerance: Double = 1e-6, sample: Int? = nil) -> GradientCheck {
        visit(GradientCheckVisitor(tolerance: tolerance, sample: sample))
    }
}

struct GradientCheckVisitor: ProblemVisitor {
    var tolerance: Double
    var sample: Int?
    func visit<C: Cell>(_ problem: Problem<C>) -> GradientCheck {
        GradientCheck(Pass(problem, views: false), tolerance: tolerance, sample: sample)
    }

    func visit<C: Cell>(network: NetworkProblem<C>) -> GradientCheck {
        GradientCheck(network: NetworkPass(network), tolerance: tolerance, sample: sample)
    }
}
