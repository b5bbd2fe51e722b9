/// Formats a report with its work: every quantity that carries its equation as
/// `label = equation in symbols = equation with the numbers = result`, in the published
/// solution's style. Text, or a Markdown or LaTeX document (math in `$…$`, matrices as bmatrix).
/// Renderers only format: the equations and their values come with the quantities.
public struct WorkRenderer: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, latex
    }

    public var format: Format
    public var decimals: Int

    public init(format: Format, decimals: Int = 5) {
        self.format = format
        self.decimals = decimals
    }

    /// The header line that says how to read the work: the operands are printed rounded, so a
    /// printed sum need not add up at the printed precision.
    public var precisionNote: String {
        "work: numbers in the equations are rounded to \(decimals) decimal\(decimals == 1 ? "" : "s") for display; every result is computed from the unrounded values"
    }

    public func render(_ report: Report, title: String = "lstm-grad", into out: inout OutputBuffer) {
        let header = report.header + [precisionNote]
        switch format {
        case .text:
            for line in header { out.write(line + "\n") }
        case .markdown:
            out.write("# \(title)\n\n")
            for line in header { out.write("- " + line + "\n") }
        case .latex:
            out.write("\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage[margin=2cm]{geometry}\n\\begin{document}\n")
            out.write("\\section*{\(latexText(title))}\n\\begin{itemize}\n")
            for line in header { out.write("  \\item " + latexText(line) + "\n") }
            out.write("\\end{itemize}\n")
        }
        for section in report.sections {
            switch format {
            case .text: out.write("\n" + section.title + "\n")
            case .markdown: out.write("\n## " + section.title + "\n\n")
            case .latex: out.write("\n\\subsection*{" + latexText(section.title) + "}\n\n")
            }
            for q in section.quantities {
                switch format {
                case .text:
                    out.write("  " + line(q, in: report))
                    if let n = note(q) { out.write("   (" + n + ")") }
                    out.write("\n")
                case .markdown, .latex:
                    out.write("$" + line(q, in: report) + "$")
                    if let n = note(q) { out.write(" (" + (format == .latex ? latexText(n) : n) + ")") }
                    out.write(format == .latex ? "\n\n" : "\n\n")
                }
            }
        }
        if !report.notes.isEmpty {
            out.write("\n")
            for n in report.notes { out.write((format == .latex ? latexText("note: " + n) : "note: " + n) + "\n\n") }
        }
        if format == .latex { out.write("\\end{document}\n") }
    }

    public func render(_ report: Report, title: String = "lstm-grad") -> String {
        var b = OutputBuffer()
        render(report, title: title, into: &b)
        return b.text
    }

    /// A note that only restates the equation the work already prints is left out.
    func note(_ q: Quantity) -> String? {
        guard let n = q.note else { return nil }
        if q.equation != nil, n.hasPrefix("= ") {
            guard let colon = n.firstIndex(of: ":") else { return nil }
            return String(n[n.index(after: colon)...].drop(while: { $0 == " " }))
        }
        return n
    }

    /// `label = symbols = numbers = result`, or `label = result` without work.
    func line(_ q: Quantity, in report: Report) -> String {
        var parts = [label(q.label)]
        if let e = q.equation, let values = report.values {
            parts.append(e.rhs.rendered(leaf: { label(report.notation.label($0)) }, text: symbols))
            parts.append(e.rhs.rendered(leaf: { value(values.value($0), trimmed: true) }, text: symbols))
        }
        parts.append(value(q.value, trimmed: false))
        return parts.joined(separator: " = ")
    }

    // MARK: formatting

    func number(_ x: Double, trimmed: Bool) -> String {
        var b = OutputBuffer()
        b.writeFixed(x, decimals: decimals)
        var s = b.text
        if trimmed, s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
            if s == "-0" { s = "0" }
        }
        return s
    }

    /// Scalars bare; text: vectors `[1 2]`, matrices `[1 2; 3 4]`; LaTeX: vectors as columns,
    /// matrices as bmatrix.
    func value(_ v: Value, trimmed: Bool) -> String {
        let m: Matrix
        switch v {
        case .scalar(let x): return number(x, trimmed: trimmed)
        case .vector(let vec):
            if vec.count == 1 { return number(vec[0], trimmed: trimmed) }
            if format == .text { return "[" + vec.values.map { number($0, trimmed: trimmed) }.joined(separator: " ") + "]" }
            m = Matrix(rows: vec.count, cols: 1, values: vec.values)
        case .matrix(let mat):
            if mat.values.count == 1 { return number(mat.values[0], trimmed: trimmed) }
            m = mat
        }
        let rows = m.rowArrays.map { $0.map { number($0, trimmed: trimmed) } }
        if format == .text { return "[" + rows.map { $0.joined(separator: " ") }.joined(separator: "; ") + "]" }
        return "\\begin{bmatrix} " + rows.map { $0.joined(separator: " & ") }.joined(separator: " \\\\ ") + " \\end{bmatrix}"
    }

    /// A label in math: `δstate_0` → `\delta state_{0}`, `out_-1` → `out_{-1}`.
    func label(_ s: String) -> String {
        guard format != .text else { return s }
        if s.contains(" ") { return "\\text{" + latexText(s) + "}" }
        func base(_ b: String) -> String {
            guard let caret = b.firstIndex(of: "^") else { return symbols(b) }
            return symbols(String(b[..<caret])) + "^{" + symbols(String(b[b.index(after: caret)...])) + "}"
        }
        guard let us = s.firstIndex(of: "_") else { return base(s) }
        return base(String(s[..<us])) + "_{" + symbols(String(s[s.index(after: us)...])) + "}"
    }

    static let mathSymbols: [Character: String] = [
        "σ": "\\sigma ", "⊙": "\\odot ", "·": "\\cdot ", "⊗": "\\otimes ", "−": "-", "ᵀ": "^T", "²": "^2",
        "λ": "\\lambda ", "δ": "\\delta ", "Δ": "\\Delta ", "′": "'", "Σ": "\\Sigma ", "θ": "\\theta ", "∂": "\\partial ", "∇": "\\nabla ",
    ]

    /// Operators and Greek letters of an equation in math mode.
    func symbols(_ s: String) -> String {
        guard format != .text else { return s }
        var out = ""
        var rest = Substring(s)
        while let c = rest.first {
            if rest.hasPrefix("tanh") {
                out += "\\tanh "
                rest = rest.dropFirst(4)
                continue
            }
            out += Self.mathSymbols[c] ?? String(c)
            rest = rest.dropFirst()
        }
        return out
    }

    static let textSymbols: [Character: String] = [
        "θ": "$\\theta$", "←": "$\\leftarrow$", "−": "-", "λ": "$\\lambda$", "δ": "$\\delta$", "Δ": "$\\Delta$",
        "Σ": "$\\Sigma$", "½": "$\\frac{1}{2}$", "‖": "$\\|$", "²": "$^2$", "·": "$\\cdot$", "∇": "$\\nabla$",
        "⊙": "$\\odot$", "σ": "$\\sigma$", "ŷ": "$\\hat{y}$", "×": "$\\times$", "…": "\\ldots{}",
        "_": "\\_", "#": "\\#", "%": "\\%", "&": "\\&", "{": "\\{", "}": "\\}", "$": "\\$", "^": "\\^{}",
        "~": "\\~{}", "\\": "\\textbackslash{}",
    ]

    /// Running text in LaTeX: specials escaped, math symbols in `$…$`.
    func latexText(_ s: String) -> String {
        // Adjacent math groups merge (`$a$$b$` would open display math).
        s.map { Self.textSymbols[$0] ?? String($0) }.joined().replacing("$$", with: "")
    }
}
