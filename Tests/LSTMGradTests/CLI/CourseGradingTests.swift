#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LSTMGrad
import Testing

/// The published example (fixtures/gomez.json: X = 2, H = 1, T = 2) computed here by hand from
/// the sheet's equations, as a student does on a calculator: every value kept to full
/// precision, with `deltaOut0` the student's own δout_0 (a slip when it is not the true one).
/// Independent of the tool: nothing here reads its report.
struct HandLSTM {
    let W: [String: [Double]] = ["a": [0.45, 0.25], "i": [0.95, 0.8], "f": [0.7, 0.45], "o": [0.6, 0.4]]
    let U: [String: Double] = ["a": 0.15, "i": 0.8, "f": 0.1, "o": 0.25]
    let b: [String: Double] = ["a": 0.2, "i": 0.65, "f": 0.15, "o": 0.1]
    let x: [[Double]] = [[1, 2], [0.5, 3]]
    let labels = [0.5, 1.25]
    /// Every value by its canonical key.
    var v: [String: Double] = [:]

    /// `round`: what the student does with each value before using it (keep it, or round it).
    init(deltaOut0: Double? = nil, round: (Double) -> Double = { $0 }) {
        func sigma(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        var out = 0.0, state = 0.0
        for t in 0..<2 {
            func pre(_ g: String) -> Double { W[g]![0] * x[t][0] + W[g]![1] * x[t][1] + U[g]! * out + b[g]! }
            let a = round(tanh(pre("a"))), i = round(sigma(pre("i"))), f = round(sigma(pre("f"))), o = round(sigma(pre("o")))
            state = round(a * i + f * state)
            out = round(tanh(state) * o)
            for (k, value) in [("a", a), ("i", i), ("f", f), ("o", o), ("state", state), ("out", out)] { v["\(k)[\(t)]"] = value }
            v["Delta[\(t)]"] = round(out - labels[t])
        }
        // t = 1 (last): δout_1 = Δ_1
        var next = (state: 0.0, f: 0.0)
        for t in [1, 0] {
            let o = v["o[\(t)]"]!, s = v["state[\(t)]"]!, a = v["a[\(t)]"]!, i = v["i[\(t)]"]!, f = v["f[\(t)]"]!
            let prev = t == 0 ? 0 : v["state[\(t - 1)]"]!
            var dout = round(v["Delta[\(t)]"]! + (t == 1 ? 0 : v["Delta_out[0]"]!))
            if t == 0, let slip = deltaOut0 { dout = slip }
            let th = tanh(s)
            let ds = round(dout * o * (1 - th * th) + next.state * next.f)
            let d = ["a": round(ds * i * (1 - a * a)), "i": round(ds * a * i * (1 - i)),
                     "f": round(ds * prev * f * (1 - f)), "o": round(dout * th * o * (1 - o))]
            v["delta_out[\(t)]"] = dout
            v["delta_state[\(t)]"] = ds
            for (g, value) in d { v["delta_\(g)[\(t)]"] = value }
            if t == 1 { v["Delta_out[0]"] = round(["a", "i", "f", "o"].map { U[$0]! * d[$0]! }.reduce(0, +)) }
            next = (ds, f)
        }
        for g in ["a", "i", "f", "o"] {
            let d0 = v["delta_\(g)[0]"]!, d1 = v["delta_\(g)[1]"]!
            let dW = [round(d0 * x[0][0] + d1 * x[1][0]), round(d0 * x[0][1] + d1 * x[1][1])]
            v["dW.\(g)[0]"] = dW[0]
            v["dW.\(g)[1]"] = dW[1]
            v["dU.\(g)"] = round(d1 * v["out[0]"]!)
            v["db.\(g)"] = round(d0 + d1)
            v["W.\(g)'[0]"] = round(W[g]![0] - 0.1 * dW[0])
            v["W.\(g)'[1]"] = round(W[g]![1] - 0.1 * dW[1])
            v["U.\(g)'"] = round(U[g]! - 0.1 * v["dU.\(g)"]!)
            v["b.\(g)'"] = round(b[g]! - 0.1 * v["db.\(g)"]!)
        }
    }

    /// x written with 5 decimals, as the student writes it.
    static func written(_ x: Double) -> String {
        var out = OutputBuffer()
        out.writeFixed(x, decimals: 5)
        return out.text
    }

    /// An answers file of every value, 5 decimals each (vectors for the 1×2 blocks).
    var answersFile: String {
        var entries: [String] = []
        for (key, value) in v.sorted(by: { $0.key < $1.key }) where !key.hasSuffix("[1]") || !key.contains(".") {
            if key.hasSuffix("[0]"), key.contains(".") {
                let base = String(key.dropLast(3))
                entries.append("\"\(base)\": [\(Self.written(value)), \(Self.written(v[base + "[1]"]!))]")
            } else {
                entries.append("\"\(key)\": \(Self.written(value))")
            }
        }
        return "{\n  " + entries.joined(separator: ",\n  ") + "\n}\n"
    }
}

/// `check` as a TA grading a course uses it (issue 13), end to end, on answers written by hand.
@Suite struct CourseGradingTests {
    func check(_ args: [String], files: [String: String]) throws -> CLIRunner.Output {
        try CLIRunner.run(args, files: files)
    }

    func lines(_ out: CLIRunner.Output) -> [String] { out.stdout.split(separator: "\n").map(String.init) }

    func line(_ out: CLIRunner.Output, _ label: String) throws -> String {
        try #require(lines(out).first { $0.hasPrefix("✓ \(label) ") || $0.hasPrefix("✗ \(label) ") }, "no line for \(label) in:\n\(out.stdout)")
    }

    /// The labels that depend on δout_0 in the published example (δf_0 = 0 and δW_f do not:
    /// state_{−1} = 0).
    static let afterDeltaOut0 = ["δstate_0", "δa_0", "δi_0", "δo_0", "δW_a", "δW_i", "δW_o", "δb_a", "δb_i", "δb_o",
                                 "W_a", "W_i", "W_o", "b_a", "b_i", "b_o"]

    /// The slip student: δout_0 written 0.01083 (true 0.01804), every later value computed from
    /// their own numbers — kept to the calculator's digits, or rounded to 5 decimals at every
    /// step. Exactly one ✗, and every value after it carried forward.
    @Test(arguments: [false, true])
    func slipCountsOnce(roundingEveryStep: Bool) throws {
        let student = HandLSTM(deltaOut0: 0.01083, round: roundingEveryStep ? { Double(HandLSTM.written($0))! } : { $0 })
        let out = try check(["check", "fixtures/gomez.json", "@s.json"], files: ["s.json": student.answersFile])
        #expect(out.status == 1, "\(out.stderr)")
        let wrong = lines(out).filter { $0.hasPrefix("✗") }
        #expect(wrong.count == 1 && wrong[0].hasPrefix("✗ δout_0 "), "\(out.stdout)")
        for label in Self.afterDeltaOut0 {
            let l = try line(out, label)
            #expect(l.contains("✓ carried forward"), "\(l)")
        }
        #expect(try line(out, "δU_a").hasSuffix("true -0.01040"), "δU does not depend on δout_0")
    }

    /// Too few significant digits: `0.0` for δa_0 = −0.01702 and δU_o = −0.02970, `0.1` for the
    /// loss 0.11491; an exact 0 is right for δf_0 = 0. `--min-digits 0` keeps the written digits only.
    @Test func tooFewDigitsFail() throws {
        let answers = #"{"delta_a[0]": 0.0, "dU.o": 0.0, "loss": 0.1, "delta_f[0]": 0, "delta_i[0]": 0}"#
        let out = try check(["check", "fixtures/gomez.json", "@a.json"], files: ["a.json": answers])
        #expect(out.status == 1)
        for label in ["δa_0", "δU_o", "loss", "δi_0"] { #expect(try line(out, label).hasPrefix("✗"), "\(label): \(out.stdout)") }
        #expect(try line(out, "δf_0").hasPrefix("✓"))
        let loose = try check(["check", "fixtures/gomez.json", "@a.json", "--min-digits", "0"], files: ["a.json": answers])
        #expect(try line(loose, "δa_0").hasPrefix("✓"), "\(loose.stdout)")
    }

    /// The published example's own typos are likely typos; its drifts are rounding or carried.
    @Test func publishedTyposAndDrifts() throws {
        let out = try CLIRunner.run(["check", "--example", "gomez", "docs/examples/gomez.answers.json", "--rounded", "5"])
        #expect(try line(out, "δb_o").contains("likely typo: -0.005362 for -0.05362 (decimal point misplaced)"), "\(out.stdout)")
        #expect(try line(out, "W_f").contains("✓ rounding"))
        #expect(try line(out, "δstate_0").contains("✓ carried forward"))
        // δgates_1 as the example writes it in δU's line: −0.00132 for δi_1 = −0.00112.
        let gates = try check(["check", "fixtures/gomez.json", "@g.json"],
                              files: ["g.json": #"{"δgates_1": [-0.01938, -0.00132, -0.00631, -0.05538]}"#])
        #expect(try line(gates, "δgates_1").contains("entry 1 -0.00132 for -0.00112 (one digit mistyped)"), "\(gates.stdout)")
    }

    @Test func likelyTypoKinds() {
        // Against 0.81775 written with the digits given.
        func accepts(_ x: Double, _ d: Int?) -> Bool { abs(x - 0.81775) <= WrittenNumber.tolerance(decimals: d ?? 0) }
        let cases: [(String, LikelyTypo)] = [("0.81757", .adjacentSwap), ("0.8175", .droppedDigit), ("0.817775", .doubledDigit),
                                             ("8.1775", .decimalPoint), ("-0.81775", .signFlipped), ("0.81275", .digitMistyped)]
        for (literal, kind) in cases {
            #expect(LikelyTypo.find(literal, accepts: accepts, targets: [0.81775])?.typo == kind, "\(literal)")
        }
        #expect(LikelyTypo.find("0.81779", accepts: accepts, targets: [0.81775]) == nil, "the last digit off is arithmetic")
        #expect(LikelyTypo.find("0.5", accepts: accepts, targets: [0.81775]) == nil)
    }

    /// A 4×2 δW written 2×4 is one ✗ saying "transposed"; 3 rows is the wrong shape.
    @Test func wrongShapes() throws {
        let t = #"{"dW": [[-0.02672, -0.00220, -0.00315, -0.02592], [-0.09220, -0.00664, -0.01892, -0.16260]], "dU": [[1, 2], [3, 4]]}"#
        let out = try check(["check", "fixtures/gomez.json", "@t.json"], files: ["t.json": t])
        #expect(out.status == 1)
        #expect(try line(out, "δW").contains("transposed: 2×4 given for δW, a 4×2 matrix"), "\(out.stdout)")
        let w = #"{"dW": [[1, 2], [3, 4], [5, 6]]}"#
        let wrong = try check(["check", "fixtures/gomez.json", "@w.json"], files: ["w.json": w])
        #expect(try line(wrong, "δW").contains("wrong shape: 3×2 given for δW, a 4×2 matrix"), "\(wrong.stdout)")
    }

    /// Conceptual mistakes, each computed by hand the way the student got it.
    @Test func computedDiagnoses() throws {
        let h = HandLSTM()
        let v = h.v
        let th = tanh(v["state[0]"]!)
        let cases: [(String, Double, String)] = [
            ("W.a'", h.W["a"]![0] + 0.1 * v["dW.a[0]"]!, "SGD step with the wrong sign"),
            ("delta_state[0]", v["delta_out[0]"]! * v["o[0]"]! * (1 - th * th) + v["delta_state[1]"]! * v["f[0]"]!, "used f_t where f_{t+1} belongs"),
            ("delta_a[0]", v["delta_state[0]"]! * v["i[0]"]!, "gave the gradient after the activation"),
            ("delta_o[1]", v["delta_out[1]"]! * tanh(v["state[1]"]!), "gave the gradient after the activation"),
            ("Delta[1]", 2 * (v["out[1]"]! - 1.25), "missing ½ in the loss"),
        ]
        for (key, value, words) in cases {
            let answer = key == "W.a'" ? "[\(HandLSTM.written(value)), \(HandLSTM.written(h.W["a"]![1] + 0.1 * v["dW.a[1]"]!))]" : HandLSTM.written(value)
            let out = try check(["check", "fixtures/gomez.json", "@a.json"], files: ["a.json": "{\"\(key)\": \(answer)}"])
            #expect(out.stdout.contains(words), "\(key) = \(answer): \(out.stdout)")
        }
    }

    /// A mean loss L = (1/T)·Σ_t ½‖out_t − label_t‖²: Δ_1 without the 1/T is out_1 − label_1.
    @Test func missingOneOverT() throws {
        let original = String(decoding: try InputFile.read(Fixtures.path("gomez.json")), as: UTF8.self)
        var mean = original
        let loss = try #require(mean.firstRange(of: "\"loss\": \"l2\""))
        mean.replaceSubrange(loss, with: "\"loss\": {\"type\": \"l2\", \"reduction\": \"mean\"}")
        let h = HandLSTM()
        let out = try check(["check", "@mean.json", "@a.json"],
                            files: ["mean.json": mean, "a.json": "{\"Delta[1]\": \(HandLSTM.written(h.v["out[1]"]! - 1.25))}"])
        // At T = 2 the ½ and the 1/T both double it: the diagnosis names both.
        #expect(out.stdout.contains("missing the ½ or the 1/T of the loss"), "\(out.stdout)\(out.stderr)")
    }

    /// A 1e−7 change of one weight: `--strict` fails every quantity it changes; without it they
    /// are carried forward from the first ones.
    @Test func strictFailsEveryDependentQuantity() throws {
        let original = String(decoding: try InputFile.read(Fixtures.path("gomez.json")), as: UTF8.self)
        var changed = original
        let weight = try #require(changed.firstRange(of: "\"a\": [0.45, 0.25]"))
        changed.replaceSubrange(weight, with: "\"a\": [0.4500001, 0.25]")
        #expect(changed != original)
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/changed.json", changed)
            let run = try CLIRunner.run(["run", dir + "/changed.json", "--format", "json"])
            try writeFile(dir + "/answers.json", run.stdout)
            let before = try JSONOutput.quantityTable(try CLIRunner.run(["run", "fixtures/gomez.json", "--format", "json"]).stdout)
            let after = try JSONOutput.quantityTable(run.stdout)
            let differ = Set(after.keys.filter { k in zip(before[k]!, after[k]!).contains { abs($0 - $1) > 1e-12 } })
            #expect(differ.count > 30, "\(differ.count)")
            let strict = try CLIRunner.run(["check", "fixtures/gomez.json", dir + "/answers.json", "--strict", "--format", "csv"])
            #expect(strict.status == 1)
            let rows = strict.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let wrong = Set(rows.filter { $0[5] == "wrong" }.map { $0[1] })
            #expect(wrong == differ, "wrong but unchanged: \(wrong.subtracting(differ)); changed but passed: \(differ.subtracting(wrong))")
            let lenient = try CLIRunner.run(["check", "fixtures/gomez.json", dir + "/answers.json", "--format", "csv"])
            let carried = lenient.stdout.split(separator: "\n").filter { $0.contains(",carried_forward,") }.count
            #expect(carried > 20, "\(lenient.stdout)")
        }
    }

    /// `check SPEC a.json b.json c/`: every file graded, a misspelt key and a file that is not
    /// JSON reported, one summary row per file, exit 1.
    @Test func manyFilesAndADirectory() throws {
        let good = HandLSTM().answersFile
        let files = ["a.json": good,
                     "b.json": #"{"a[0]": 0.81775, "delta_stat[0]": -0.05348, "delta_state[0]": -0.05348}"#,
                     "c/x.json": #"{"i[0]": 0.96083}"#,
                     "c/y.json": "this is not JSON"]
        let out = try check(["check", "fixtures/gomez.json", "@a.json", "@b.json", "@c/"], files: files)
        #expect(out.status == 1)
        #expect(out.stderr.contains("b.json:1:19: error: [\"delta_stat[0]\"]: unknown quantity \"delta_stat[0]\"; did you mean \"delta_state[0]\"?"), "\(out.stderr)")
        #expect(out.stderr.contains("y.json:1:1: error: invalid JSON"), "\(out.stderr)")
        let rows = lines(out)
        #expect(rows.first?.hasPrefix("file ") == true && rows.first?.hasSuffix("  correct  wrong  carried  missing  unknown  score") == true, "\(out.stdout)")
        #expect(rows.count == 6, "\(out.stdout)")
        let a = try #require(rows.first { $0.contains("/a.json") })
        #expect(a.hasSuffix("51      0        0        0        0  51/51"), "\(a)")
        let b = try #require(rows.first { $0.contains("/b.json") })
        #expect(b.hasSuffix("2      0        0       49        1   2/51"), "\(b)")
        #expect(try #require(rows.first { $0.contains("c/y.json") }).contains("not graded: "), "\(out.stdout)")
        #expect(rows.last == "4 files, 1 all right")
        // --detail: every answer of each file under its name, then the summary.
        let detail = try check(["check", "fixtures/gomez.json", "@a.json", "@b.json", "@c/", "--detail"], files: files)
        #expect(detail.stdout.contains("/b.json\n✓ a_0      = 0.81775    true 0.81775\n✓ δstate_0 = -0.05348   true -0.05348\n"), "\(detail.stdout)")
        #expect(detail.stdout.contains("not graded: 1 item (see the errors)"))
        #expect(detail.stdout.hasSuffix("4 files, 1 all right\n"))
        // --format json: every file, its counts and items, as JSON.
        let json = try check(["check", "fixtures/gomez.json", "@a.json", "@b.json", "@c/", "--format", "json"], files: files)
        let root = try JSONParser.parse(Array(json.stdout.utf8))
        guard case .array(let books)? = root.members?.first(where: { $0.key == "files" })?.value.value else {
            Issue.record("no files array: \(json.stdout)")
            return
        }
        #expect(books.count == 4)
        let itemsOfB = books[1].members?.first { $0.key == "items" }?.value
        guard case .array(let items)? = itemsOfB?.value else {
            Issue.record("no items")
            return
        }
        let statuses = items.compactMap { item -> String? in
            if case .string(let s)? = item.members?.first(where: { $0.key == "status" })?.value.value { return s }
            return nil
        }
        #expect(statuses.filter { $0 == "unknown" }.count == 1 && statuses.filter { $0 == "missing" }.count == 49, "\(statuses)")
        // Only a good file: exit 0; nothing readable: exit 2.
        #expect(try check(["check", "fixtures/gomez.json", "@a.json"], files: ["a.json": good]).status == 0)
        #expect(try check(["check", "fixtures/gomez.json", "@y.json"], files: ["y.json": "{"]).status == 2)
    }

    /// `--format gradescope`: Gradescope's results.json: a top-level numeric `score`, and
    /// `tests`, each an object with a string `name`, numeric `score` and `max_score`, a string
    /// `output` (and optional `visibility`, `stdout_visibility` among Gradescope's values).
    @Test func gradescopeResultsFollowTheSchema() throws {
        let student = HandLSTM(deltaOut0: 0.01083)
        let out = try check(["check", "fixtures/gomez.json", "@s.json", "--format", "gradescope"], files: ["s.json": student.answersFile])
        #expect(out.status == 1)
        let root = try JSONParser.parse(Array(out.stdout.utf8))
        let members = try #require(root.members)
        func member(_ node: JSONNode, _ key: String) -> JSONNode? { node.members?.first { $0.key == key }?.value }
        func number(_ node: JSONNode?) -> Double? {
            if case .number(let x, _)? = node?.value { return x }
            return nil
        }
        func string(_ node: JSONNode?) -> String? {
            if case .string(let s)? = node?.value { return s }
            return nil
        }
        let visibilities = ["hidden", "after_due_date", "after_published", "visible"]
        for m in members {
            #expect(["score", "max_score", "output", "visibility", "stdout_visibility", "tests", "extra_data", "execution_time"].contains(m.key), "\(m.key)")
        }
        let score = try #require(number(member(root, "score")))
        #expect(score == 50)
        #expect(number(member(root, "max_score")) == 51)
        #expect(visibilities.contains(try #require(string(member(root, "visibility")))))
        #expect(visibilities.contains(try #require(string(member(root, "stdout_visibility")))))
        guard case .array(let tests)? = member(root, "tests")?.value else {
            Issue.record("tests is not an array")
            return
        }
        #expect(tests.count == 51)
        var total = 0.0
        for t in tests {
            let name = try #require(string(member(t, "name")))
            let s = try #require(number(member(t, "score")), "\(name)")
            let max = try #require(number(member(t, "max_score")), "\(name)")
            #expect(string(member(t, "output")) != nil)
            #expect(visibilities.contains(string(member(t, "visibility")) ?? "visible"))
            #expect(s >= 0 && s <= max)
            total += s
        }
        #expect(total == score)
        let many = try check(["check", "fixtures/gomez.json", "@a.json", "@b.json", "--format", "gradescope"],
                             files: ["a.json": "{}", "b.json": "{}"])
        #expect(many.status == 2 && many.stderr.contains("describes one submission"), "\(many.stderr)")
    }

    /// `--rubric`: forward values 2 points each, δout_0 5 points; the gradebook CSV adds them.
    @Test func rubricPoints() throws {
        let student = HandLSTM(deltaOut0: 0.01083)
        let rubric = #"{"default": 1, "points": {"forward": 2, "δout_0": 5, "dW": 3}}"#
        let out = try check(["check", "fixtures/gomez.json", "@s.json", "--rubric", "@r.json", "--format", "gradebook"],
                            files: ["s.json": student.answersFile, "r.json": rubric])
        let rows = out.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2)
        // 12 forward values × 2, 4 δW_g × 3, δout_0 5 (lost), the other 34 answers 1 each.
        #expect(rows[1][1] == "70" && rows[1][2] == "75", "\(out.stdout)")
        let header = rows[0]
        #expect(rows[1][try #require(header.firstIndex(of: "a[0]"))] == "2")
        #expect(rows[1][try #require(header.firstIndex(of: "delta_out[0]"))] == "0")
        let bad = try check(["check", "fixtures/gomez.json", "@s.json", "--rubric", "@r.json"],
                            files: ["s.json": "{}", "r.json": #"{"points": {"forwrd": 2}}"#])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown quantity \"forwrd\"; did you mean \"forward\"?"), "\(bad.stderr)")
    }

    /// The whole `run --format json` document is an answers file; the notation's labels are
    /// names; `--no-recurrent-terms` grades the truncated gradient.
    @Test func answersFormatsAndTruncatedGradient() throws {
        let run = try CLIRunner.run(["run", "--example", "gomez", "--format", "json"])
        let own = try check(["check", "--example", "gomez", "@run.json"], files: ["run.json": run.stdout])
        #expect(own.status == 0, "\(own.stdout)\(own.stderr)")
        // Colah's W^{hi} is U_i: its label with TeX's braces is a name, a near miss is suggested.
        let colah = try check(["check", "fixtures/seed000-univariate.json", "@a.json"], files: ["a.json": #"{"∇W^{hi}": 0.00017, "W^hi'": 1}"#])
        #expect(colah.stdout.hasPrefix("✓ ∇W^hi = 0.00017"), "\(colah.stdout)")
        #expect(colah.stderr.contains("did you mean \"U.i'\"?"), "\(colah.stderr)")
        // The truncated gradient by hand: δout_0 = Δ_0 (no Δout_0), δstate_0 without δstate_1 ⊙ f_1.
        let h = HandLSTM().v
        let th = tanh(h["state[0]"]!)
        let hand = "{\"delta_out[0]\": \(HandLSTM.written(h["Delta[0]"]!)), "
            + "\"delta_state[0]\": \(HandLSTM.written(h["Delta[0]"]! * h["o[0]"]! * (1 - th * th)))}"
        let short = try check(["check", "fixtures/gomez.json", "@h.json", "--no-recurrent-terms"], files: ["h.json": hand])
        #expect(short.status == 0, "\(short.stdout)")
        let long = try check(["check", "fixtures/gomez.json", "@h.json"], files: ["h.json": hand])
        #expect(long.status == 1)
        #expect(long.stdout.contains("forgot Δout from t+1"), "\(long.stdout)")
        let truncated = try CLIRunner.run(["run", "fixtures/seed000-univariate.json", "--no-recurrent-terms", "--format", "json"])
        let graded = try check(["check", "fixtures/seed000-univariate.json", "@t.json", "--no-recurrent-terms"], files: ["t.json": truncated.stdout])
        #expect(graded.status == 0, "\(graded.stdout)")
        let full = try check(["check", "fixtures/seed000-univariate.json", "@t.json"], files: ["t.json": truncated.stdout])
        #expect(full.status == 1)
    }
}
