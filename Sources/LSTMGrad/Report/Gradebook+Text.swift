/// `check --format text`: the per-answer lines of each file (one file, or `--detail`), then for
/// many files a summary row per file:
///
///     file      correct  wrong  carried  missing  unknown  score
///     a.json         40      1        5        0        0  45/46
extension Gradebook {
    func renderText(detail: Bool, color: Bool, into out: inout OutputBuffer) {
        let many = submissions.count > 1
        for s in submissions where detail || !many {
            if many {
                out.write("== \(s.file)")
                out.newline()
            }
            if let failure = s.failure {
                out.write("not graded: " + failure)
                out.newline()
            } else {
                s.check.render(into: &out, color: color)
                if !s.missing.isEmpty {
                    out.write("missing: " + s.missing.map(\.label).joined(separator: ", "))
                    out.newline()
                }
                if !s.problems.isEmpty {
                    out.write("not graded: \(s.problems.count) item\(s.problems.count == 1 ? "" : "s") (see the errors)")
                    out.newline()
                }
            }
            if many { out.newline() }
        }
        guard many else { return }
        let header = ["correct", "wrong", "carried", "missing", "unknown", "score"]
        let width = max(4, submissions.map { $0.file.unicodeScalars.count }.max() ?? 0)
        out.write("file".padded(width))
        for h in header { out.write("  " + h) }
        out.newline()
        for s in submissions {
            out.write(s.file.padded(width))
            if let failure = s.failure {
                out.write("  not graded: " + (failure.split(separator: "\n").first.map(String.init) ?? failure))
                out.newline()
                continue
            }
            let cells = [String(s.correct), String(s.wrong), String(s.carried), String(s.missing.count), String(s.unknown),
                         Self.pointsText(s.score) + "/" + Self.pointsText(s.maxScore)]
            for (h, c) in zip(header, cells) {
                out.write("  " + c.leftPadded(h.count))
            }
            out.newline()
        }
        let right = submissions.filter(\.allRight).count
        out.write("\(submissions.count) files, \(right) all right")
        out.newline()
    }
}
