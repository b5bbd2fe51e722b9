import LSTMGrad
import Testing

/// `run --summary`, `--timings`, and the chunked (streamed) output of large reports, end to end.
@Suite struct SummaryAndStreamingTests {
    /// A spec JSON text of the given size, numbers from a fixed seed.
    static func specText(H: Int, X: Int, T: Int, seed: UInt64 = 3) -> String {
        var rng = FastPathTests.Rng(state: seed)
        func num(_ scale: Double) -> String { "\(scale * rng.next())" }
        func vec(_ n: Int, _ scale: Double) -> String { "[" + (0..<n).map { _ in num(scale) }.joined(separator: ", ") + "]" }
        func mat(_ r: Int, _ c: Int, _ scale: Double) -> String { "[" + (0..<r).map { _ in vec(c, scale) }.joined(separator: ", ") + "]" }
        let s = 1 / Double(H + X).squareRoot()
        func gates(_ body: () -> String) -> String { "{" + ["a", "i", "f", "o"].map { "\"\($0)\": \(body())" }.joined(separator: ", ") + "}" }
        return """
            {"model": "lstm",
             "weights": {"W": \(gates { mat(H, X, s) }), "U": \(gates { mat(H, H, s) }), "b": \(gates { vec(H, 0.5) })},
             "inputs": \(mat(T, X, 1)), "labels": \(mat(T, H, 0.5)), "loss": "l2", "learning_rate": 0.1,
             "initial": {"out": \(vec(H, 0.3)), "state": \(vec(H, 0.3))}}
            """
    }

    @Test func summaryOfThePublishedExampleCarriesThePublishedGradients() throws {
        let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--summary"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        // H = 1: each db block is one number, its sum; the published δb_o is −0.05361 and the
        // published loss of the example is 0.11491 (L2 with ½).
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("db.o ") })
        let sum = try #require(Double(line.split(separator: " ").last.map(String.init) ?? ""))
        #expect(abs(sum - -0.05361) < 5e-6)
        let loss = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("loss: ") })
        #expect(abs((Double(loss.dropFirst(6)) ?? 0) - 0.11491) < 5e-6)
    }

    /// The JSON summary's norms and sums are those of the full pass's gradients, computed here
    /// from the reference path's numbers.
    @Test func summaryJSONMatchesTheReferencePass() throws {
        let r = try CLIRunner.run(["run", "fixtures/lstm-h2-x3-t4.json", "--summary", "--format", "json"])
        #expect(r.status == 0)
        let root = try JSONParser.parse(Array(r.stdout.utf8))
        let blocks = try #require(root.members?.first { $0.key == "blocks" }?.value.members)
        let spec = try Fixtures.spec("lstm-h2-x3-t4.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let pass = Pass(problem)
        let loss = try #require(root.members?.first { $0.key == "loss" }?.value.number)
        #expect(relativeError(loss, pass.loss) < 1e-12)
        let g = pass.gradients.parameters
        var expected: [(String, [Double])] = g.blockNames.map { ($0.gradient.description, g[block: $0]) }
        expected.append(("Delta_out[-1]", pass.gradients.initial.out.values))
        expected.append(("delta_state[-1]", pass.gradients.initial.state!.values))
        expected.append(("delta_x", pass.gradients.inputs.flatMap(\.values)))
        #expect(blocks.map(\.key) == expected.map(\.0))
        for (name, values) in expected {
            let b = try #require(blocks.first { $0.key == name }?.value.members, "\(name) missing")
            let norm = try #require(b.first { $0.key == "norm" }?.value.number)
            let sum = try #require(b.first { $0.key == "sum" }?.value.number)
            #expect(relativeError(norm, values.reduce(0) { $0 + $1 * $1 }.squareRoot()) < 1e-12, "\(name) norm")
            #expect(abs(sum - values.reduce(0, +)) < 1e-14, "\(name) sum")
        }
    }

    @Test func summaryWithAHeadHasHeadBlocks() throws {
        let problem = FastPathTests.problem(FastPathTests.Shape(H: 4, X: 3, T: 5, head: .softmax))
        let s = GradientSummary(fast: problem)
        #expect(s.blocks.contains { $0.name == "dV" } && s.blocks.contains { $0.name == "dc" })
        #expect(s.storedActivations == 7 * 4 * 5 + 3 * 5)
    }

    @Test func summaryReportsOverflowAndPrintsNothing() throws {
        let spec = """
            {"model": "lstm", "weights": {"W": {"a": [1, 1], "i": [1, 1], "f": [1, 1], "o": [1, 1]},
             "U": {"a": 0, "i": 0, "f": 0, "o": 0}, "b": {"a": 0, "i": 0, "f": 0, "o": 0}},
             "inputs": [[1, 2]], "labels": [1e308], "loss": "l2", "learning_rate": 0.1}
            """
        let r = try CLIRunner.run(["run", "-", "--summary"], stdin: spec)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("loss"), "\(r.stderr)")
    }

    @Test func summaryRefusesOptionsItCannotHonour() throws {
        for extra in [["--steps", "3"], ["--show-work"], ["--format", "latex"]] {
            let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--summary"] + extra)
            #expect(r.status == 2, "\(extra)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("--summary"), "\(r.stderr)")
        }
    }

    /// `--summary --no-recurrent-terms` gives the truncated gradient of the reference pass.
    @Test func summaryOfTheTruncatedGradient() throws {
        let r = try CLIRunner.run(["run", "fixtures/lstm-h2-x3-t4.json", "--summary", "--no-recurrent-terms", "--format", "json"])
        #expect(r.status == 0)
        let root = try JSONParser.parse(Array(r.stdout.utf8))
        let blocks = try #require(root.members?.first { $0.key == "blocks" }?.value.members)
        let spec = try Fixtures.spec("lstm-h2-x3-t4.json")
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let pass = Pass(problem, options: BackwardOptions(recurrentTerms: false))
        let dU = pass.gradients.parameters.U.a.values
        let b = try #require(blocks.first { $0.key == "dU.a" }?.value.members)
        let sum = try #require(b.first { $0.key == "sum" }?.value.number)
        #expect(abs(sum - dU.reduce(0, +)) < 1e-14)
        let full = Pass(problem).gradients.parameters.U.a.values.reduce(0, +)
        #expect(abs(sum - full) > 1e-6, "the truncated gradient differs from the full one")
    }

    @Test func timingsGoToStandardError() throws {
        let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--summary", "--timings"])
        #expect(r.status == 0)
        #expect(r.stderr.hasPrefix("timings: parse="))
        #expect(r.stderr.contains(" forward=") && r.stderr.contains(" backward=") && r.stderr.contains(" render="))
        #expect(!r.stdout.contains("timings"))
        let full = try CLIRunner.run(["run", "fixtures/gomez.json", "--timings"])
        #expect(full.stderr.contains(" compute="))
    }

    /// A report of several hundred kilobytes (many output chunks, the fast kernel) arrives whole
    /// and equals the library's rendering, in text and JSON.
    @Test func largeReportsStreamWhole() throws {
        let text = Self.specText(H: 20, X: 7, T: 60)
        let spec = try Fixtures.spec(json: text, name: "<stdin>")
        let report = try spec.report()
        var expected = OutputBuffer()
        TextRenderer(decimals: 5).render(report, into: &expected)
        #expect(expected.bytes.count > 4 * OutputBuffer.chunkSize)
        let r = try CLIRunner.run(["run", "-"], stdin: text)
        #expect(r.status == 0)
        #expect(r.stdout == expected.text)
        let j = try CLIRunner.run(["run", "-", "--format", "json"], stdin: text)
        #expect(j.stdout == JSONRenderer().render(report, model: "lstm", notation: spec.notation.name))
    }
}
