/// `check --format gradescope`: the results.json Gradescope's autograder reads, for one
/// submission: a top-level `score` (and `max_score`, `output`, `visibility`,
/// `stdout_visibility`) and `tests`, one per expected answer, each with `name`, `score`,
/// `max_score`, `output` and `visibility`.
extension Gradebook {
    func renderGradescope(into out: inout OutputBuffer) {
        guard let s = submissions.first else {
            out.write("{\"score\": 0, \"tests\": []}\n")
            return
        }
        out.write("{\n  \"score\": ")
        out.writeShortest(s.score)
        out.write(",\n  \"max_score\": ")
        out.writeShortest(s.maxScore)
        out.write(",\n  \"output\": ")
        var summary = "\(s.correct) correct, \(s.wrong) wrong, \(s.carried) carried forward, \(s.missing.count) missing"
        if let f = s.failure { summary = "not graded: " + f }
        for p in s.problems { summary += "\n" + p.description }
        writeString(summary, into: &out)
        out.write(",\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n  \"tests\": [")
        var first = true
        for item in s.items where item.status != "unknown" {
            out.write(first ? "\n" : ",\n")
            first = false
            out.write("    {\"name\": ")
            writeString(item.label, into: &out)
            out.write(", \"score\": ")
            out.writeShortest(item.points)
            out.write(", \"max_score\": ")
            out.writeShortest(item.maxPoints)
            out.write(", \"output\": ")
            var text = item.status == "missing" ? "missing" : "given " + bracketed(item.given) + ", expected " + bracketed(item.expected.map(Self.fixed)) + ": " + String(item.status.map { $0 == "_" ? " " : $0 })
            if let d = item.diagnosis, item.status != "missing" { text += " (" + d + ")" }
            writeString(text, into: &out)
            out.write(", \"visibility\": \"visible\"}")
        }
        out.write("\n  ]\n}\n")
    }

    private func bracketed(_ xs: [String]) -> String { xs.count == 1 ? xs[0] : "[" + xs.joined(separator: ", ") + "]" }

    static func fixed(_ x: Double) -> String {
        var b = OutputBuffer()
        b.writeFixed(x, decimals: 5)
        return b.text
    }
}
