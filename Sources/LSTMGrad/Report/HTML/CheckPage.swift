/// `check --format html`: the graded answers as a page a TA can hand back. Each answer with ✓
/// or ✗ (symbols, not only colours), the number as written, the true value, the verdict and
/// its diagnosis, and the equation that produces the quantity with the numbers substituted.
public struct CheckPage: Sendable {
    public init() {}

    public func render(_ check: AnswerCheck, report: Report, title: String, into out: inout OutputBuffer) {
        let math = MathML(decimals: 5, notation: report.notation)
        HTMLPage.open(title: title, header: report.header, navigation: [], into: &out)
        out.write("<section id=\"answers\">\n<h2>Answers</h2>\n")
        out.write("<p class=\"summary\">" + HTMLText.escape(summary(check)) + "</p>\n")
        out.write("<table class=\"answers\">\n<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">verdict</span></th><th scope=\"col\">quantity</th><th scope=\"col\">answer</th><th scope=\"col\">true value</th><th scope=\"col\">verdict</th><th scope=\"col\">equation</th></tr></thead>\n<tbody>\n")
        for line in check.lines {
            let ok = line.verdict.isCorrect
            let number = WorkRenderer(format: .text, decimals: line.decimals)
            let written = line.answer.literals.count == 1 ? line.answer.literals[0] : "[" + line.answer.literals.joined(separator: ", ") + "]"
            let truth = line.truth.count == 1 ? number.number(line.truth[0], trimmed: false)
                                              : "[" + line.truth.map { number.number($0, trimmed: false) }.joined(separator: ", ") + "]"
            out.write("<tr class=\"\(ok ? "correct" : "wrong")\" data-key=\"\(HTMLText.escape(line.answer.name.description))\">")
            out.write("<td class=\"mark \(ok ? "good" : "bad")\" aria-label=\"\(ok ? "correct" : "wrong")\">\(ok ? "✓" : "✗")</td>")
            out.write("<td>" + MathML.math(math.label(line.answer.label)) + "</td>")
            out.write("<td><code>" + HTMLText.escape(written) + "</code></td><td><code>" + HTMLText.escape(truth) + "</code></td>")
            out.write("<td class=\"verdict\">" + HTMLText.escape(verdict(line)) + "</td><td><div class=\"scroll\">")
            if let q = report.quantity(line.answer.name), let e = q.equation, let values = report.values {
                out.write(MathML.math(math.label(q.label) + "<mo>=</mo>" + math.expression(e.rhs, values: values, numbers: false) + "<mo>=</mo>"
                                      + math.expression(e.rhs, values: values, numbers: true) + "<mo>=</mo>" + math.value(q.value, trimmed: false)))
            }
            out.write("</div></td></tr>\n")
        }
        out.write("</tbody>\n</table>\n</section>\n")
        HTMLPage.close(into: &out)
    }

    /// What the text report writes after the true value, in words.
    func verdict(_ line: AnswerCheck.Line) -> String {
        switch line.verdict {
        case .correct: return "correct"
        case .carriedForward(let from): return "✓ carried forward" + (from.isEmpty ? "" : " (from " + from.joined(separator: ", ") + ")")
        case .rounding: return "✓ rounding"
        case .wrong(let entries, let diagnosis):
            var s = "wrong"
            if line.truth.count > 1 { s += ": entr\(entries.count == 1 ? "y" : "ies") " + entries.map(String.init).joined(separator: ", ") }
            if let d = diagnosis { s += "; likely: " + d }
            return s
        }
    }

    /// `N correct, M wrong (K carried forward, J by rounding)`.
    func summary(_ check: AnswerCheck) -> String {
        let carried = check.lines.filter { if case .carriedForward = $0.verdict { return true } else { return false } }.count
        let rounding = check.lines.filter { $0.verdict == .rounding }.count
        var extra: [String] = []
        if carried > 0 { extra.append("\(carried) carried forward") }
        if rounding > 0 { extra.append("\(rounding) by rounding") }
        return "\(check.correct) correct, \(check.wrong) wrong" + (extra.isEmpty ? "" : " (" + extra.joined(separator: ", ") + ")")
    }
}
