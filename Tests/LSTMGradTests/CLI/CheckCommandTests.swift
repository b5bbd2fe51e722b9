import LSTMGrad
import Testing

/// `lstm-grad check` end to end on answers written here by hand (issue 12, bug 4): what
/// "carried forward" credits, and the names a student may write.
@Suite struct CheckCommandTests {
    /// Writes `answers` (JSON text) to a temporary file and runs `check SPEC FILE`.
    func check(_ spec: String, _ answers: String) throws -> CLIRunner.Output {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/answers.json", answers)
            return try CLIRunner.run(["check", "fixtures/" + spec, dir + "/answers.json"])
        }
    }

    /// The line of `check`'s output for a label (`δU`, `δa_0`).
    func line(_ out: CLIRunner.Output, _ label: String) throws -> String {
        try #require(out.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix("✓ \(label) ") || $0.hasPrefix("✗ \(label) ") },
                     "no line for \(label) in:\n\(out.stdout)")
    }

    /// x to 5 decimals, as a student writes it.
    func written(_ x: Double) -> String {
        var b = OutputBuffer()
        b.writeFixed(x, decimals: 5)
        return b.text
    }

    // MARK: carried forward names only what the answer depends on

    /// The published example: stacked δU = Σ_t δgates_t ⊗ out_{t−1} with out_{−1} = 0, so δU does
    /// not depend on δa_0. A student slips on δa_0 and computes δU from their rounded δ_1 and
    /// out_0: δU is carried forward, from the t = 1 values, never "from δa_0".
    @Test func stackedDeltaUIsNotCreditedToDeltaA0() throws {
        // δU = δgates_1 ⊗ out_0, by hand from the rounded values a student writes.
        let out0 = 0.53631, d1 = [-0.01938, -0.00112, -0.00631, -0.05538]
        let dU = d1.map { written($0 * out0) }
        #expect(dU[0] == "-0.01039")  // true δU_a = −0.01040: the rounding carried forward
        let answers = """
            {"out[0]": 0.53631, "delta_a[0]": -0.01800,
             "delta_a[1]": -0.01938, "delta_i[1]": -0.00112, "delta_f[1]": -0.00631, "delta_o[1]": -0.05538,
             "dU": [\(dU.joined(separator: ", "))]}
            """
        let out = try check("gomez.json", answers)
        #expect(out.status == 1, "\(out.stderr)")  // δa_0 is wrong
        #expect(try line(out, "δa_0").hasPrefix("✗"))
        let du = try line(out, "δU")
        #expect(du.contains("✓ carried forward (from "), "\(du)")
        #expect(!du.contains("δa_0"), "\(du)")
        #expect(du.contains("δa_1 = -0.01938"), "\(du)")
    }

    /// Seed 003 (stacked weights, no biases, hat notation, T = 3): δU = δz_1 ⊗ h_0 + δz_2 ⊗ h_1.
    /// The student's values are the true ones rounded to 5 decimals except a slipped δâ_0; δU is
    /// computed here from those rounded numbers.
    @Test func stackedSpecDeltaUIsNotCreditedToDeltaA0() throws {
        let run = try CLIRunner.run(["run", "fixtures/seed003-stacked.json", "--format", "json"])
        let v = try JSONOutput.quantityTable(run.stdout)
        func rounded(_ key: String) throws -> [Double] { try #require(v[key], "\(key)").map { Double(written($0))! } }
        let gates = ["a", "i", "f", "o"]
        var keys: [String: [Double]] = [:]
        for t in 1...2 {
            for g in gates { keys["delta_\(g)[\(t)]"] = try rounded("delta_\(g)[\(t)]") }
        }
        keys["out[0]"] = try rounded("out[0]")
        keys["out[1]"] = try rounded("out[1]")
        // δU (8×2, rows a, i, f, o) = Σ_{t=1,2} δgates_t ⊗ out_{t−1}, by hand.
        var dU: [[Double]] = Array(repeating: [0, 0], count: 8)
        for t in 1...2 {
            let d = gates.flatMap { keys["delta_\($0)[\(t)]"]! }, h = keys["out[\(t - 1)]"]!
            for r in 0..<8 { for c in 0..<2 { dU[r][c] += d[r] * h[c] } }
        }
        let trueA0 = try #require(v["delta_a[0]"])
        let slipped = trueA0.map { $0 + 0.01 }
        func list(_ xs: [Double]) -> String { "[" + xs.map(written).joined(separator: ", ") + "]" }
        let entries = keys.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \(list($0.value))" }
            + ["\"delta_a[0]\": \(list(slipped))", "\"dU\": [" + dU.map(list).joined(separator: ", ") + "]"]
        let out = try check("seed003-stacked.json", "{" + entries.joined(separator: ",\n ") + "}")
        #expect(out.status == 1, "\(out.stderr)")
        #expect(try line(out, "δâ_0").hasPrefix("✗"))
        let du = try line(out, "δU")
        // Entry 12 is 0.00200 from the rounded operands, 0.00199 true: carried forward.
        #expect(du.contains("✓ carried forward (from δâ_1 = "), "\(du)")
        #expect(!du.contains("δâ_0"), "\(du)")
    }

    // MARK: names: did-you-mean knows the notation and the layout

    /// The `did you mean` of `check`'s error for an unknown key (exit 1: that item is not
    /// graded, the others are).
    func suggestion(_ spec: String, _ key: String) throws -> String? {
        let out = try check(spec, "{\"\(key)\": 0}")
        #expect(out.status == 1 && out.stdout.contains("not graded: 1 item"), "\(out.stdout)")
        #expect(out.stderr.contains("unknown quantity \"\(key)\""), "\(out.stderr)")
        guard let r = out.stderr.firstRange(of: "did you mean \"") else { return nil }
        return String(out.stderr[r.upperBound...].prefix { $0 != "\"" })
    }

    /// The univariate sheet's W^{hi} is U_i (its layout block `Wh.i`): δW^{hi} written `dWh.i`
    /// is `dU.i`, never `dW.i` (W^{xi}); `Wx.c` is W^{xc} = W_a.
    @Test func layoutSpellingsSuggestTheirCanonicalBlock() throws {
        #expect(try suggestion("seed000-univariate.json", "dWh.i") == "dU.i")
        #expect(try suggestion("seed000-univariate.json", "dWx.c") == "dW.a")
        #expect(try suggestion("seed000-univariate.json", "Wh.f") == "U.f'")
        #expect(try suggestion("seed000-univariate.json", "dW0.o") == "db.o")
    }

    /// δh where h is out (an alias of every built-in notation): `delta_out[0]`, never `a[0]`.
    @Test(arguments: ["gomez.json", "seed003-stacked.json", "seed000-univariate.json"])
    func aliasSpellingsSuggestTheCanonicalName(_ spec: String) throws {
        #expect(try suggestion(spec, "dh[0]") == "delta_out[0]")
        #expect(try suggestion(spec, "dstate[1]") == "delta_state[1]")
    }

    /// Labels of the spec's notation and of the other built-in notations: `δout[0]` in colah's
    /// notation (where δout is ∇h), `∇W^hi` in the published one (where it is δU_i).
    @Test func labelsOfEveryNotationSuggestTheirQuantity() throws {
        #expect(try suggestion("seed000-univariate.json", "δout[0]") == "delta_out[0]")
        #expect(try suggestion("seed000-univariate.json", "δout_0") == "delta_out[0]")
        #expect(try suggestion("gomez.json", "∇W^hi") == "dU.i")
        #expect(try suggestion("seed003-stacked.json", "delta_h[9]") == "delta_out[2]")  // δh, not Δh
    }

    /// The labels the report prints are answers keys too (issue 13), canonical keys always.
    @Test func printedLabelsAreAcceptedAsKeys() throws {
        let published = try check("gomez.json", """
            {"δout_0": 0.01804, "W_a": [0.45267, 0.25922], "δW_a": [-0.02672, -0.0922], "state[0]": 0.78573}
            """)
        #expect(published.status == 0, "\(published.stderr)")
        #expect(published.stdout.hasPrefix("✓ δout_0  = 0.01804"), "\(published.stdout)")
        #expect(published.stdout.hasSuffix("4 correct, 0 wrong\n"), "\(published.stdout)")

        // Colah's notation: ∇W^hi is δU_i; the true value from `run --format json`.
        let run = try CLIRunner.run(["run", "fixtures/seed000-univariate.json", "--format", "json"])
        let dUi = try #require(try JSONOutput.quantityTable(run.stdout)["dU.i"]?.first)
        let colah = try check("seed000-univariate.json", "{\"∇W^hi\": \(written(dUi)), \"∇h_0\": 1}")
        #expect(colah.status == 1, "\(colah.stderr)")
        #expect(colah.stdout.hasPrefix("✓ ∇W^hi = "), "\(colah.stdout)")
        #expect(colah.stdout.contains("✗ ∇h_0 "), "\(colah.stdout)")

        // The same name twice, once as a label: one answer, the second a duplicate (reported,
        // not graded: exit 1).
        let twice = try check("gomez.json", "{\"delta_out[0]\": 0.01804, \"δout_0\": 0.01804}")
        #expect(twice.status == 1)
        #expect(twice.stdout.hasPrefix("✓ δout_0 = 0.01804"), "\(twice.stdout)")
        #expect(twice.stderr.contains("δout_0"), "\(twice.stderr)")
    }
}
