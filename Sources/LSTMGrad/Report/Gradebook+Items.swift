/// Every item of a submission as the machine-readable formats list it: the graded answers,
/// then the expected ones it lacks, then the names it could not grade.
extension Gradebook.Submission {
    public struct Item: Sendable {
        /// The canonical key (the name as written for an unknown one) and the label.
        public var name: String
        public var label: String
        /// The numbers as written (empty when missing or unknown) and the true ones.
        public var given: [String]
        public var expected: [Double]
        /// `correct`, `carried_forward`, `rounding`, `wrong`, `missing` or `unknown`.
        public var status: String
        public var diagnosis: String?
        public var diagnosisCode: String?
        public var points: Double
        public var maxPoints: Double
    }

    public var items: [Item] {
        var out: [Item] = []
        for (k, line) in check.lines.enumerated() {
            out.append(Item(name: line.answer.name.description, label: line.answer.label, given: line.answer.literals,
                            expected: line.truth, status: line.status, diagnosis: line.verdict.diagnosis,
                            diagnosisCode: line.diagnosisCode.map { (line.diagnosisKind.map { $0.rawValue + ":" } ?? "") + $0 },
                            points: earned[k], maxPoints: possible[k]))
        }
        for (q, p) in zip(missing, missingPoints) {
            out.append(Item(name: q.key, label: q.label, given: [], expected: q.value.numbers, status: "missing",
                            diagnosis: nil, diagnosisCode: nil, points: 0, maxPoints: p))
        }
        for d in problems {
            // The item's key: the last key of the path (`x` of `x[0]`, of `quantities.x`).
            let name = d.path?.components.compactMap { c -> String? in
                if case .key(let k) = c { return k }
                return nil
            }.last ?? ""
            out.append(Item(name: name, label: name, given: [], expected: [], status: "unknown",
                            diagnosis: d.description, diagnosisCode: "unknown", points: 0, maxPoints: 0))
        }
        return out
    }
}

extension AnswerCheck.Verdict {
    /// What the line says after the value: the diagnosis of a wrong answer, or where a carried
    /// forward answer comes from.
    public var diagnosis: String? {
        switch self {
        case .correct: return nil
        case .rounding: return "rounding"
        case .carriedForward(let from): return from.isEmpty ? "carried forward" : "carried forward from " + from.joined(separator: ", ")
        case .wrong(_, let d): return d
        }
    }
}

extension Gradebook {
    /// Points as a person writes them: `13`, `2.5`.
    static func pointsText(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
    }
}
