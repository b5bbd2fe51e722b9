import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `run --show-work`: every substituted equation, parsed back from the printed text and
/// evaluated here with an independent little evaluator, gives the printed result; the
/// Markdown and LaTeX documents match their golden files.
@Suite struct ShowWorkTests {
    func numbers(_ text: String) throws -> [Double] {
        var e = Evaluator(text)
        return try e.primary().v
    }

    /// The published example with each kind of head and loss on top (H = 1, so that the
    /// evaluator's products are unambiguous).
    static let headSpecs: [String: String] = {
        let common = """
            "weights": {"W": {"a": [0.45, 0.25], "i": [0.95, 0.8], "f": [0.7, 0.45], "o": [0.6, 0.4]},
                        "U": {"a": 0.15, "i": 0.8, "f": 0.1, "o": 0.25}, "b": {"a": 0.2, "i": 0.65, "f": 0.15, "o": 0.1}},
            "inputs": [[1, 2], [0.5, 3]], "learning_rate": 0.1,
            """
        return [
            "sigmoid-bce": "{" + common + #""head": {"type": "sigmoid", "V": [[0.5]], "c": [0.1]}, "loss": "bce", "labels": [[1], [0]]}"#,
            "linear-l2-mean": "{" + common + #""head": {"type": "linear", "V": [[0.5]], "c": [0.1]}, "loss": {"type": "l2", "half": false, "reduction": "mean"}, "labels": [0.5, 1.25]}"#,
            "softmax-ce": "{" + common + #""head": {"type": "softmax", "V": [[0.5], [-0.3], [0.2]], "c": [0.1, 0, 0]}, "loss": "ce", "labels": [2, 0]}"#,
        ]
    }()

    static let specs = ["fixtures/gomez.json", "fixtures/seed000-univariate.json"] + headSpecs.keys.sorted()

    /// Runs `run --show-work` on a fixture, or on one of `headSpecs` written to a temporary file.
    func showWork(_ name: String) throws -> CLIRunner.Output {
        guard let json = Self.headSpecs[name] else { return try CLIRunner.run(["run", name, "--show-work"]) }
        return try withTemporaryDirectory { dir in
            try writeFile(dir + "/\(name).json", json)
            return try CLIRunner.run(["run", dir + "/\(name).json", "--show-work"])
        }
    }

    @Test(arguments: specs)
    func substitutedNumbersEvaluateToThePrintedResult(_ name: String) throws {
        let out = try showWork(name)
        #expect(out.status == 0, "\(out.stderr)")
        var checked = 0
        for line in out.stdout.split(separator: "\n") where line.hasPrefix("  ") {
            let parts = line.trimmingPrefix("  ").split(separator: " = ", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            var e = Evaluator(parts[2])
            let value = try e.expression().v
            e.skip()
            #expect(e.k == e.s.count, "unparsed text in \(parts[2])")
            let printed = try numbers(parts[3])
            #expect(value.count == printed.count, "\(line)")
            for (a, b) in zip(value, printed) {
                // The operands are printed to 5 decimals: the result follows within a few units
                // of the 5th decimal.
                #expect(abs(a - b) <= 5e-5, "\(parts[0]): \(parts[2]) = \(a), printed \(b)")
            }
            checked += 1
        }
        // 6 forward per t; Δ, δout, δstate, 4 gates, δx, Δout_{t−1} per t (and Δout_0 again at
        // t = 0); 12 gradient blocks and the stacked δW, δU, δb; 12 updated blocks.
        if name == "fixtures/seed000-univariate.json" {
            #expect(checked > 80, "\(checked) equations")
        } else if name == "fixtures/gomez.json" {
            // and the decomposition: δstate's two terms (one at T−1), ∂L/∂a…∂L/∂o, Δout^a…Δout^o,
            // δstate_{−1} = δstate_0 ⊙ f_0, and the stacked δgates_t per t.
            #expect(checked == 6 * 2 + 9 * 2 + 1 + 12 + 3 + 12 + (2 + 1) + 4 * 2 + 4 * 2 + 1 + 2, "\(checked) equations")
        } else {
            // and v_t, y_t, dv_t per t, δV, δc, V', c' (dy_t for l2).
            #expect(checked >= 6 * 2 + 9 * 2 + 1 + 12 + 3 + 12 + 3 + 16 + 3 * 2 + 4, "\(name): \(checked) equations")
        }
    }

    @Test func publishedStyle() throws {
        let out = try CLIRunner.run(["run", "fixtures/gomez.json", "--show-work"])
        let lines = out.stdout.split(separator: "\n").map { String($0.trimmingPrefix("  ")) }
        #expect(lines.contains("a_0 = tanh(W_a·x_0 + U_a·out_-1 + b_a) = tanh([0.45 0.25]·[1 2] + 0.15·0 + 0.2) = 0.81775"))
        #expect(lines.contains("state_0 = a_0 ⊙ i_0 + f_0 ⊙ state_-1 = 0.81775 ⊙ 0.96083 + 0.85195 ⊙ 0 = 0.78573"))
        #expect(lines.contains { $0.hasPrefix("δout_0 = Δ_0 + Δout_0 = 0.03631 + (-0.01828) = 0.01804") })
        #expect(lines.contains("Δ_0 = out_0 − label_0 = 0.53631 − 0.5 = 0.03631"))
    }

    @Test func equationsUseTheSpecsNotation() throws {
        let out = try CLIRunner.run(["run", "fixtures/seed000-univariate.json", "--show-work"])
        let lines = out.stdout.split(separator: "\n").map { String($0.trimmingPrefix("  ")) }
        #expect(lines.contains { $0.hasPrefix("C̃_0 = tanh(W^xc·x_0 + W^hc·h_-1 + W^c_0) = tanh(0.19·0.5 + 0.61·0.1 + (-0.05)) = ") })
        #expect(lines.contains { $0.hasPrefix("W^xc = W^xc − λ·∇W^xc = 0.19 − 0.1·") })
        let tex = try CLIRunner.run(["run", "fixtures/seed000-univariate.json", "--format", "latex"]).stdout
        #expect(tex.contains("\\nabla W^{xc} = "))
    }

    @Test(arguments: ["markdown": "md", "latex": "tex"].sorted(by: <))
    func documentMatchesGolden(_ format: (key: String, value: String)) throws {
        let out = try CLIRunner.run(["run", "fixtures/gomez.json", "--format", format.key])
        #expect(out.status == 0)
        let expected = try InputFile.read(Fixtures.path("gomez.expected." + format.value))
        #expect(Array(out.stdout.utf8) == expected, "run --format \(format.key) differs from fixtures/gomez.expected.\(format.value) (make fixtures-docs regenerates it)")
    }

    @Test func latexDocumentIsBalanced() throws {
        let tex = try CLIRunner.run(["run", "fixtures/gomez.json", "--format", "latex"]).stdout
        #expect(tex.hasPrefix("\\documentclass{article}"))
        #expect(tex.hasSuffix("\\end{document}\n"))
        for line in tex.split(separator: "\n") {
            let dollars = line.filter { $0 == "$" }.count - occurrences(of: "\\$", in: line)
            #expect(dollars % 2 == 0, "unbalanced $ in \(line)")
            #expect(!line.contains("$$"), "display math opened by accident in \(line)")
            #expect(line.filter { $0 == "{" }.count == line.filter { $0 == "}" }.count || line.contains("\\{"), "\(line)")
        }
        #expect(occurrences(of: "\\begin{bmatrix}", in: tex) == occurrences(of: "\\end{bmatrix}", in: tex))
    }
}

/// How many times `s` occurs in `text`.
private func occurrences(of s: String, in text: some StringProtocol) -> Int {
    var n = 0
    var rest = Substring(text)
    while let r = rest.firstRange(of: s) {
        n += 1
        rest = rest[r.upperBound...]
    }
    return n
}
