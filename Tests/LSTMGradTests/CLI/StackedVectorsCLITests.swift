import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The stacked vectors a solution writes (issue 12): δgates_t in the published notation; z_t,
/// I_t, δz_t, δI_t in seed 003's hat notation. Each printed value is recomputed here from the
/// spec's own numbers with plain loops (z_t = [W; U]·I_t + b, δI_t = [W; U]ᵀ·δz_t), and `check`
/// accepts every one of them, printed or not.
@Suite struct StackedVectorsCLITests {
    /// seed 003 with biases and PyTorch's gate order i, f, g, o: z_t's rows stay a, i, f, o.
    static let reordered = """
        {"model": "lstm", "notation": "hat",
         "weights": {"order": "ifgo",
           "W": [[0.37, 0.43], [-0.86, -0.79], [0.32, 0.83], [-0.45, -0.08], [0.17, -0.32], [-0.24, -0.34], [-0.24, 0.17], [-0.36, -0.22]],
           "U": [[0.49, -0.85], [0.12, 0.42], [-0.34, -0.5], [0.55, -0.47], [-0.56, -0.12], [0.36, -0.72], [-0.32, -0.3], [0.6, -0.11]],
           "b": [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8]},
         "inputs": [[1.0, -0.5], [0.3, 0.8], [-0.7, 0.2]],
         "labels": [[0.2, -0.1], [0.4, 0.3], [-0.2, 0.5]],
         "loss": "l2", "learning_rate": 0.5, "initial": {"out": [0.25, -0.5], "state": [0.1, 0.2]}}
        """

    /// The spec's stacked rows, reordered to a, i, f, o (8 rows: gate k holds rows 2k, 2k + 1).
    struct Stacked {
        var W: [[Double]], U: [[Double]], b: [Double], inputs: [[Double]], initialOut: [Double]

        init(_ text: String) throws {
            let root = try JSONParser.parse(Array(text.utf8))
            func matrix(_ path: [String]) -> [[Double]] { (JSONOutput.member(root, path)?.array ?? []).map(JSONOutput.flatten) }
            let order = JSONOutput.member(root, ["weights", "order"])?.string ?? "aifo"
            // Row block of gate g (a, i, f, o) in the spec's order; the candidate is spelled g there.
            let blocks = "aifo".map { g in order.firstIndex(of: g == "a" && !order.contains("a") ? "g" : g).map { order.distance(from: order.startIndex, to: $0) }! }
            func reorder<T>(_ rows: [T]) -> [T] { blocks.flatMap { [rows[2 * $0], rows[2 * $0 + 1]] } }
            W = reorder(matrix(["weights", "W"]))
            U = reorder(matrix(["weights", "U"]))
            let bias = JSONOutput.member(root, ["weights", "b"]).map(JSONOutput.flatten) ?? Array(repeating: 0, count: 8)
            b = reorder(bias)
            inputs = matrix(["inputs"])
            initialOut = JSONOutput.member(root, ["initial", "out"]).map(JSONOutput.flatten) ?? [0, 0]
        }
    }

    func run(_ args: [String], stdin: String? = nil) throws -> [String: [Double]] {
        let out = try CLIRunner.run(args, stdin: stdin)
        #expect(out.status == 0, "\(out.stderr)")
        return try JSONOutput.quantityTable(out.stdout)
    }

    func expectClose(_ a: [Double]?, _ b: [Double], _ what: String) {
        guard let a else { Issue.record("\(what) missing"); return }
        #expect(a.count == b.count, "\(what): \(a.count) numbers, expected \(b.count)")
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-13 * max(1, abs(y)), "\(what): \(a) vs \(b)") }
    }

    @Test(arguments: ["seed003", "reordered"])
    func hatNotationVectorsAreTheirDefinitions(_ which: String) throws {
        let text = which == "seed003" ? String(decoding: try InputFile.read(Fixtures.path("seed003-stacked.json")), as: UTF8.self) : Self.reordered
        let s = try Stacked(text)
        let v = try run(["run", "-", "--format", "json"], stdin: text)
        for t in 0..<3 {
            let prevOut = t == 0 ? s.initialOut : try #require(v["out[\(t - 1)]"])
            // I_t = [x_t; h_{t−1}]
            let I = s.inputs[t] + prevOut
            expectClose(v["I[\(t)]"], I, "I[\(t)]")
            // z_t = [W U]·I_t + b, row by row.
            var z = s.b
            for r in 0..<8 {
                for c in 0..<2 { z[r] += s.W[r][c] * I[c] + s.U[r][c] * I[2 + c] }
            }
            expectClose(v["z[\(t)]"], z, "z[\(t)]")
            // The gates from z_t: a = tanh(â), i, f, o = σ(·).
            let sig = { (x: Double) in 1 / (1 + exp(-x)) }
            expectClose(v["a[\(t)]"], z[0..<2].map { tanh($0) }, "a[\(t)] from z")
            expectClose(v["o[\(t)]"], z[6..<8].map(sig), "o[\(t)] from z")
            // δz_t = δgates_t = [δâ; δî; δf̂; δô]
            let dz = try ["a", "i", "f", "o"].flatMap { try #require(v["delta_\($0)[\(t)]"]) }
            expectClose(v["delta_gates[\(t)]"], dz, "delta_gates[\(t)]")
            // δI_t = [W U]ᵀ·δz_t = [δx_t; Δh_{t−1}]
            var dI = [Double](repeating: 0, count: 4)
            for r in 0..<8 {
                for c in 0..<2 {
                    dI[c] += s.W[r][c] * dz[r]
                    dI[2 + c] += s.U[r][c] * dz[r]
                }
            }
            expectClose(v["delta_I[\(t)]"], dI, "delta_I[\(t)]")
            expectClose(v["delta_I[\(t)]"], try #require(v["delta_x[\(t)]"]) + (try #require(v["Delta_out[\(t - 1)]"])), "[δx; Δout]")
        }
    }

    /// Printed where the notation writes them, in the sheet's order.
    @Test func printedWhereTheNotationUsesThem() throws {
        let hat = try CLIRunner.run(["run", "fixtures/seed003-stacked.json"]).stdout.split(separator: "\n").map(String.init)
        func index(_ prefix: String, in lines: [String]) throws -> Int {
            try #require(lines.firstIndex { $0.hasPrefix(prefix) }, "no line \(prefix)")
        }
        #expect(try index("  I_0 ", in: hat) < index("  z_0 ", in: hat))
        #expect(try index("  z_0 ", in: hat) < index("  a_0 ", in: hat))
        #expect(try index("  δô_2 ", in: hat) + 1 == index("  δz_2 ", in: hat))
        #expect(try index("  Δh^next_1 ", in: hat) < index("  δI_2 ", in: hat))
        #expect(hat.contains { $0.hasPrefix("  δz_0 ") && $0.hasSuffix("(= [δâ_0; δî_0; δf̂_0; δô_0])") })

        let published = try CLIRunner.run(["run", "fixtures/gomez.json"]).stdout.split(separator: "\n").map(String.init)
        #expect(try index("  δo_1 ", in: published) + 1 == index("  δgates_1 ", in: published))
        #expect(published.contains("  δgates_0      = [ -0.01702  -0.00165   0.00000   0.00176 ]   (= [δa_0; δi_0; δf_0; δo_0])"))
        #expect(!published.contains { $0.hasPrefix("  z_0 ") || $0.hasPrefix("  I_0 ") || $0.hasPrefix("  δI_0 ") })

        let colah = try CLIRunner.run(["run", "fixtures/seed000-univariate.json"]).stdout
        #expect(!colah.contains("δgates") && !colah.contains("∇gates"))
    }

    // MARK: check

    func check(_ spec: String, _ answers: String) throws -> CLIRunner.Output {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/a.json", answers)
            return try CLIRunner.run(["check", spec, dir + "/a.json"])
        }
    }

    /// The published example writes δgates_0 = [−0.01702, −0.00165, 0, 0.00176] (by key or label).
    @Test func checkAcceptsDeltaGatesAsPublished() throws {
        let out = try check("fixtures/gomez.json", """
            {"delta_gates[0]": [-0.01702, -0.00165, 0, 0.00176], "δgates_1": [-0.01938, -0.00112, -0.00631, -0.05538]}
            """)
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasPrefix("✓ δgates_0 = [-0.01702, -0.00165, 0, 0.00176]"), "\(out.stdout)")
        #expect(out.stdout.hasSuffix("2 correct, 0 wrong\n"))

        // From the student's own slipped δa_1: carried forward.
        let slipped = try check("fixtures/gomez.json", """
            {"delta_a[1]": -0.01900, "delta_i[1]": -0.00112, "delta_f[1]": -0.00631, "delta_o[1]": -0.05538,
             "delta_gates[1]": [-0.01900, -0.00112, -0.00631, -0.05538]}
            """)
        let line = try #require(slipped.stdout.split(separator: "\n").first { $0.hasPrefix("✓ δgates_1") }, "\(slipped.stdout)")
        #expect(line.hasSuffix("✓ carried forward (from δa_1 = -0.01900)"), "\(line)")
    }

    /// Every stacked name, in every notation: by canonical key, by the hat notation's labels and
    /// alias (`delta_z`), and where the notation does not print them (colah's).
    @Test func checkAcceptsEveryStackedName() throws {
        let v = try run(["run", "fixtures/seed003-stacked.json", "--format", "json"])
        func literal(_ key: String) throws -> String {
            "[" + (try #require(v[key], "\(key)")).map { x in
                var b = OutputBuffer()
                b.writeFixed(x, decimals: 8)
                return b.text
            }.joined(separator: ", ") + "]"
        }
        let hat = try check("fixtures/seed003-stacked.json", """
            {"z[0]": \(try literal("z[0]")), "I_1": \(try literal("I[1]")), "delta_z[2]": \(try literal("delta_gates[2]")),
             "δz_1": \(try literal("delta_gates[1]")), "delta_I[0]": \(try literal("delta_I[0]"))}
            """)
        #expect(hat.status == 0, "\(hat.stdout)\(hat.stderr)")
        for label in ["z_0", "I_1", "δz_2", "δz_1", "δI_0"] { #expect(hat.stdout.contains("✓ \(label) "), "\(label): \(hat.stdout)") }

        // Colah's notation prints none of them; check still knows them (values from the pass).
        let colah = try run(["run", "fixtures/seed000-univariate.json", "--format", "json"])
        #expect(colah["delta_gates[0]"] == nil && colah["z[0]"] == nil)
        let dgates = try #require(colah["delta_a[0]"]) + colah["delta_i[0]"]! + colah["delta_f[0]"]! + colah["delta_o[0]"]!
        let x0 = 0.5, h = 0.1  // inputs[0], initial out
        // z_0 = W^{xg}·x_0 + W^{hg}·h_{−1} + W^g_0 in the rows a (c), i, f, o.
        let z0 = [0.19 * x0 + 0.61 * h - 0.05, 0.08 * x0 - 0.78 * h - 0.48, -0.47 * x0 + 0.23 * h - 0.43, -0.23 * x0 - 0.88 * h + 0.89]
        func list(_ xs: [Double]) -> String { "[" + xs.map { x in var b = OutputBuffer(); b.writeFixed(x, decimals: 8); return b.text }.joined(separator: ", ") + "]" }
        let out = try check("fixtures/seed000-univariate.json", "{\"delta_gates[0]\": \(list(dgates)), \"z[0]\": \(list(z0)), \"I[0]\": [0.5, 0.1]}")
        #expect(out.status == 0, "\(out.stdout)\(out.stderr)")
        #expect(out.stdout.hasSuffix("3 correct, 0 wrong\n"), "\(out.stdout)")
    }
}
