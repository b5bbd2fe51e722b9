import LSTMGrad
import Testing

/// `check`: digit tolerance, carried forward, hand rounding, bad input, and the classic mistakes
/// (each mistaken value computed here by hand from the true operands, independently of the
/// library's equations).
@Suite struct AnswerCheckTests {
    static let answersPath = "fixtures/answers/gomez.answers.json"

    func report() throws -> Report { try Fixtures.spec("gomez.json").report(work: true) }

    func x(_ report: Report, _ key: String, _ k: Int = 0) throws -> Double {
        try #require(report.quantity(key), "\(key) missing").value.numbers[k]
    }

    /// Grades one answer given as a literal.
    func grade(_ key: String, _ literal: String, report: Report, rounded: Int? = nil) throws -> AnswerCheck.Verdict {
        let q = try #require(report.quantity(key))
        let answer = Answer(name: name(key), written: key, label: q.label, numbers: [try #require(Double(literal))], literals: [literal])
        let check = AnswerCheck(answers: [answer], report: report, rounded: rounded)
        return try #require(check.lines.first).verdict
    }

    func literal(_ v: Double) -> String {
        var b = OutputBuffer()
        b.writeFixed(v, decimals: 8)
        return b.text
    }

    // MARK: the published answers

    @Test func publishedAnswersOnlyTheTypoIsWrong() throws {
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", Self.answersPath, "--rounded", "5"])
        #expect(out.status == 1, "stderr: \(out.stderr)")
        let lines = out.stdout.split(separator: "\n").map(String.init)
        let wrong = lines.filter { $0.hasPrefix("✗") }
        #expect(wrong.count == 1)
        #expect(wrong.first?.hasPrefix("✗ δb_o") == true, "\(wrong)")
        #expect(lines.last?.hasPrefix("45 correct, 1 wrong") == true, "\(lines.last ?? "")")
        // The drifts the published example's own intermediates explain.
        for label in ["state_0", "δout_0", "δstate_0", "δa_0", "δW_i", "δW_o", "δU_a", "δb_i", "W_i"] {
            let line = try #require(lines.first { $0.hasPrefix("✓ \(label) ") }, "\(label) missing")
            #expect(line.contains("✓ carried forward (from "), "\(line)")
        }
        let wf = try #require(lines.first { $0.hasPrefix("✓ W_f ") })
        #expect(wf.hasSuffix("✓ rounding"), "\(wf)")
    }

    @Test func withoutHandRoundingTheTieDriftIsWrong() throws {
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", Self.answersPath])
        #expect(out.status == 1)
        let wrong = out.stdout.split(separator: "\n").filter { $0.hasPrefix("✗") }.map { String($0.prefix(6)) }
        #expect(wrong == ["✗ δb_o", "✗ W_f "], "\(wrong)")
    }

    @Test func carriedForwardRecomputesFromTheStudentsOwnNumbers() throws {
        // δstate_0 from a slipped δout_0 = 0.02 (exact 0.018036…), computed by hand.
        let r = try report()
        let s0 = try x(r, "state[0]"), o0 = try x(r, "o[0]"), f1 = try x(r, "f[1]"), ds1 = try x(r, "delta_state[1]")
        let th = s0.tanhValue
        let fromSlip = 0.02 * o0 * (1 - th * th) + ds1 * f1
        let truth = try x(r, "delta_state[0]")
        #expect(abs(fromSlip - truth) > 5e-6)  // the slip matters at 5 decimals
        let q = try #require(r.quantity("delta_state[0]"))
        let answers = [
            Answer(name: name("delta_out[0]"), written: "delta_out[0]", label: "δout_0", numbers: [0.02], literals: ["0.02000"]),
            Answer(name: name("delta_state[0]"), written: "delta_state[0]", label: q.label, numbers: [fromSlip], literals: [literal(fromSlip)]),
        ]
        let check = AnswerCheck(answers: answers, report: r)
        #expect(check.lines[0].verdict == .wrong(entries: [0], diagnosis: nil))
        #expect(check.lines[1].verdict == .carriedForward(from: ["δout_0 = 0.02000"]))
        #expect(check.correct == 1 && check.wrong == 1)
    }

    // MARK: tolerance and input

    @Test func toleranceFollowsTheDigitsWritten() throws {
        let r = try report()  // a_0 = 0.8177540…
        // One significant digit is too few (at least 3 by default).
        #expect(try grade("a[0]", "0.8", report: r) != .correct)
        #expect(try grade("a[0]", "0.818", report: r) == .correct)
        #expect(try grade("a[0]", "0.81775", report: r) == .correct)
        #expect(try grade("a[0]", "0.81", report: r) != .correct)
        #expect(try grade("a[0]", "0.81776", report: r) != .correct)
        #expect(try grade("a[0]", "8.1775e-1", report: r) == .correct)
        #expect(Answer.decimals(of: "-0.0922") == 4)
        #expect(Answer.decimals(of: "1.5e-3") == 4)
        #expect(Answer.decimals(of: "0") == nil)
    }

    @Test func rightWrongAndToleranceEndToEnd() throws {
        let json = """
            {"a[0]": 0.81775, "i[0]": 0.9608, "out[0]": 0.6, "delta_x[0]": [-0.00817, -0.00487],
             "dW.a": [[-0.02672, -0.0922]]}
            """
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", "-"], stdin: nil)
        #expect(out.status == 2)  // stdin is the answers file here, and it is empty
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/answers.json"
        try writeFile(path, json)
        let res = try CLIRunner.run(["check", "fixtures/gomez.json", path])
        #expect(res.status == 1, "\(res.stderr)")
        let lines = res.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("✓ a_0"))
        #expect(lines[1].hasPrefix("✓ i_0"))
        #expect(lines[2].hasPrefix("✗ out_0"))
        #expect(lines[3].hasPrefix("✓ δx_0"))
        #expect(lines[4].hasPrefix("✓ δW_a"))
        #expect(lines[5] == "4 correct, 1 wrong")
        let all = try CLIRunner.run(["check", "fixtures/gomez.json", path, "--tol", "0.1"])
        #expect(all.status == 0)
        #expect(all.stdout.hasSuffix("5 correct, 0 wrong\n"))
    }

    @Test func notationAliasesResolveToCanonicalNames() throws {
        let r = try report()
        let names = Notation(name: "sheet", aliases: ["C": "state", "h": "out"])
        let text = "{\"C[0]\": 0.78573, \"h[1]\": 0.77198, \"dW.a\": [-0.02672, -0.0922]}"
        let answers = try AnswerSheet.decode(SourceText(name: "a.json", bytes: Array(text.utf8)), report: r, notation: names)
        #expect(answers.map(\.name.description) == ["state[0]", "out[1]", "dW.a"])
        #expect(answers.map(\.written) == ["C[0]", "h[1]", "dW.a"])
        #expect(AnswerCheck(answers: answers, report: r).wrong == 0)
    }

    @Test func mistypedNamesAndShapesAreReportedPerItem() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/bad.json"
        try writeFile(path, "{\n  \"a[0]\": 0.81775,\n  \"delta_stat[0]\": -0.05348,\n  \"delta_x[0]\": 0.1\n}\n")
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", path])
        // Each bad item is reported with its place; the others are graded (exit 1).
        #expect(out.status == 1)
        #expect(out.stdout.hasPrefix("✓ a_0 = 0.81775"), "\(out.stdout)")
        #expect(out.stderr.contains("\(path):3:3: error: [\"delta_stat[0]\"]: unknown quantity \"delta_stat[0]\"; did you mean \"delta_state[0]\"?"), "\(out.stderr)")
        #expect(out.stderr.contains("\(path):4:17: error: [\"delta_x[0]\"]: expected 2 numbers (δx_0 has 2), found 1"), "\(out.stderr)")
        try writeFile(path, "{\"a[0]\": 0.8,}")
        let syntax = try CLIRunner.run(["check", "fixtures/gomez.json", path])
        #expect(syntax.status == 2)
        #expect(syntax.stderr.hasPrefix("\(path):1:"), "\(syntax.stderr)")
    }

    // MARK: classic mistakes

    /// Each mistake: the quantity, the mistaken value computed by hand, and the expected words.
    func mistakes(_ r: Report) throws -> [(String, Double, String)] {
        let s0 = try x(r, "state[0]"), o0 = try x(r, "o[0]"), f0 = try x(r, "f[0]"), i0 = try x(r, "i[0]"), a0 = try x(r, "a[0]")
        let dout0 = try x(r, "delta_out[0]"), ds0 = try x(r, "delta_state[0]"), delta0 = try x(r, "Delta[0]")
        let th = s0.tanhValue
        return [
            ("delta_state[0]", dout0 * o0 * (1 - th * th), "matches δstate without the f_{t+1}·δstate_{t+1} term"),
            ("delta_state[0]", dout0 * o0 * (1 - th) + (try x(r, "delta_state[1]")) * (try x(r, "f[1]")), "used tanh′ = 1 − tanh instead of 1 − tanh²"),
            ("delta_a[0]", ds0 * i0 * (1 - a0), "used tanh′ = 1 − tanh instead of 1 − tanh²"),
            // state_{−1} = 0, so the right δf_0 is 0; with state_0 it is not.
            ("delta_f[0]", ds0 * s0 * f0 * (1 - f0), "matches δf using state_t instead of state_{t−1}"),
            ("Delta[0]", 0.5 - (try x(r, "out[0]")), "sign of the loss derivative flipped"),
            ("delta_a[1]", -(try x(r, "delta_a[1]")), "sign of the loss derivative flipped"),
            ("delta_out[0]", delta0, "forgot Δout from t+1"),
            ("delta_a[0]", try x(r, "delta_a[1]"), "matches the value at t+1"),
            ("delta_i[1]", try x(r, "delta_i[0]"), "matches the value at t−1"),
        ]
    }

    @Test func eachClassicMistakeIsDiagnosed() throws {
        let r = try report()
        for (key, value, words) in try mistakes(r) {
            let verdict = try grade(key, literal(value), report: r)
            guard case .wrong(_, let diagnosis) = verdict else {
                Issue.record("\(key) = \(value) was not marked wrong")
                continue
            }
            #expect(diagnosis?.contains(words) == true, "\(key) = \(value): \(diagnosis ?? "no diagnosis"), expected \(words)")
        }
    }

    @Test func flippedLossDerivativeThroughAHead() throws {
        let spec = try Fixtures.spec(json: ShowWorkTests.headSpecs["sigmoid-bce"]!)
        let r = try spec.report(work: true)
        let y0 = try x(r, "y[0]")
        // dv_0 = y_0 − 1 for bce on a sigmoid head; flipped: 1 − y_0.
        guard case .wrong(_, let diagnosis) = try grade("dv[0]", literal(1 - y0), report: r) else {
            Issue.record("flipped dv_0 not marked wrong")
            return
        }
        #expect(diagnosis?.hasPrefix("sign of the loss derivative flipped") == true, "\(diagnosis ?? "none")")
        #expect(try grade("dv[0]", literal(y0 - 1), report: r) == .correct)
    }

    @Test func stackedAnswersAsPublished() throws {
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", "fixtures/answers/gomez.stacked.answers.json", "--rounded", "5"])
        #expect(out.status == 1)
        let wrong = out.stdout.split(separator: "\n").filter { $0.hasPrefix("✗") }
        #expect(wrong.count == 1 && wrong[0].hasPrefix("✗ δb ") && wrong[0].contains("entry 3 wrong"), "\(wrong)")
        #expect(out.stdout.contains("✓ δW ") && out.stdout.hasSuffix("36 correct, 1 wrong (6 carried forward, 2 by rounding)\n"))
        // The "true" column lines up within runs of answers with as many entries: the stacked
        // δW (8 entries) does not pad the scalar lines to its width.
        let lines = out.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("✓ a_0      = 0.81775    true 0.81775"), "\(lines.prefix(3))")
        #expect(lines.contains("✓ δx_0     = [-0.00817, -0.00487]   true [-0.00817, -0.00487]"))
        #expect(lines.contains("✓ W_a      = [0.45267, 0.25922]   true [0.45267, 0.25922]"))
    }

    /// The README's student sheet: four classic mistakes and one answer carried forward.
    @Test func studentSheetDiagnoses() throws {
        let out = try CLIRunner.run(["check", "fixtures/gomez.json", "fixtures/answers/student.answers.json"])
        #expect(out.status == 1)
        let wrong = out.stdout.split(separator: "\n").filter { $0.hasPrefix("✗") }.map { String($0) }
        let expected = [("δout_0", "forgot Δout from t+1"), ("δstate_0", "without the f_{t+1}·δstate_{t+1} term"),
                        ("δf_0", "using state_t instead of state_{t−1}"), ("δa_1", "sign of the loss derivative flipped")]
        #expect(wrong.count == expected.count)
        for ((label, words), line) in zip(expected, wrong) {
            #expect(line.hasPrefix("✗ \(label) ") && line.contains(words), "\(line)")
        }
        #expect(out.stdout.contains("✓ carried forward (from δstate_0 = 0.00840)"))
    }

    @Test func randomWrongAnswersGetNoDiagnosis() throws {
        let r = try report()
        var rng = SplitMix64(seed: 42)
        for (key, _, _) in try mistakes(r) {
            let truth = try x(r, key)
            for _ in 0..<20 {
                let u = Double(rng.next() % 1_000_000) / 1_000_000
                let wrong = truth + (u < 0.5 ? -1 : 1) * (0.001 + u * 0.1)
                let verdict = try grade(key, literal(wrong), report: r)
                guard case .wrong(_, let diagnosis) = verdict else {
                    Issue.record("\(key) = \(wrong) was not marked wrong")
                    continue
                }
                #expect(diagnosis == nil, "\(key) = \(wrong) got a false diagnosis: \(diagnosis ?? "")")
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

func writeFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "w") else { throw CLIRunner.SpawnError(description: "cannot write \(path)") }
    defer { fclose(f) }
    _ = text.withCString { fputs($0, f) }
}

func writeFile(_ path: String, _ bytes: [UInt8]) throws {
    guard let f = fopen(path, "wb") else { throw CLIRunner.SpawnError(description: "cannot write \(path)") }
    defer { fclose(f) }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
}

/// ✓ and ✗ in colour on a terminal (or with --color always), never in a pipe or with NO_COLOR.
@Suite struct CheckColourTests {
    static let args = ["check", "fixtures/gomez.json", "fixtures/answers/gomez.answers.json"]

    @Test func pipedOutputHasNoEscapeCodes() throws {
        let r = try CLIRunner.run(Self.args)
        #expect(r.status == 1)
        #expect(!r.stdout.contains("\u{1B}["))
        #expect(r.stdout.contains("✗ δb_o"))
    }

    @Test func colorAlwaysMarksVerdicts() throws {
        let r = try CLIRunner.run(Self.args + ["--color", "always"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\u{1B}[32m✓\u{1B}[0m δW_a"))
        #expect(r.stdout.contains("\u{1B}[1;31m✗\u{1B}[0m δb_o"))
    }

    @Test func noColorWinsOverAuto() throws {
        let r = try CLIRunner.run(Self.args + ["--color", "auto"], environment: ["NO_COLOR": "1"])
        #expect(!r.stdout.contains("\u{1B}["))
    }
}
