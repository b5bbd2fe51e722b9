import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The RNN's and the GRU's equations (show-work, `check`): each evaluates, from its own
/// operands, to the value the cell computed, every quantity the cell reports carries one, and
/// `run --show-work`'s substituted numbers, parsed back and evaluated here with a shape-aware
/// evaluator (the matrices are 2×2), give the printed results.
@Suite struct RNNGRUWorkTests {
    static let specs = ["seed004-rnn.json", "rnn-vanishing.json", "gru-pytorch.json", "gru-znew.json"]

    @Test(arguments: specs)
    func everyEquationEvaluatesToItsQuantity(_ name: String) throws {
        let spec = try Fixtures.spec(name)
        let report = try spec.report(work: true)
        let T = report.sections.filter { $0.title.hasPrefix("Forward") }.count
        var withWork = 0
        for q in report.uniqueQuantities {
            guard let w = q.work else {
                // Only the losses, the zero recurrent term at T−1 and given upstream gradients
                // have no equation.
                let upstream = name == "rnn-vanishing.json" && q.key.hasPrefix("Delta[")
                #expect(q.key.hasPrefix("loss") || q.key == "Delta_h[\(T - 1)]" || upstream, "\(name): \(q.key) has no equation")
                continue
            }
            withWork += 1
            let r = w.result.numbers
            #expect(r.count == q.value.numbers.count, "\(name): \(q.key)")
            for (a, b) in zip(r, q.value.numbers) {
                #expect(abs(a - b) <= 1e-12, "\(name): \(q.key): equation gives \(a), cell computed \(b)")
            }
            for piece in w.pieces { if case .operand(let k) = piece { #expect(k < w.operands.count, "\(q.key)") } }
            for mistake in w.mistakes { #expect(mistake.evaluate(w.operands.map(\.value)).numbers.count == r.count, "\(q.key)") }
        }
        #expect(withWork >= 5 * T, "\(name): only \(withWork) quantities carry their work")
    }

    @Test(arguments: specs)
    func replayWithoutRoundingIsTheExactPass(_ name: String) throws {
        let report = try Fixtures.spec(name).report(work: true)
        var raw: [String: Value] = [:]
        let values = report.replay(finish: { $0 }, raw: &raw)
        for q in report.uniqueQuantities {
            let v = try #require(values[q.key])
            for (a, b) in zip(v.numbers, q.value.numbers) { #expect(abs(a - b) <= 1e-12, "\(name): \(q.key)") }
        }
    }

    /// An operand that names a reported quantity names it by its canonical key, so that a
    /// student's answer for it is carried forward (h_t, not the LSTM's out_t).
    @Test(arguments: specs)
    func operandsNameReportedQuantities(_ name: String) throws {
        let report = try Fixtures.spec(name).report(work: true)
        let keys = Set(report.uniqueQuantities.map(\.key))
        for q in report.uniqueQuantities {
            for op in q.work?.operands ?? [] where op.key.hasPrefix("out[") {
                Issue.record("\(name): \(q.key) reads \(op.key), which the report calls h")
            }
            for op in q.work?.operands ?? [] where op.key.hasPrefix("delta_") || op.key.hasPrefix("Delta") {
                #expect(keys.contains(op.key) || op.key.hasPrefix("delta_gates"), "\(name): \(q.key) reads \(op.key)")
            }
        }
    }

    @Test func carriedForwardAndMistakes() throws {
        let report = try Fixtures.spec("gru-pytorch.json").report(work: true)
        // A wrong h_0 carried into r_1 gives the r_1 that follows from it.
        var raw: [String: Value] = [:]
        let h0 = try #require(report.quantity("h[0]")).value
        let wrong = h0.replacingNumbers(h0.numbers.map { $0 + 0.1 })
        let carried = report.replay(substitute: { $0 == "h[0]" ? wrong : nil }, finish: { $0 }, raw: &raw)
        let r1 = try #require(report.quantity("r[1]")?.work)
        var ops = r1.operands.map(\.value)
        ops[4] = wrong
        #expect(carried["r[1]"] == r1.evaluate(ops))
        #expect(carried["r[1]"] != nil && carried["r[1]"] != report.quantity("r[1]")?.value)
        // The other update convention is diagnosed.
        let h1 = try #require(report.quantity("h[1]")?.work)
        #expect(h1.mistakes.contains { $0.description.hasPrefix("used the other update convention") })
    }

    // MARK: show-work text, parsed back

    /// A value with its shape: vectors are columns.
    struct Tensor {
        var rows: Int, cols: Int, v: [Double]
        static func scalar(_ x: Double) -> Tensor { Tensor(rows: 1, cols: 1, v: [x]) }
        var isScalar: Bool { v.count == 1 }
        var transposed: Tensor {
            var out = [Double](repeating: 0, count: v.count)
            for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = v[i * cols + j] } }
            return Tensor(rows: cols, cols: rows, v: out)
        }
        func map(_ f: (Double) -> Double) -> Tensor { Tensor(rows: rows, cols: cols, v: v.map(f)) }
        static func elementwise(_ a: Tensor, _ b: Tensor, _ f: (Double, Double) -> Double) throws -> Tensor {
            if a.isScalar { return b.map { f(a.v[0], $0) } }
            if b.isScalar { return a.map { f($0, b.v[0]) } }
            guard a.v.count == b.v.count else { throw CLIRunner.SpawnError(description: "shapes \(a.rows)×\(a.cols), \(b.rows)×\(b.cols)") }
            return Tensor(rows: a.rows, cols: a.cols, v: zip(a.v, b.v).map(f))
        }
    }

    /// Numbers, `[a b]` (a column) and `[a b; c d]`, `+ −`, `·` (matrix product, dot product of
    /// two columns, scalars broadcast), `⊙`, `⊗` (outer product), `ᵀ`, `²`, `σ(…)`, `tanh(…)`,
    /// `tanh²(…)`, `softmax(…)`, `relu(…)`, `relu′(…)` and parentheses.
    struct Evaluator {
        var s: [Character]
        var k = 0
        init(_ text: String) { s = Array(text) }

        mutating func skip() { while k < s.count, s[k] == " " { k += 1 } }
        mutating func eat(_ word: String) -> Bool {
            skip()
            let w = Array(word)
            guard k + w.count <= s.count, Array(s[k..<(k + w.count)]) == w else { return false }
            k += w.count
            return true
        }
        func fail(_ what: String) -> Error { CLIRunner.SpawnError(description: "\(what) at \(k) in \(String(s))") }

        mutating func expression() throws -> Tensor {
            var v = try term()
            while true {
                if eat("+") { v = try .elementwise(v, try term(), +) }
                else if eat("−") { v = try .elementwise(v, try term(), -) }
                else { return v }
            }
        }

        mutating func term() throws -> Tensor {
            var a = try postfix()
            while true {
                if eat("·") {
                    let b = try postfix()
                    if a.isScalar || b.isScalar {
                        a = try .elementwise(a, b, *)
                    } else if a.cols == b.rows {
                        var out = [Double](repeating: 0, count: a.rows * b.cols)
                        for i in 0..<a.rows { for j in 0..<b.cols { for m in 0..<a.cols { out[i * b.cols + j] += a.v[i * a.cols + m] * b.v[m * b.cols + j] } } }
                        a = Tensor(rows: a.rows, cols: b.cols, v: out)
                    } else if a.cols == 1, b.cols == 1, a.rows == b.rows {
                        // A one-row matrix prints as a vector: its product with a column.
                        a = .scalar(zip(a.v, b.v).map(*).reduce(0, +))
                    } else {
                        throw fail("shapes do not multiply")
                    }
                } else if eat("⊙") {
                    a = try .elementwise(a, try postfix(), *)
                } else if eat("⊗") {
                    let b = try postfix()
                    a = a.isScalar || b.isScalar ? try .elementwise(a, b, *)
                        : Tensor(rows: a.v.count, cols: b.v.count, v: a.v.flatMap { x in b.v.map { x * $0 } })
                } else {
                    return a
                }
            }
        }

        mutating func postfix() throws -> Tensor {
            var v = try primary()
            while true {
                if eat("ᵀ") { v = v.transposed } else if eat("²") { v = v.map { $0 * $0 } } else { return v }
            }
        }

        mutating func primary() throws -> Tensor {
            if eat("tanh²(") { return try closing().map { $0.tanhValue * $0.tanhValue } }
            if eat("tanh(") { return try closing().map(\.tanhValue) }
            if eat("σ(") { return try closing().map { 1 / (1 + (-$0).exponential) } }
            if eat("relu′(") { return try closing().map { $0 > 0 ? 1 : 0 } }
            if eat("relu(") { return try closing().map { max($0, 0) } }
            if eat("softmax(") {
                let z = try closing()
                let m = z.v.max() ?? 0
                let e = z.map { ($0 - m).exponential }
                let sum = e.v.reduce(0, +)
                return e.map { $0 / sum }
            }
            if eat("(") { return try closing() }
            if eat("[") {
                var rows: [[Double]] = [[]]
                while !eat("]") {
                    if eat(";") { rows.append([]); continue }
                    rows[rows.count - 1].append(try number())
                }
                if rows.count == 1 { return Tensor(rows: rows[0].count, cols: 1, v: rows[0]) }
                return Tensor(rows: rows.count, cols: rows[0].count, v: rows.flatMap { $0 })
            }
            return .scalar(try number())
        }

        mutating func closing() throws -> Tensor {
            let v = try expression()
            guard eat(")") else { throw fail("expected )") }
            return v
        }

        mutating func number() throws -> Double {
            skip()
            let start = k
            while k < s.count, "-0123456789.".contains(s[k]) { k += 1 }
            guard let x = Double(String(s[start..<k])) else { throw fail("expected a number") }
            return x
        }
    }

    @Test(arguments: specs)
    func substitutedNumbersEvaluateToThePrintedResult(_ name: String) throws {
        let out = try CLIRunner.run(["run", "fixtures/" + name, "--show-work"])
        #expect(out.status == 0, "\(out.stderr)")
        var checked = 0
        for full in out.stdout.split(separator: "\n") where full.hasPrefix("  ") {
            // The note after the value ("   (recurrent term, from t = 3)") is not part of the equation.
            let line = full.firstRange(of: "   (").map { full[..<$0.lowerBound] } ?? full
            let parts = line.trimmingPrefix("  ").split(separator: " = ", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            var e = Evaluator(parts[2])
            let value = try e.expression()
            e.skip()
            #expect(e.k == e.s.count, "unparsed text in \(parts[2])")
            var p = Evaluator(parts[3])
            let printed = try p.primary()
            #expect(value.v.count == printed.v.count, "\(line)")
            for (a, b) in zip(value.v, printed.v) {
                // The operands are printed to 5 decimals: the result follows within a few units
                // of the 5th decimal.
                #expect(abs(a - b) <= 5e-5, "\(parts[0]): \(parts[2]) = \(a), printed \(b)")
            }
            checked += 1
        }
        let report = try Fixtures.spec(name).report(work: true)
        let withWork = report.sections.reduce(0) { $0 + $1.quantities.filter { $0.work != nil }.count }
        #expect(checked == withWork, "\(name): \(checked) equations printed, \(withWork) carry their work")
    }

    @Test func showWorkUsesTheCellsNames() throws {
        let rnn = try CLIRunner.run(["run", "fixtures/seed004-rnn.json", "--show-work"]).stdout
        let lines = rnn.split(separator: "\n").map { String($0.trimmingPrefix("  ")) }
        #expect(lines.contains { $0.hasPrefix("z_0 = W·h_-1 + U·x_0 = [0.58 0.24; 0.24 0.72]·[0 0] + [0.5 -0.3; 0.2 0.4]·[1 0] = [0.50000 0.20000]") })
        #expect(lines.contains { $0.hasPrefix("Δ_3 = h_3 − label_3 = ") })
        let gru = try CLIRunner.run(["run", "fixtures/gru-pytorch.json", "--show-work"]).stdout
        #expect(gru.contains("v_0 = V·h_0 + c = "))
        #expect(gru.contains("h_0 = (1 − z_0) ⊙ n_0 + z_0 ⊙ h_-1 = "))
        let znew = try CLIRunner.run(["run", "fixtures/gru-znew.json", "--show-work"]).stdout
        #expect(znew.contains("h_0 = z_0 ⊙ n_0 + (1 − z_0) ⊙ h_-1 = "))
        for format in ["markdown", "latex"] {
            let doc = try CLIRunner.run(["run", "fixtures/gru-znew.json", "--format", format])
            #expect(doc.status == 0, "\(doc.stderr)")
            #expect(doc.stdout.contains("$\\delta h_{0} = \\Delta _{0} + \\Delta h_{0} = \\begin{bmatrix}"), "\(format)")
            #expect(doc.stdout.contains("\\delta gates^{hh}_{0} \\otimes  h_{-1}"), "\(format)")
        }
    }

    /// `check` on an RNN: answers named as the report names them (h, not the LSTM's out), a
    /// value carried forward from the student's own h_0, and a classic mistake diagnosed.
    @Test func checkCarriesForwardAndDiagnoses() throws {
        let path = "/tmp/lstm-grad-rnn-answers-\(getpid()).json"
        // By hand: z_1 = W·[0.62 0.55] + U·[0.5 −1] = [0.3596 + 0.132 + 0.25 + 0.3, 0.1488 + 0.396 + 0.1 − 0.4].
        // δh_2 = Δ_2 alone (Δh_2 forgotten) = h_2 − label_2.
        try writeFile(path, #"{"h[0]": [0.62, 0.55], "z[1]": [1.0416, 0.2448], "delta_h[2]": [-0.20912, 0.19921]}"#)
        let out = try CLIRunner.run(["check", "fixtures/seed004-rnn.json", path])
        #expect(out.status == 1, "\(out.stderr)")
        #expect(out.stdout.contains("carried forward (from h_0 = [0.62, 0.55])"), "\(out.stdout)")
        #expect(out.stdout.contains("forgot Δh from t+1 (δh_t = Δ_t)"), "\(out.stdout)")
        #expect(out.stdout.contains("2 correct, 1 wrong (1 carried forward)"), "\(out.stdout)")
    }

    /// With `--no-recurrent-terms` every printed equation still gives the value beside it (the
    /// Δh_{t−1} that is not passed back prints bare, the zero Δh_t beside δh_t has none).
    @Test(arguments: specs)
    func truncatedGradientEquations(_ name: String) throws {
        let report = try Fixtures.spec(name).report(options: BackwardOptions(recurrentTerms: false), work: true)
        var withWork = 0
        for section in report.sections {
            for q in section.quantities {
                guard let w = q.work else { continue }
                withWork += 1
                for (a, b) in zip(w.result.numbers, q.value.numbers) {
                    #expect(abs(a - b) <= 1e-12, "\(name): \(section.title): \(q.key): equation gives \(a), value \(b)")
                }
            }
        }
        #expect(withWork > 20)
    }
}
