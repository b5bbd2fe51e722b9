/// One answer of a student's answers file: the quantity it names and the numbers as written.
public struct Answer: Sendable {
    /// The canonical name (aliases resolved) and the key as written.
    public var name: QuantityName
    public var written: String
    public var label: String
    public var numbers: [Double]
    /// The number literals as the student wrote them (their digits set the tolerance).
    public var literals: [String]
    /// Why the numbers cannot be compared entry by entry: a matrix of the wrong shape (nil: they can).
    public var shapeError: String?
    /// The row lengths as written, for an answer of the wrong shape written as rows.
    public var writtenRows: [Int] = []

    public init(name: QuantityName, written: String, label: String, numbers: [Double], literals: [String], shapeError: String? = nil) {
        self.name = name
        self.written = written
        self.label = label
        self.numbers = numbers
        self.literals = literals
        self.shapeError = shapeError
    }

    /// The decimals a literal states: `0.81775` → 5, `-0.0922` → 4, `1.5e-3` → 4; nil for an
    /// integer (`0`), which states none. Bounded whatever the exponent (see `WrittenNumber`).
    public static func decimals(of literal: String) -> Int? {
        WrittenNumber(literal)?.decimals
    }

    /// The answer as written: `0.5`, or `[0.5, -1]`.
    public var givenText: String {
        if literals.count == 1 && shapeError == nil { return literals[0] }
        guard writtenRows.count > 1, writtenRows.reduce(0, +) == literals.count else { return "[" + literals.joined(separator: ", ") + "]" }
        // As written, row by row: a wrong shape shows as the student wrote it.
        var rows: [String] = []
        var start = 0
        for n in writtenRows {
            rows.append("[" + literals[start..<(start + n)].joined(separator: ", ") + "]")
            start += n
        }
        return "[" + rows.joined(separator: ", ") + "]"
    }
}

/// Reads an answers file: a JSON object of names (canonical keys, notation aliases, or the labels
/// the report prints; `AnswerNames`) to numbers or arrays (nested arrays for matrices), each
/// checked against the report's quantities. The whole document `run --format json` writes is an
/// answers file too (its `quantities`).
public enum AnswerSheet {
    /// The answers of one file, and the problems of single items (an unknown name, a wrong
    /// count, a string for a number): each is reported and the other items are graded.
    public struct Contents: Sendable {
        public var answers: [Answer]
        public var problems: [Diagnostic]
        /// Problems past the reader's limit, counted and not shown.
        public var omitted: Int = 0
    }

    /// Every answer, or an error for the first problem of any item (the strict reading).
    public static func decode(_ source: SourceText, report: Report, notation: Notation) throws(SpecErrors) -> [Answer] {
        let contents = try read(source, report: report, notation: notation)
        if !contents.problems.isEmpty { throw SpecErrors(contents.problems, omitted: contents.omitted) }
        return contents.answers
    }

    /// The answers that can be graded and the items that cannot; throws only when the file as
    /// a whole is not an answers file (not JSON, not an object).
    public static func read(_ source: SourceText, report: Report, notation: Notation) throws(SpecErrors) -> Contents {
        var names = AnswerNames(report.answerable, notation: notation, layoutBlocks: report.layoutBlocks)
        return try read(source, names: &names)
    }

    /// As `read(_:report:notation:)`, with the names resolved once for many files.
    static func read(_ source: SourceText, names: inout AnswerNames) throws(SpecErrors) -> Contents {
        let root = try parse(source)
        let reader = SpecReader(source: source)
        guard var members = root.members else {
            reader.fail(.wrongType(expected: "a JSON object of quantity names to answers", found: root.kindDescription), root, .root)
            throw SpecErrors(reader.diagnostics)
        }
        var base = JSONPath.root
        // `run --format json`: the answers are its quantities.
        if let q = members.first(where: { $0.key == "quantities" }), let inner = q.value.members,
           members.contains(where: { $0.key == "model" }) {
            members = inner
            base = base / "quantities"
        }
        var seen: [QuantityName: Int] = [:]
        var answers: [Answer] = []
        for m in members {
            let path = base / m.key
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
            let shapeError = Self.shapeError(m.value, count: numbers.count, expected: q.value, label: q.label)
            guard numbers.count == count || shapeError != nil else {
                reader.fail(.wrongLength(expected: count, found: numbers.count, what: count == 1 ? "number" : "numbers",
                                         meaning: "\(q.label) has \(count)"), m.value, path)
                continue
            }
            var answer = Answer(name: key, written: m.key, label: q.label, numbers: numbers, literals: literals, shapeError: shapeError)
            if shapeError != nil, let rows = m.value.array {
                answer.writtenRows = rows.map { $0.arrayCount ?? 1 }
            }
            answers.append(answer)
        }
        return Contents(answers: answers, problems: reader.diagnostics, omitted: reader.omitted)
    }

    /// The file's JSON, or its syntax error at its place (answers files and rubrics).
    static func parse(_ source: SourceText) throws(SpecErrors) -> JSONNode {
        do {
            return try JSONParser.parse(source.bytes)
        } catch {
            throw SpecErrors([Diagnostic(file: source.name, location: source.location(of: error.offset), path: nil,
                                         error: .syntax(error.message))])
        }
    }

    /// Why an answer written as `node` cannot be a matrix `expected`: rows × columns that are
    /// not the quantity's ("transposed" when they are its columns × rows). A flat list of the
    /// right count is read row by row; nil when the shape fits, or the answer is no matrix.
    static func shapeError(_ node: JSONNode, count: Int, expected: Value, label: String) -> String? {
        guard case .matrix(let m) = expected, m.rows > 1, m.cols > 1, case .array(let rows) = node.value else { return nil }
        let lengths = rows.map(\.arrayCount)
        guard let first = lengths.first, let cols = first, lengths.allSatisfy({ $0 == cols }) else {
            return count == m.rows * m.cols ? nil : "wrong shape: \(count) numbers for \(label), a \(m.rows)×\(m.cols) matrix"
        }
        if rows.count == m.rows && cols == m.cols { return nil }
        let given = "\(rows.count)×\(cols) given for \(label), a \(m.rows)×\(m.cols) matrix"
        return rows.count == m.cols && cols == m.rows ? "transposed: " + given : "wrong shape: " + given
    }
}

/// Grades answers against a report: exact (within the written digits), error carried forward,
/// hand rounding, or wrong with the classic mistake or the likely typo that reproduces the
/// value, if one does (the rules: `GradingRules`, docs/grading.md).
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

    /// What a diagnosis is: a conceptual mistake (an edited equation), a likely typo, a shape.
    public enum DiagnosisKind: String, Sendable, Equatable {
        case mistake, typo, shape
    }

    public struct Line: Sendable {
        public var answer: Answer
        public var truth: [Double]
        public var verdict: Verdict
        /// Decimals to print the true value with.
        public var decimals: Int
        /// The kind of the diagnosis of a wrong answer, and a short machine-readable code.
        public var diagnosisKind: DiagnosisKind? = nil
        public var diagnosisCode: String? = nil

        /// `correct`, `carried_forward`, `rounding` or `wrong`.
        public var status: String {
            switch verdict {
            case .correct: return "correct"
            case .carriedForward: return "carried_forward"
            case .rounding: return "rounding"
            case .wrong: return "wrong"
            }
        }
    }

    public var lines: [Line]

    public var correct: Int { lines.filter { $0.verdict.isCorrect }.count }
    public var wrong: Int { lines.count - correct }
    public var carried: Int { lines.filter { if case .carriedForward = $0.verdict { return true } else { return false } }.count }
    public var rounding: Int { lines.filter { $0.verdict == .rounding }.count }

    /// `tolerance` overrides the digit-based tolerance; `rounded` replays the pass with every
    /// intermediate rounded to that many decimals.
    public init(answers: [Answer], report: Report, tolerance: Double? = nil, rounded: Int? = nil) {
        self.init(answers: answers, report: report, rules: GradingRules(tolerance: tolerance, rounded: rounded))
    }

    /// What grading reads besides the answers, computed once for many files: the report's
    /// quantities by name, the equations recomputed where not printed, the hand-rounded passes.
    public struct Context: Sendable {
        var report: Report
        var rules: GradingRules
        var quantities: [QuantityName: Quantity]
        var hidden: [QuantityName: Equation]
        var roundedPasses: [[QuantityName: Value]]

        public init(report: Report, rules: GradingRules) {
            self.report = report
            self.rules = rules
            quantities = Dictionary(report.answerable.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            let printed = Set(report.uniqueQuantities.map(\.name))
            let recomputed = report.equations.filter { eq in
                if case .stack = eq.rhs { return true }
                return !printed.contains(eq.name)
            }
            hidden = Dictionary(recomputed.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            // Hand rounding: half away from zero, and cut off (both are how hands round).
            roundedPasses = rules.strict ? [] : rules.rounded.map { d in
                [report.handRounded(decimals: d), report.handRounded(decimals: d, truncating: true)]
            } ?? []
        }
    }

    public init(answers: [Answer], report: Report, rules: GradingRules) {
        self.init(answers: answers, context: Context(report: report, rules: rules))
    }

    public init(answers: [Answer], context: Context) {
        let report = context.report, rules = context.rules, quantities = context.quantities
        var given: [QuantityName: Answer] = [:]
        for a in answers where a.shapeError == nil {
            if quantities[a.name] != nil { given[a.name] = a }
        }
        let replay = Recomputation(context: context, given: given)
        let roundedPasses = context.roundedPasses
        lines = answers.compactMap { a -> Line? in
            guard let q = quantities[a.name] else { return nil }
            let truth = q.value.numbers
            let decimals = max(5, a.literals.compactMap { Answer.decimals(of: $0) }.max() ?? 5)
            if let shape = a.shapeError {
                var line = Line(answer: a, truth: truth, verdict: .wrong(entries: [], diagnosis: shape), decimals: decimals)
                line.diagnosisKind = .shape
                line.diagnosisCode = shape.hasPrefix("transposed") ? "transposed" : "wrong_shape"
                return line
            }
            let places = a.literals.map { Answer.decimals(of: $0) }
            func near(_ x: Double, _ reference: Double, decimals: Int?) -> Bool {
                abs(x - reference) <= rules.tolerance(decimals: decimals, reference: reference)
            }
            func matches(_ values: [Double], at k: Int) -> Bool { near(a.numbers[k], values[k], decimals: places[k]) }
            func matchesAll(_ values: [Double]) -> Bool { values.count == a.numbers.count && values.indices.allSatisfy { matches(values, at: $0) } }

            // Error carried forward: the same equation from the student's own operands, each the
            // interval its written digits allow; the answer may lie anywhere in that interval
            // widened by its own rounding.
            // Computed only for an answer that misses the truth (most answers do not).
            let exact = truth.indices.allSatisfy { matches(truth, at: $0) }
            var carried: IntervalValue?
            var used: [QuantityName] = []
            if !exact, !rules.strict, let e = q.equation, let (value, operands) = replay.evaluateIntervals(e.rhs) {
                carried = value
                used = operands
            }
            func carriedMatches(_ x: Double, at k: Int, decimals: Int?) -> Bool {
                guard let c = carried, c.entries.indices.contains(k) else { return false }
                let interval = c.entries[k]
                let r = min(rules.radius(decimals: decimals), rules.significantTolerance(interval.mid))
                return interval.widened(by: r + 1e-12).contains(x)
            }
            let roundedTruths = roundedPasses.compactMap { $0[a.name]?.numbers }
            var kinds: [Int] = []  // 0 exact, 1 carried, 2 rounding, 3 wrong
            for k in truth.indices {
                if matches(truth, at: k) { kinds.append(0) }
                else if carriedMatches(a.numbers[k], at: k, decimals: places[k]) { kinds.append(1) }
                else if roundedTruths.contains(where: { matches($0, at: k) }) { kinds.append(2) }
                else { kinds.append(3) }
            }
            var line = Line(answer: a, truth: truth, verdict: .correct, decimals: decimals)
            if kinds.contains(3) {
                let wrongEntries = kinds.indices.filter { kinds[$0] == 3 }
                if let (text, code) = AnswerCheck.diagnose(a, quantity: q, replay: replay, report: report, matchesAll: matchesAll) {
                    line.verdict = .wrong(entries: wrongEntries, diagnosis: text)
                    line.diagnosisKind = .mistake
                    line.diagnosisCode = code
                } else if let typo = AnswerCheck.typos(a, entries: wrongEntries, truth: truth, carried: carried,
                                                       accepts: { x, k, d in near(x, truth[k], decimals: d) || carriedMatches(x, at: k, decimals: d) }) {
                    line.verdict = .wrong(entries: wrongEntries, diagnosis: typo.text)
                    line.diagnosisKind = .typo
                    line.diagnosisCode = typo.code
                } else {
                    line.verdict = .wrong(entries: wrongEntries, diagnosis: nil)
                }
            } else if kinds.contains(1), let e = q.equation {
                line.verdict = .carriedForward(from: replay.namedOperands(used, in: e.rhs, quantities: quantities))
            } else if kinds.contains(2) {
                line.verdict = .rounding
            }
            return line
        }
    }

    /// Every wrong entry a likely typo of the value it should have been: the diagnosis, as
    /// `likely typo: -0.005362 for -0.05362 (decimal point misplaced)`, and its code.
    static func typos(_ a: Answer, entries: [Int], truth: [Double], carried: IntervalValue?,
                      accepts: (Double, Int, Int?) -> Bool) -> (text: String, code: String)? {
        var parts: [String] = []
        var kinds: [LikelyTypo] = []
        for k in entries {
            let targets = [truth[k]] + (carried.map { [$0.entries[k].mid] } ?? [])
            guard let (typo, intended) = LikelyTypo.find(a.literals[k], accepts: { accepts($0, k, $1) }, targets: targets) else { return nil }
            kinds.append(typo)
            parts.append((a.literals.count > 1 ? "entry \(k) " : "") + "\(a.literals[k]) for \(intended) (\(typo.rawValue))")
        }
        guard !parts.isEmpty else { return nil }
        return ("likely typo: " + parts.joined(separator: "; "), "typo_" + kinds[0].codeName)
    }

    /// The first classic mistake whose value reproduces every entry the student gave, and
    /// differs from the true value: computed from the quantity's own equation, never guessed.
    static func diagnose(_ a: Answer, quantity q: Quantity, replay: Recomputation, report: Report,
                         matchesAll: ([Double]) -> Bool) -> (text: String, code: String)? {
        let truth = q.value.numbers
        if let e = q.equation {
            for m in e.mistakes {
                // From the student's own operands, and from the true ones.
                for own in [true, false] {
                    guard let v = own ? replay.evaluate(m.rhs)?.value : replay.evaluateTrue(m.rhs) else { continue }
                    if matchesAll(v.numbers) && !matchesAll(truth) { return (m.description, m.code) }
                }
            }
        }
        let negated = truth.map { -$0 }
        if truth.contains(where: { $0 != 0 }), isGradient(q.name), matchesAll(negated) {
            return ("sign of the loss derivative flipped (matches −\(q.label))", "loss_sign")
        }
        // The same quantity at a neighbouring timestep.
        if let t = q.name.t {
            for (dt, name) in [(-1, "t−1"), (1, "t+1")] {
                if let other = report.quantity(q.name.at(t + dt)), other.value.numbers.count == truth.count,
                   matchesAll(other.value.numbers) {
                    return ("matches the value at \(name) (\(other.label))", "neighbour_timestep")
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
        let givenTexts = lines.map(\.answer.givenText)
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
                if line.truth.count > 1 && !entries.isEmpty {
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
    /// The student's answers as the intervals their written digits allow.
    var intervals: [QuantityName: IntervalValue]
    var answers: [QuantityName: Answer]
    /// The equations of values recomputed from the student's numbers where not given.
    var hidden: [QuantityName: Equation]

    init(context: AnswerCheck.Context, given answers: [QuantityName: Answer]) {
        report = context.report
        self.answers = answers
        var given: [QuantityName: Value] = [:]
        var intervals: [QuantityName: IntervalValue] = [:]
        for (name, a) in answers {
            guard let q = context.quantities[name]?.value else { continue }
            let v = q.replacingNumbers(a.numbers)
            given[name] = v
            let entries = a.literals.indices.map { k in Interval(a.numbers[k], radius: context.rules.radius(decimals: Answer.decimals(of: a.literals[k]))) }
            intervals[name] = IntervalValue(shape: v, entries: entries)
        }
        self.given = given
        self.intervals = intervals
        hidden = context.hidden
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

    /// The enclosure of every value the equation takes for the student's numbers anywhere
    /// within their written digits, and the answers it read; nil when it reads none.
    func evaluateIntervals(_ rhs: Expr) -> (value: IntervalValue, used: [QuantityName])? {
        var used: [QuantityName] = []
        func lookup(_ name: QuantityName) -> IntervalValue? {
            if let g = intervals[name] {
                if !used.contains(name) { used.append(name) }
                return g
            }
            if let e = hidden[name] { return try? e.rhs.evaluateIntervals(lookup) }
            return report.values?[name].map { IntervalValue(point: $0) }
        }
        guard let v = try? rhs.evaluateIntervals(lookup), !used.isEmpty else { return nil }
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

    /// The student's operands that change the result and are not the true value rounded to
    /// the digits they wrote (their slips), as `δout_0 = 0.01083`; if every one is, all of them.
    func namedOperands(_ used: [QuantityName], in rhs: Expr, quantities: [QuantityName: Quantity]) -> [String] {
        guard let value = evaluate(rhs)?.value else { return [] }
        var slips: [String] = []
        var named: [String] = []
        for name in used {
            guard let ans = answers[name], matters(name, in: rhs, result: value) else { continue }
            named.append("\(ans.label) = \(ans.givenText)")
            let truth = quantities[name]?.value.numbers ?? []
            let slipped = ans.literals.indices.contains { k in
                let d = Answer.decimals(of: ans.literals[k]) ?? 0
                return abs(Value.scalar(truth[k]).rounded(decimals: d).numbers[0] - ans.numbers[k]) > WrittenNumber.tolerance(decimals: d + 3)
            }
            if slipped { slips.append(named.last!) }
        }
        var from = slips.isEmpty ? named : slips
        if from.count > 4 { from = Array(from.prefix(4)) + ["…"] }
        return from
    }
}
