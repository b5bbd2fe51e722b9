/// One answer of a student's answers file: the quantity it names and the numbers as written.
public struct Answer: Sendable {
    /// The canonical name (aliases resolved) and the key as written.
    public var name: QuantityName
    public var written: String
    public var label: String
    public var numbers: [Double]
    /// The number literals as the student wrote them (their digits set the tolerance).
    public var literals: [String]

    public init(name: QuantityName, written: String, label: String, numbers: [Double], literals: [String]) {
        self.name = name
        self.written = written
        self.label = label
        self.numbers = numbers
        self.literals = literals
    }

    /// The decimals a literal states: `0.81775` → 5, `-0.0922` → 4, `1.5e-3` → 4. An integer
    /// literal (`0`) is taken as exact to `defaultDecimals`. Bounded whatever the exponent
    /// (see `WrittenNumber`).
    public static func decimals(of literal: String, defaultDecimals: Int = 5) -> Int {
        WrittenNumber(literal)?.decimals ?? defaultDecimals
    }

    /// Half a unit of the last written decimal, with a tiny slack for binary rounding
    /// (saturating: see `WrittenNumber.tolerance`).
    public static func tolerance(decimals: Int) -> Double {
        WrittenNumber.tolerance(decimals: decimals)
    }
}

/// Reads an answers file: a JSON object of names (canonical keys, notation aliases, or the labels
/// the report prints; `AnswerNames`) to numbers or arrays (nested arrays for matrices), each
/// checked against the report's quantities.
public enum AnswerSheet {
    public static func decode(_ source: SourceText, report: Report, notation: Notation) throws(SpecErrors) -> [Answer] {
        let root: JSONNode
        do {
            root = try JSONParser.parse(source.bytes)
        } catch {
            throw SpecErrors([Diagnostic(file: source.name, location: source.location(of: error.offset), path: nil,
                                         error: .syntax(error.message))])
        }
        let reader = SpecReader(source: source)
        guard let members = root.members else {
            reader.fail(.wrongType(expected: "a JSON object of quantity names to answers", found: root.kindDescription), root, .root)
            throw SpecErrors(reader.diagnostics)
        }
        var names = AnswerNames(report.answerable, notation: notation, layoutBlocks: report.layoutBlocks)
        var seen: [QuantityName: Int] = [:]
        var answers: [Answer] = []
        for m in members {
            let path = JSONPath.root / m.key
            guard let q = names.resolve(m.key) else {
                reader.fail(.unknownQuantity(m.key, suggestion: names.suggestion(for: m.key)), at: m.keyOffset, path)
                continue
            }
            let key = q.name
            if let first = seen[key] {
                reader.fail(.duplicateKey(m.key, firstLine: reader.location(of: first).line), at: m.keyOffset, path)
                continue
            }
            seen[key] = m.keyOffset
            var numbers: [Double] = []
            var literals: [String] = []
            var ok = true
            func collect(_ node: JSONNode, _ p: JSONPath) {
                switch node.value {
                case .number(let v, let literal):
                    guard v.isFinite else {
                        reader.fail(.notFinite(literal: literal), node, p)
                        ok = false
                        return
                    }
                    numbers.append(v)
                    literals.append(literal)
                case .array, .numbers:
                    for (k, item) in (node.array ?? []).enumerated() { collect(item, p / k) }
                default:
                    reader.fail(.wrongType(expected: "a number or an array of numbers", found: node.kindDescription), node, p)
                    ok = false
                }
            }
            collect(m.value, path)
            guard ok else { continue }
            let count = q.value.numbers.count
            guard numbers.count == count else {
                reader.fail(.wrongLength(expected: count, found: numbers.count, what: count == 1 ? "number" : "numbers",
                                         meaning: "\(q.label) has \(count)"), m.value, path)
                continue
            }
            answers.append(Answer(name: key, written: m.key, label: q.label, numbers: numbers, literals: literals))
        }
        if reader.hasErrors { throw SpecErrors(reader.diagnostics, omitted: reader.omitted) }
        return answers
    }
}

/// Grades answers against a report: exact (within the written digits), error carried forward,
/// hand rounding, or wrong with the classic mistake that reproduces the value, if one does.
public struct AnswerCheck: Sendable {
    public enum Verdict: Sendable, Equatable {
        case correct
        /// Right from the student's own earlier answers: the labels and values used.
        case carriedForward(from: [String])
        case rounding
        /// Wrong: which entries, and the mistake that reproduces the value (nil if none does).
        case wrong(entries: [Int], diagnosis: String?)

        public var isCorrect: Bool {
            if case .wrong = self { return false }
            return true
        }
    }

    public struct Line: Sendable {
        public var answer: Answer
        public var truth: [Double]
        public var verdict: Verdict
        /// Decimals to print the true value with.
        public var decimals: Int
    }

    public var lines: [Line]

    public var correct: Int { lines.filter { $0.verdict.isCorrect }.count }
    public var wrong: Int { lines.count - correct }

    /// `tolerance` overrides the digit-based tolerance; `rounded` replays the pass with every
    /// intermediate rounded to that many decimals.
    public init(answers: [Answer], report: Report, tolerance: Double? = nil, rounded: Int? = nil) {
        let quantities = Dictionary(report.answerable.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var given: [QuantityName: Value] = [:]
        for a in answers {
            if let q = quantities[a.name] { given[a.name] = q.value.replacingNumbers(a.numbers) }
        }
        let replay = Recomputation(report: report, given: given)
        // Hand rounding: half away from zero, and cut off (both are how hands round).
        let roundedPasses = rounded.map { d in [report.handRounded(decimals: d), report.handRounded(decimals: d, truncating: true)] } ?? []
        lines = answers.compactMap { a -> Line? in
            guard let q = quantities[a.name] else { return nil }
            let truth = q.value.numbers
            let tols = a.literals.map { tolerance ?? Answer.tolerance(decimals: Answer.decimals(of: $0)) }
            func matches(_ values: [Double], at k: Int) -> Bool { abs(a.numbers[k] - values[k]) <= tols[k] }
            func matchesAll(_ values: [Double]) -> Bool { values.indices.allSatisfy { matches(values, at: $0) } }

            // Error carried forward: the same equation from the student's own operands.
            var carried: [Double]?
            var from: [String] = []
            if let e = q.equation, let (value, used) = replay.evaluate(e.rhs) {
                carried = value.numbers
                // Name the student's operands that change the result (not those multiplied by
                // zero) and are not the true value rounded to the digits they wrote (their
                // slips); if every one is, the rounding of all of them.
                var slips: [String] = []
                var named: [String] = []
                for name in used {
                    guard let ans = answers.first(where: { $0.name == name }), replay.matters(name, in: e.rhs, result: value) else { continue }
                    let text = ans.literals.count == 1 ? ans.literals[0] : "[" + ans.literals.joined(separator: ", ") + "]"
                    named.append("\(ans.label) = \(text)")
                    let truth = quantities[name]?.value.numbers ?? []
                    let slipped = ans.literals.indices.contains { k in
                        let d = Answer.decimals(of: ans.literals[k])
                        return abs(Value.scalar(truth[k]).rounded(decimals: d).numbers[0] - ans.numbers[k]) > Answer.tolerance(decimals: d + 3)
                    }
                    if slipped { slips.append(named.last!) }
                }
                from = slips.isEmpty ? named : slips
                if from.count > 4 { from = Array(from.prefix(4)) + ["…"] }
            }
            let roundedTruths = roundedPasses.compactMap { $0[a.name]?.numbers }
            var kinds: [Int] = []  // 0 exact, 1 carried, 2 rounding, 3 wrong
            for k in truth.indices {
                if matches(truth, at: k) { kinds.append(0) }
                else if let c = carried, matches(c, at: k) { kinds.append(1) }
                else if roundedTruths.contains(where: { matches($0, at: k) }) { kinds.append(2) }
                else { kinds.append(3) }
            }
            let decimals = max(5, a.literals.map { Answer.decimals(of: $0) }.max() ?? 5)
            let verdict: Verdict
            if kinds.contains(3) {
                let wrongEntries = kinds.indices.filter { kinds[$0] == 3 }
                verdict = .wrong(entries: wrongEntries,
                                 diagnosis: AnswerCheck.diagnose(a, quantity: q, replay: replay, report: report, matchesAll: matchesAll))
            } else if kinds.contains(1) {
                verdict = .carriedForward(from: from)
            } else if kinds.contains(2) {
                verdict = .rounding
            } else {
                verdict = .correct
            }
            return Line(answer: a, truth: truth, verdict: verdict, decimals: decimals)
        }
    }

    /// The first classic mistake whose value reproduces every entry the student gave, and
    /// differs from the true value: computed from the quantity's own equation, never guessed.
    static func diagnose(_ a: Answer, quantity q: Quantity, replay: Recomputation, report: Report,
                         matchesAll: ([Double]) -> Bool) -> String? {
        let truth = q.value.numbers
        if let e = q.equation {
            for m in e.mistakes {
                // From the student's own operands, and from the true ones.
                for own in [true, false] {
                    guard let v = own ? replay.evaluate(m.rhs)?.value : replay.evaluateTrue(m.rhs) else { continue }
                    if matchesAll(v.numbers) && !matchesAll(truth) { return m.description }
                }
            }
        }
        let negated = truth.map { -$0 }
        if truth.contains(where: { $0 != 0 }), matchesAll(negated) {
            return isGradient(q.name) ? "sign of the loss derivative flipped (matches −\(q.label))"
                                      : "sign flipped (matches −\(q.label))"
        }
        // The same quantity at a neighbouring timestep.
        if let t = q.name.t {
            for (dt, name) in [(-1, "t−1"), (1, "t+1")] {
                if let other = report.quantity(q.name.at(t + dt)), other.value.numbers.count == truth.count,
                   matchesAll(other.value.numbers) {
                    return "matches the value at \(name) (\(other.label))"
                }
            }
        }
        return nil
    }

    /// δ, Δ and d-names are gradients (their sign follows the loss derivative).
    static func isGradient(_ name: QuantityName) -> Bool {
        let key = name.symbol.base
        if key.hasPrefix("delta_") || key.hasPrefix("Delta") { return true }
        guard key.hasPrefix("d"), let second = key.dropFirst().first else { return false }
        return second.isUppercase || second == "b" || second == "c"
    }

    /// One line per answer, then `N correct, M wrong`; with `color`, ✓ in green and ✗ in red.
    public func render(into out: inout OutputBuffer, color: Bool = false) {
        let width = lines.map { $0.answer.label.unicodeScalars.count }.max() ?? 0
        let givenTexts = lines.map { l in
            l.answer.literals.count == 1 ? l.answer.literals[0] : "[" + l.answer.literals.joined(separator: ", ") + "]"
        }
        // The "true" column lines up within each run of consecutive answers with as many
        // entries, so that one wide matrix does not push every scalar line to its width.
        var givenWidths = [Int](repeating: 0, count: lines.count)
        var start = 0
        while start < lines.count {
            var end = start
            while end < lines.count && lines[end].answer.literals.count == lines[start].answer.literals.count { end += 1 }
            let w = givenTexts[start..<end].map { $0.unicodeScalars.count }.max() ?? 0
            for k in start..<end { givenWidths[k] = w }
            start = end
        }
        for (k, (line, given)) in zip(lines, givenTexts).enumerated() {
            let givenWidth = givenWidths[k]
            out.write(line.verdict.isCorrect ? "✓" : "✗", style: line.verdict.isCorrect ? .good : .bad, color: color)
            out.write(" ")
            out.write(line.answer.label)
            out.spaces(width - line.answer.label.unicodeScalars.count)
            out.write(" = ")
            out.write(given)
            out.spaces(givenWidth - given.unicodeScalars.count)
            out.write("   true ")
            if line.truth.count == 1 {
                out.writeFixed(line.truth[0], decimals: line.decimals)
            } else {
                out.write("[")
                for (k, x) in line.truth.enumerated() {
                    if k > 0 { out.write(", ") }
                    out.writeFixed(x, decimals: line.decimals)
                }
                out.write("]")
            }
            switch line.verdict {
            case .correct:
                break
            case .carriedForward(let from):
                out.write("   ")
                out.write("✓ carried forward", style: .good, color: color)
                if !from.isEmpty { out.write(" (from " + from.joined(separator: ", ") + ")") }
            case .rounding:
                out.write("   ")
                out.write("✓ rounding", style: .good, color: color)
            case .wrong(let entries, let diagnosis):
                if line.truth.count > 1 {
                    out.write("   entr\(entries.count == 1 ? "y" : "ies") " + entries.map(String.init).joined(separator: ", ") + " wrong")
                }
                if let d = diagnosis { out.write(": " + d) }
            }
            out.newline()
        }
        let carried = lines.filter { if case .carriedForward = $0.verdict { return true } else { return false } }.count
        let rounding = lines.filter { $0.verdict == .rounding }.count
        out.write("\(correct) correct, \(wrong) wrong")
        var extra: [String] = []
        if carried > 0 { extra.append("\(carried) carried forward") }
        if rounding > 0 { extra.append("\(rounding) by rounding") }
        if !extra.isEmpty { out.write(" (" + extra.joined(separator: ", ") + ")") }
        out.newline()
    }
}

/// A quantity's equation evaluated from a student's own numbers: each operand is the student's
/// answer where they gave one; a value the report does not print, or a stacked vector (δgates_t,
/// whose parts a student writes instead), is recomputed from its own equation the same way;
/// anything else is the pass's value.
struct Recomputation {
    var report: Report
    var given: [QuantityName: Value]
    /// The equations of values recomputed from the student's numbers where not given.
    var hidden: [QuantityName: Equation]

    init(report: Report, given: [QuantityName: Value]) {
        self.report = report
        self.given = given
        let printed = Set(report.uniqueQuantities.map(\.name))
        let recomputed = report.equations.filter { eq in
            if case .stack = eq.rhs { return true }
            return !printed.contains(eq.name)
        }
        hidden = Dictionary(recomputed.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The value from the student's numbers and the answers it read; nil when it reads none.
    func evaluate(_ rhs: Expr) -> (value: Value, used: [QuantityName])? {
        var used: [QuantityName] = []
        func lookup(_ name: QuantityName) -> Value? {
            if let g = given[name] {
                if !used.contains(name) { used.append(name) }
                return g
            }
            if let e = hidden[name] { return try? e.rhs.evaluate(lookup) }
            return report.values?[name]
        }
        guard let v = try? rhs.evaluate(lookup), !used.isEmpty else { return nil }
        return (v, used)
    }

    /// The value from the pass's own numbers.
    func evaluateTrue(_ rhs: Expr) -> Value? {
        guard let values = report.values else { return nil }
        return try? rhs.evaluate { values[$0] }
    }

    /// Whether the student's value of `name` changes the result (an operand multiplied by a
    /// zero, such as out_{−1} = 0, does not).
    func matters(_ name: QuantityName, in rhs: Expr, result: Value) -> Bool {
        var without = self
        without.given[name] = nil
        guard let other = without.evaluate(rhs)?.value ?? evaluateTrue(rhs) else { return true }
        return other != result
    }
}
