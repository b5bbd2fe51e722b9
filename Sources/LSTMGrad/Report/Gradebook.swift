/// Many answers files graded against one report (`check SPEC FILE... | DIR`): per submission the
/// graded lines, the items that could not be graded (an unknown name: reported, the others
/// graded), the expected answers it lacks, and the points the rubric gives.
public struct Gradebook: Sendable {
    /// One answers file as read: its bytes, or why it could not be read.
    public enum Input: Sendable {
        case bytes(name: String, [UInt8])
        case unreadable(name: String, message: String)
    }

    public struct Submission: Sendable {
        /// The file as named on the command line (`<stdin>` for `-`).
        public var file: String
        public var check: AnswerCheck
        /// Items that were not graded: an unknown or duplicate name, a value of the wrong type.
        public var problems: [Diagnostic]
        /// Problems past the limit of those shown (counted among the unknown).
        public var omittedProblems: Int
        /// Why the whole file could not be graded (not JSON, not an object, unreadable).
        public var failure: String?
        /// Expected answers the file does not give.
        public var missing: [Quantity]
        /// Points of each line of `check`, earned and possible.
        public var earned: [Double]
        public var possible: [Double]
        /// Points possible for each missing answer.
        public var missingPoints: [Double]

        public var score: Double { earned.reduce(0, +) }
        public var maxScore: Double { possible.reduce(0, +) + missingPoints.reduce(0, +) }
        /// Right outright (within the digits, or by hand rounding).
        public var correct: Int { check.lines.filter { $0.verdict == .correct || $0.verdict == .rounding }.count }
        public var carried: Int { check.carried }
        public var wrong: Int { check.wrong }
        public var unknown: Int { problems.count + omittedProblems }
        /// Nothing wrong, missing or unreadable.
        public var allRight: Bool { failure == nil && wrong == 0 && missing.isEmpty && problems.isEmpty }
    }

    public var submissions: [Submission]
    /// The answers every submission is expected to give: those any of them gives, and those
    /// the rubric names one by one, in the report's order.
    public var expected: [Quantity]
    public var rules: GradingRules

    public var allRight: Bool { submissions.allSatisfy(\.allRight) }

    public init(_ inputs: [Input], report: Report, notation: Notation, rules: GradingRules, rubric: Rubric? = nil) {
        self.rules = rules
        let rubric = rubric ?? .equal(report: report)
        var names = AnswerNames(report.answerable, notation: notation, layoutBlocks: report.layoutBlocks)
        var read: [(file: String, contents: AnswerSheet.Contents?, failure: String?)] = []
        for input in inputs {
            switch input {
            case .unreadable(let name, let message):
                read.append((name, nil, message))
            case .bytes(let name, let bytes):
                do {
                    read.append((name, try AnswerSheet.read(SourceText(name: name, bytes: bytes), names: &names), nil))
                } catch {
                    read.append((name, nil, error.description))
                }
            }
        }
        var wanted = Set(rubric.named(in: report))
        for r in read { for a in r.contents?.answers ?? [] { wanted.insert(a.name) } }
        let expected = report.answerable.filter { wanted.contains($0.name) }
        self.expected = expected
        let replayed = AnswerCheck.Context(report: report, rules: rules)
        submissions = read.map { r in
            let answers = r.contents?.answers ?? []
            let check = AnswerCheck(answers: answers, context: replayed)
            let given = Set(answers.map(\.name))
            let missing = expected.filter { !given.contains($0.name) }
            let possible = check.lines.map { rubric.points(for: $0.answer.name) }
            let earned = zip(check.lines, possible).map { $0.verdict.isCorrect ? $1 : 0 }
            return Submission(file: r.file, check: check, problems: r.contents?.problems ?? [],
                              omittedProblems: r.contents?.omitted ?? 0, failure: r.failure,
                              missing: missing, earned: earned, possible: possible,
                              missingPoints: missing.map { rubric.points(for: $0.name) })
        }
    }
}
