import LSTMGrad
import Testing

/// `check` on networks (2 layers, both directions, a batch), end to end, with answers files
/// built outside the grading path: from `run --format json` documents, written to 5 decimals as
/// a student writes them, some edited by hand.
@Suite struct NetworkGradingTests {
    /// A network spec and a slip a student makes in it: `slip` (the head's loss derivative
    /// dy_t of one sequence) written 0.2 too large. Every value after it, computed from the
    /// student's own numbers, is what the same spec gives with that label 0.1 lower
    /// (dy = 2·(y − label)): `labels` → `shifted` in the spec's text.
    struct Case: CustomTestStringConvertible, Sendable {
        var spec: String
        var labels: String
        var shifted: String
        var slip: String
        var slipLabel: String
        /// A value of the other sequence after the slip (not touched by it).
        var untouched: String
        /// Labels of values downstream of the slip: the layer below's δ, a total gradient, an update.
        var downstream: [String]
        var testDescription: String { spec }
    }

    static let cases = [
        Case(spec: "fixtures/network-check/lstm-2l-bi-b2.json", labels: "[[[-0.48], [-0.21], [-0.4]]", shifted: "[[[-0.48], [-0.31], [-0.4]]",
             slip: "dy@b0[1]", slipLabel: "dy_1@b0", untouched: "δstate_0@l0.b1",
             downstream: ["Δtop_1@b0", "δstate_1@l1.reverse.b0", "δx_0@l0.reverse.b0", "δW_a@l0", "δU_f@l1.reverse", "W_o@l0.reverse", "V"]),
        Case(spec: "docs/examples/network-gru.json", labels: "[[-0.04], [0.34]]]", shifted: "[[-0.14], [0.34]]]",
             slip: "dy@b1[0]", slipLabel: "dy_0@b1", untouched: "δh_1@l0.b0",
             downstream: ["Δtop_0@b1", "δn_0@l1.b1", "δx_1@l0.reverse.b1", "δW_r@l0", "δU_z@l1.reverse", "W_n@l0.reverse", "V"]),
    ]

    /// `number` as a student writes it: 5 decimals.
    static func written(_ x: Double) -> String {
        var out = OutputBuffer()
        out.writeFixed(x, decimals: 5)
        return out.text
    }

    /// An answers file of `entries` (canonical name → numbers), 5 decimals each.
    static func answersFile(_ entries: [(key: String, numbers: [Double])]) -> String {
        "{\n" + entries.map { e in
            "  \"\(e.key)\": " + (e.numbers.count == 1 ? written(e.numbers[0]) : "[" + e.numbers.map(written).joined(separator: ", ") + "]")
        }.joined(separator: ",\n") + "\n}\n"
    }

    /// The state dict's own tensors (`d_weight_ih_l0`, `weight_hh_l1_reverse'`): views of the
    /// per-gate blocks without an equation, graded against the truth only (as for one cell).
    static func isLayoutTensor(_ key: String) -> Bool { key.contains("weight_") || key.contains("bias_") }

    /// `run --format json` of a spec given as text.
    static func quantities(_ specText: String, _ extra: [String] = []) throws -> [(key: String, numbers: [Double])] {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/spec.json", specText)
            let out = try CLIRunner.run(["run", dir + "/spec.json", "--format", "json"] + extra)
            #expect(out.status == 0, "\(out.stderr)")
            return try JSONOutput.quantities(out.stdout)
        }
    }

    /// The slip student's answers: the true forward values and losses, then from the slip on
    /// every backward value, gradient and update as the shifted spec gives them.
    static func slipStudent(_ c: Case) throws -> String {
        let text = try String(decoding: InputFile.read(Fixtures.root + "/" + c.spec), as: UTF8.self)
        #expect(text.contains(c.labels))
        let truth = try quantities(text), slipped = Dictionary(try quantities(text.replacing(c.labels, with: c.shifted)).map { ($0.key, $0.numbers) },
                                                                   uniquingKeysWith: { a, _ in a })
        var backward = false
        var entries: [(key: String, numbers: [Double])] = []
        for q in truth where !isLayoutTensor(q.key) {
            if q.key.hasPrefix("dy@") { backward = true }
            entries.append((q.key, backward ? slipped[q.key]! : q.numbers))
        }
        return answersFile(entries)
    }

    func check(_ args: [String], files: [String: String]) throws -> CLIRunner.Output {
        try CLIRunner.run(args, files: files)
    }

    func lines(_ out: CLIRunner.Output) -> [String] { out.stdout.split(separator: "\n").map(String.init) }

    /// One slip: exactly one ✗ (the slip itself), every value after it carried forward, the
    /// other sequence's values right as they are.
    @Test(arguments: cases)
    func slipCountsOnce(_ c: Case) throws {
        let out = try check(["check", c.spec, "@s.json"], files: ["s.json": try Self.slipStudent(c)])
        #expect(out.status == 1 && out.stderr.isEmpty, "\(out.stderr)")
        let wrong = lines(out).filter { $0.hasPrefix("✗") }
        #expect(wrong.count == 1 && wrong.first?.hasPrefix("✗ \(c.slipLabel) ") == true, "\(wrong)")
        for label in c.downstream {
            let line = lines(out).first { $0.hasPrefix("✓ \(label) ") }
            #expect(line?.contains("✓ carried forward (from ") == true, "\(label): \(line ?? "no line")")
        }
        let untouched = lines(out).first { $0.hasPrefix("✓ \(c.untouched) ") }
        #expect(untouched != nil && untouched?.contains("carried") == false, "\(untouched ?? "no line for \(c.untouched)")")
        let summary = try #require(lines(out).last)
        let carried = lines(out).filter { $0.contains("✓ carried forward (from ") }.count
        #expect(carried >= 100 && summary.hasSuffix(" correct, 1 wrong (\(carried) carried forward)"), "\(summary)")
        // --strict: no credit for carried-forward errors, every value after the slip is wrong.
        let strict = try check(["check", c.spec, "@s.json", "--strict"], files: ["s.json": try Self.slipStudent(c)])
        #expect(strict.status == 1 && lines(strict).filter { $0.hasPrefix("✗") }.count == carried + 1)
        // --rounded D replays the network's equations rounded: the same one slip.
        let rounded = try check(["check", c.spec, "@s.json", "--rounded", "5"], files: ["s.json": try Self.slipStudent(c)])
        #expect(rounded.status == 1 && lines(rounded).filter { $0.hasPrefix("✗") }.count == 1)
    }

    /// The tolerance model at a place: 0.0 is within ±0.05 of δa_1@l0.b0 = [0.00819, −0.00073]
    /// but gets none of its digits; --min-digits 0 keeps the written digits alone.
    @Test func minDigits() throws {
        let c = Self.cases[0]
        let files = ["a.json": #"{"delta_a@l0.b0[1]": [0.0, 0.0]}"#]
        let out = try check(["check", c.spec, "@a.json"], files: files)
        #expect(out.status == 1 && lines(out) == ["✗ δa_1@l0.b0 = [0.0, 0.0]   true [0.00819, -0.00073]   entries 0, 1 wrong", "0 correct, 1 wrong"], "\(out.stdout)")
        let loose = try check(["check", c.spec, "@a.json", "--min-digits", "0"], files: files)
        #expect(loose.status == 0 && lines(loose).last == "1 correct, 0 wrong")
    }

    /// Every output format grades the same slip: one wrong, the same number carried forward.
    @Test(arguments: cases)
    func everyFormat(_ c: Case) throws {
        let files = ["s.json": try Self.slipStudent(c)]
        let text = try check(["check", c.spec, "@s.json"], files: files)
        let carried = lines(text).filter { $0.contains("✓ carried forward (from ") }.count
        let correct = lines(text).filter { $0.hasPrefix("✓") }.count - carried
        let total = correct + carried + 1

        let json = try check(["check", c.spec, "@s.json", "--format", "json"], files: files)
        #expect(json.status == 1)
        let root = try JSONParser.parse(Array(json.stdout.utf8))
        let file = try #require(JSONOutput.member(root, ["files"])?.array?.first)
        #expect(JSONOutput.member(file, ["wrong"])?.number == 1 && JSONOutput.member(file, ["carried"])?.number == Double(carried))
        #expect(JSONOutput.member(file, ["correct"])?.number == Double(correct) && JSONOutput.member(file, ["score"])?.number == Double(total - 1))
        let wrongItem = try #require(JSONOutput.member(file, ["items"])?.array?.first { JSONOutput.member($0, ["status"])?.string == "wrong" })
        #expect(JSONOutput.member(wrongItem, ["name"])?.string == c.slip)

        let csv = try check(["check", c.spec, "@s.json", "--format", "csv"], files: files)
        let rows = lines(csv).dropFirst()
        #expect(csv.status == 1 && rows.count == total)
        #expect(rows.filter { $0.contains(",wrong,") }.map { $0.split(separator: ",")[1] } == [Substring(c.slip)])
        #expect(rows.filter { $0.contains(",carried_forward,") }.count == carried, "\(rows.prefix(3))")

        let book = try check(["check", c.spec, "@s.json", "--format", "gradebook"], files: files)
        #expect(book.status == 1)
        let row = try #require(lines(book).dropFirst().first).split(separator: ",", omittingEmptySubsequences: false)
        #expect(Array(row[1...6]) == ["\(total - 1)", "\(total)", "\(correct)", "1", "\(carried)", "0"].map { Substring($0) }, "\(row.prefix(8))")

        let scope = try check(["check", c.spec, "@s.json", "--format", "gradescope"], files: files)
        let s = try JSONParser.parse(Array(scope.stdout.utf8))
        #expect(scope.status == 1 && JSONOutput.member(s, ["score"])?.number == Double(total - 1) && JSONOutput.member(s, ["max_score"])?.number == Double(total))
        #expect(JSONOutput.member(s, ["tests"])?.array?.count == total)

        let html = try check(["check", c.spec, "@s.json", "--format", "html"], files: files)
        #expect(html.status == 1 && html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.hasSuffix("</html>\n"))
        #expect(html.stdout.contains(c.slipLabel) && html.stdout.contains("carried forward"))
    }

    /// A course: a directory of a right file, the slip and a file with a typo, a transposed
    /// matrix and an unknown name, plus a rubric by section and by quantity at its place.
    @Test func courseWithRubric() throws {
        let c = Self.cases[0]
        let text = try String(decoding: InputFile.read(Fixtures.root + "/" + c.spec), as: UTF8.self)
        let truth = try Self.quantities(text).filter { !Self.isLayoutTensor($0.key) }
        let table = Dictionary(truth.map { ($0.key, $0.numbers) }, uniquingKeysWith: { a, _ in a })
        let right = Self.answersFile(truth)
        // 0.xy… with two adjacent digits swapped, a 2×4 matrix as 4×2, a misspelt name.
        let x = table["state@l0.reverse.b1[2]"]!
        let swapped = Self.written(x[0]).map { String($0) }
        let typo = swapped[0..<4].joined() + swapped[5] + swapped[4] + swapped[6...].joined()
        let dW = table["dW.a@l1"]!
        let transposed = (0..<4).map { col in "[" + Self.written(dW[col]) + ", " + Self.written(dW[4 + col]) + "]" }.joined(separator: ", ")
        let carol = """
        {
          "a@l0.b0[0]": [\(table["a@l0.b0[0]"]!.map(Self.written).joined(separator: ", "))],
          "state@l0.reverse.b1[2]": [\(typo), \(Self.written(x[1]))],
          "dW.a@l1": [\(transposed)],
          "delta_stat@l1.b0[1]": [0.1, 0.2]
        }
        """
        let rubric = #"{"default": 1, "points": {"forward": 2, "dy_1@b0": 5}}"#
        let files = ["course/alice.json": right, "course/bob.json": try Self.slipStudent(c), "course/carol.json": carol, "rubric.json": rubric]
        let out = try check(["check", c.spec, "@course", "--format", "gradebook", "--rubric", "@rubric.json"], files: files)
        #expect(out.status == 1)
        #expect(out.stderr.contains("carol.json:5:3: error: [\"delta_stat@l1.b0[1]\"]: unknown quantity \"delta_stat@l1.b0[1]\"; did you mean \"delta_state@l1.b0[1]\"?"), "\(out.stderr)")
        let rows = lines(out).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 3)
        // Forward values, the head's included, weigh 2; the losses (their own section) 1.
        let forward = truth.prefix { !$0.key.hasPrefix("dy@") }.filter { $0.key != "loss" && !($0.key.hasPrefix("loss@") && !$0.key.hasSuffix("]")) }.count
        let maxScore = Double(truth.count + forward + 4)
        #expect(rows[0][1] == Self.shortest(maxScore) && rows[0][2] == Self.shortest(maxScore), "\(rows[0].prefix(8))")
        #expect(rows[1][1] == Self.shortest(maxScore - 5) && rows[1][4] == "1", "\(rows[1].prefix(8))")
        // carol: a_0 right (2 points); the typo and the transposed matrix wrong, every other answer missing.
        #expect(rows[2][1] == "2" && rows[2][3] == "1" && rows[2][4] == "2" && rows[2][7] == "1", "\(rows[2].prefix(8))")
        let detail = try check(["check", c.spec, "@course/carol.json"], files: files)
        #expect(detail.stdout.contains("likely typo: entry 0 \(typo) for \(Self.written(x[0])) (two adjacent digits swapped)"), "\(detail.stdout)")
        #expect(detail.stdout.contains(": transposed: 4×2 given for δW_a@l1, a 2×4 matrix"), "\(detail.stdout)")
    }

    static func shortest(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    /// The names a student may write: the labels the report prints (`δout_1@l1.b0`), the
    /// notation's aliases (`h` for out) and a whole `run --format json` document.
    @Test func namesAndDocuments() throws {
        let c = Self.cases[0]
        let labels = #"{"δout_1@l1.b0": [-0.01573, 0.03193], "Δtop_1@b0": [-0.00391, 0.00273, 0.00273, 0.00177], "state_2@l0.reverse.b1": [0.3346, -0.38743], "h@l0.b0[0]": [0.02464, 0.42984]}"#
        let out = try check(["check", c.spec, "@a.json"], files: ["a.json": labels])
        #expect(out.status == 0 && out.stderr.isEmpty, "\(out.stdout)\(out.stderr)")
        #expect(lines(out).last == "4 correct, 0 wrong", "\(out.stdout)")
        let run = try CLIRunner.run(["run", c.spec, "--format", "json"])
        let whole = try check(["check", c.spec, "@run.json"], files: ["run.json": run.stdout])
        let count = try JSONOutput.quantities(run.stdout).count
        #expect(whole.status == 0 && lines(whole).last == "\(count) correct, 0 wrong", "\(lines(whole).last ?? "")")
    }

    /// Diagnoses at a place: each an edit of that quantity's own equation; in the reverse
    /// direction, whose next step is t−1, the words say so.
    @Test func diagnoses() throws {
        let c = Self.cases[0]
        let text = try String(decoding: InputFile.read(Fixtures.root + "/" + c.spec), as: UTF8.self)
        let t = Dictionary(try Self.quantities(text).map { ($0.key, $0.numbers) }, uniquingKeysWith: { a, _ in a })
        func w(_ v: [Double]) -> String { "[" + v.map(Self.written).joined(separator: ", ") + "]" }
        let answers = """
        {
          "delta_out@l0.b1[0]": \(w(t["Delta@l0.b1[0]"]!)),
          "delta_out@l1.reverse.b0[2]": \(w(t["Delta@l1.reverse.b0[2]"]!)),
          "delta_state@l1.b1[1]": \(w(t["delta_state_from_out@l1.b1[1]"]!)),
          "delta_a@l0.b0[1]": \(w(t["delta_a@l0.b0[0]"]!))
        }
        """
        let out = try check(["check", c.spec, "@a.json"], files: ["a.json": answers])
        let diagnosed = lines(out).filter { $0.hasPrefix("✗") }.map { $0.split(separator: ":").last.map(String.init) ?? "" }
        #expect(diagnosed == [" forgot Δout from t+1 (δout_t = Δ_t)", " forgot Δout from t−1 (δout_t = Δ_t)",
                              " matches δstate without the f_{t+1}·δstate_{t+1} term", " matches the value at t−1 (δa_0@l0.b0)"], "\(out.stdout)")
    }

    /// `check --no-recurrent-terms` grades the truncated gradient `run --no-recurrent-terms` prints.
    @Test(arguments: cases)
    func truncatedGradient(_ c: Case) throws {
        let run = try CLIRunner.run(["run", c.spec, "--no-recurrent-terms", "--format", "json"])
        let truncated = try JSONOutput.quantities(run.stdout).filter { !Self.isLayoutTensor($0.key) && !$0.key.hasPrefix("full.") && !$0.key.hasPrefix("gap.") }
        let files = ["t.json": Self.answersFile(truncated)]
        let graded = try check(["check", c.spec, "@t.json", "--no-recurrent-terms", "--strict"], files: files)
        #expect(graded.status == 0 && lines(graded).last == "\(truncated.count) correct, 0 wrong", "\(lines(graded).last ?? "")")
        let full = try check(["check", c.spec, "@t.json", "--strict"], files: files)
        #expect(full.status == 1 && lines(full).filter { $0.hasPrefix("✗") }.count > 20)
    }
}
