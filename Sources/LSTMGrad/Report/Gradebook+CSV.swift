/// `check --format csv` (one row per item of every file) and `--format gradebook` (one row per
/// file, a column per expected answer with the points it earned; empty when missing).
extension Gradebook {
    func renderItemsCSV(into out: inout OutputBuffer) {
        out.write("file,name,label,given,expected,status,diagnosis_code,diagnosis,points,max_points\n")
        for s in submissions {
            if let f = s.failure {
                row(&out, [s.file, "", "", "", "", "not_graded", "unreadable", f, "0", "0"])
                continue
            }
            for item in s.items {
                var expected = OutputBuffer()
                for (k, x) in item.expected.enumerated() {
                    if k > 0 { expected.write(" ") }
                    expected.writeShortest(x)
                }
                row(&out, [s.file, item.name, item.label, item.given.joined(separator: " "), expected.text, item.status,
                           item.diagnosisCode ?? "", item.diagnosis ?? "", Self.pointsText(item.points), Self.pointsText(item.maxPoints)])
            }
        }
    }

    func renderGradebookCSV(into out: inout OutputBuffer) {
        row(&out, ["file", "score", "max_score", "correct", "wrong", "carried", "missing", "unknown", "error"] + expected.map(\.key))
        for s in submissions {
            var earned: [QuantityName: Double] = [:]
            for (line, p) in zip(s.check.lines, s.earned) { earned[line.answer.name] = p }
            row(&out, [s.file, Self.pointsText(s.score), Self.pointsText(s.maxScore), String(s.correct), String(s.wrong),
                       String(s.carried), String(s.missing.count), String(s.unknown), s.failure ?? ""]
                + expected.map { q in earned[q.name].map(Self.pointsText) ?? "" })
        }
    }

    private func row(_ out: inout OutputBuffer, _ fields: [String]) {
        for (k, f) in fields.enumerated() {
            if k > 0 { out.write(",") }
            CSVField.write(f, into: &out)
        }
        out.newline()
    }
}
