/// `check --format json`: every file with its counts, score and items.
///
///     {"files": [{"file": "a.json", "error": null, "correct": 40, "wrong": 1, "carried": 5,
///       "missing": 0, "unknown": 0, "score": 45, "max_score": 46,
///       "items": [{"name": "delta_out[0]", "label": "δout_0", "given": [0.01083],
///                  "expected": [0.018…], "status": "wrong", "diagnosis": null,
///                  "diagnosis_code": null, "points": 0, "max_points": 1}, …]}, …]}
extension Gradebook {
    func renderJSON(into out: inout OutputBuffer) {
        out.write("{\n  \"files\": [")
        for (k, s) in submissions.enumerated() {
            out.write(k == 0 ? "\n" : ",\n")
            out.write("    {\"file\": ")
            writeString(s.file, into: &out)
            out.write(", \"error\": ")
            if let f = s.failure { writeString(f, into: &out) } else { out.write("null") }
            for (key, n) in [("correct", s.correct), ("wrong", s.wrong), ("carried", s.carried), ("missing", s.missing.count), ("unknown", s.unknown)] {
                out.write(", \"\(key)\": \(n)")
            }
            out.write(", \"score\": ")
            out.writeShortest(s.score)
            out.write(", \"max_score\": ")
            out.writeShortest(s.maxScore)
            out.write(",\n     \"items\": [")
            for (j, item) in s.items.enumerated() {
                out.write(j == 0 ? "\n" : ",\n")
                out.write("      {\"name\": ")
                writeString(item.name, into: &out)
                out.write(", \"label\": ")
                writeString(item.label, into: &out)
                // The numbers as the student wrote them: each literal is a JSON number.
                out.write(", \"given\": " + (item.status == "missing" || item.status == "unknown" ? "null" : "[" + item.given.joined(separator: ", ") + "]"))
                out.write(", \"expected\": [")
                for (i, x) in item.expected.enumerated() {
                    if i > 0 { out.write(", ") }
                    out.writeShortest(x)
                }
                out.write("], \"status\": ")
                writeString(item.status, into: &out)
                out.write(", \"diagnosis\": ")
                if let d = item.diagnosis { writeString(d, into: &out) } else { out.write("null") }
                out.write(", \"diagnosis_code\": ")
                if let c = item.diagnosisCode { writeString(c, into: &out) } else { out.write("null") }
                out.write(", \"points\": ")
                out.writeShortest(item.points)
                out.write(", \"max_points\": ")
                out.writeShortest(item.maxPoints)
                out.write("}")
            }
            out.write(s.items.isEmpty ? "]}" : "\n     ]}")
        }
        out.write(submissions.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
    }
}
