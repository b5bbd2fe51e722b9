import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The peephole LSTM, the cell added as a plug-in: its gradients against five-point finite
/// differences on several shapes (with and without heads, nonzero initial state), its forward
/// step by hand, and every command end to end through the binary.
@Suite struct PeepholeLSTMTests {
    /// A peephole spec with weights drawn from a fixed seed.
    static func spec(X: Int, H: Int, T: Int, head: String?, seed: UInt64) -> String {
        var rng = SplitMix64(seed: seed)
        func number() -> String {
            let u = Double(rng.next() >> 11) * 0x1p-53
            return shortest(((2 * u - 1) * 8000).rounded() / 10_000)
        }
        func vector(_ n: Int) -> String { "[" + (0..<n).map { _ in number() }.joined(separator: ", ") + "]" }
        func matrix(_ r: Int, _ c: Int) -> String { "[" + (0..<r).map { _ in vector(c) }.joined(separator: ", ") + "]" }
        func perGate(_ make: () -> String) -> String { "{" + ["a", "i", "f", "o"].map { "\"\($0)\": \(make())" }.joined(separator: ", ") + "}" }
        let K = head == nil ? H : 2
        let headJSON = head.map { ", \"head\": {\"type\": \"\($0)\", \"V\": \(matrix(K, H)), \"c\": \(vector(K))}" } ?? ""
        return """
            {"model": "lstm", "weights": {"W": \(perGate { matrix(H, X) }), "U": \(perGate { matrix(H, H) }), "b": \(perGate { vector(H) }),
              "peepholes": {"i": \(vector(H)), "f": \(vector(H)), "o": \(vector(H))}}\(headJSON),
             "inputs": \(matrix(T, X)), "labels": \(matrix(T, K)), "loss": "l2",
             "initial": {"out": \(vector(H)), "state": \(vector(H))}}
            """
    }

    static let shapes: [(X: Int, H: Int, T: Int, head: String?)] = [(1, 1, 1, nil), (2, 3, 4, nil), (3, 2, 5, "linear"), (2, 4, 3, "sigmoid")]

    @Test(arguments: shapes.indices)
    func gradientsMatchFiniteDifferences(_ k: Int) throws {
        let s = Self.shapes[k]
        let spec = try Fixtures.spec(json: Self.spec(X: s.X, H: s.H, T: s.T, head: s.head, seed: UInt64(k + 1)))
        let problem = try #require(spec.problem(as: PeepholeLSTMCell.self))
        let blocks = FiniteDifferences.check(Pass(problem))
        for name in ["dp.i", "dp.f", "dp.o", "dW.f", "dU.o", "delta_state[-1]", "Delta_out[-1]", "delta_x[0]"] {
            #expect(blocks.contains { $0.name == name }, "\(name) not checked")
        }
        for block in blocks {
            for (a, n) in zip(block.analytic, block.numeric) {
                let err = abs(a - n) / max(abs(a), abs(n), 1e-6)
                #expect(err < 1e-6, "\(s): \(block.name): analytic \(a), numeric \(n), relative error \(err)")
            }
        }
    }

    /// i_0 and o_0 by hand: the peepholes read state_{−1} and state_0.
    @Test func forwardStepByHand() throws {
        let spec = try Fixtures.spec("lstm-peephole.json")
        let problem = try #require(spec.problem(as: PeepholeLSTMCell.self))
        let p = problem.cell.parameters, l = p.lstm
        let x = problem.inputs[0], h = problem.initial.out, c = problem.initial.state!
        func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        func pre(_ W: Matrix, _ U: Matrix, _ b: Vector, _ k: Int) -> Double {
            (0..<x.count).reduce(0) { $0 + W[k, $1] * x[$1] } + (0..<h.count).reduce(0) { $0 + U[k, $1] * h[$1] } + b[k]
        }
        let report = try spec.report()
        let i0 = try #require(report.quantity("i[0]")).value.numbers
        let f0 = try #require(report.quantity("f[0]")).value.numbers
        let a0 = try #require(report.quantity("a[0]")).value.numbers
        let o0 = try #require(report.quantity("o[0]")).value.numbers
        for k in 0..<2 {
            #expect(abs(i0[k] - sigma(pre(l.W.i, l.U.i, l.b.i, k) + p.i[k] * c[k])) < 1e-15)
            let state0 = a0[k] * i0[k] + f0[k] * c[k]
            #expect(abs(o0[k] - sigma(pre(l.W.o, l.U.o, l.b.o, k) + p.o[k] * state0)) < 1e-15)
        }
    }

    /// run, --show-work, --steps with --write-updated (the file holds the parameters after the
    /// last step), gradcheck and check, through the binary.
    @Test func everyCommand() throws {
        try withTemporaryDirectory { dir in
            let spec = Fixtures.path("lstm-peephole.json")
            let work = try CLIRunner.run(["run", spec, "--show-work"])
            #expect(work.status == 0)
            #expect(work.stdout.contains("i_0 = σ(W_i·x_0 + U_i·out_-1 + p_i ⊙ state_-1 + b_i) = "))
            #expect(work.stdout.contains("o_0 = σ(W_o·x_0 + U_o·out_-1 + p_o ⊙ state_0 + b_o) = "))
            #expect(work.stdout.contains("δp_o = δo_0 ⊙ state_0 + δo_1 ⊙ state_1 + δo_2 ⊙ state_2 = "))
            let steps = try CLIRunner.run(["run", spec, "--steps", "3", "--write-updated", dir + "/after3.json"])
            #expect(steps.status == 0, "\(steps.stderr)")
            let after = try #require(steps.stdout.split(separator: "\n").first { $0.contains("L after step 3") })
            let reread = try CLIRunner.run(["run", dir + "/after3.json", "--summary"])
            #expect(reread.status == 0, "\(reread.stderr)")
            let loss = try #require(Double(reread.stdout.split(separator: "\n")[1].dropFirst("loss: ".count)))
            var b = OutputBuffer()
            b.writeFixed(loss, decimals: 5)
            #expect(after.hasSuffix("= " + b.text), "\(after) vs \(loss)")
            #expect(try CLIRunner.run(["gradcheck", spec]).status == 0)
            // δstate_0 without the peepholes' terms is diagnosed as that mistake; the true value passes.
            let report = try Fixtures.spec("lstm-peephole.json").report(work: true)
            let values = try #require(report.values)
            let v = { (key: String) in values.value(name(key)).numbers }
            let withoutPeepholes = zip(v("delta_state_from_out[0]"), v("delta_state_from_next[0]")).map { $0 + $1 }
            let truth = v("delta_out[0]")
            func list(_ xs: [Double]) -> String { "[" + xs.map { shortest($0) }.joined(separator: ", ") + "]" }
            try writeFile(dir + "/answers.json", "{\"delta_out[0]\": \(list(truth)), \"delta_state[0]\": \(list(withoutPeepholes))}")
            let check = try CLIRunner.run(["check", spec, dir + "/answers.json"])
            #expect(check.status == 1)
            #expect(check.stdout.contains("left out the terms the peepholes carry back into δstate"), "\(check.stdout)")
            #expect(check.stdout.contains("1 correct, 1 wrong"), "\(check.stdout)")
        }
    }

    /// init writes a peephole spec that runs and passes the gradient check.
    @Test func initWritesAPeepholeSpec() throws {
        try withTemporaryDirectory { dir in
            let made = try CLIRunner.run(["init", "--model", "lstm", "--layout", "peephole", "--seed", "5", "-o", dir + "/p.json"])
            #expect(made.status == 0, "\(made.stderr)")
            let check = try CLIRunner.run(["gradcheck", dir + "/p.json"])
            #expect(check.status == 0, "\(check.stdout)")
            #expect(check.stdout.contains("dp.f"))
        }
    }
}
