/// Formats a report as aligned text: one quantity per line, label column, fixed decimals.
public struct TextRenderer: Sendable {
    public var decimals: Int
    /// ANSI colour on the header lines and section titles (for a terminal).
    public var color: Bool = false
    /// Wrap matrices and vectors wider than this many columns; nil never wraps.
    public var width: Int? = nil

    public init(decimals: Int = 5) { self.decimals = decimals }

    public init(decimals: Int = 5, color: Bool, width: Int?) {
        self.decimals = decimals
        self.color = color
        self.width = width
    }

    /// Writes `s` in a style when colour is on.
    func styled(_ s: String, _ style: TerminalStyle, into out: inout OutputBuffer) {
        out.write(s, style: style, color: color)
    }

    public func render(_ report: Report, into out: inout OutputBuffer) {
        for line in report.header {
            styled(line, .header, into: &out)
            out.newline()
        }
        for section in report.sections {
            out.newline()
            styled(section.title, .section, into: &out)
            out.newline()
            let width = section.quantities.map { displayWidth($0.label) }.max() ?? 0
            for q in section.quantities {
                out.spaces(2)
                out.write(q.label)
                out.spaces(width - displayWidth(q.label))
                out.write(" = ")
                writeValue(q.value, indent: 2 + width + 3, note: q.note, into: &out)
            }
        }
        if !report.notes.isEmpty {
            out.newline()
            for note in report.notes {
                out.write("note: ")
                out.write(note)
                out.newline()
            }
        }
    }

    public func render(_ report: Report) -> String {
        var b = OutputBuffer()
        render(report, into: &b)
        return b.text
    }

    /// A scalar or 1-vector prints bare (as homework writes it); a vector as one bracketed row;
    /// a matrix one bracketed row per line, columns aligned.
    func writeValue(_ value: Value, indent: Int, note: String?, into out: inout OutputBuffer) {
        func finish(_ first: Bool) {
            if first, let n = note {
                out.write("   (")
                out.write(n)
                out.write(")")
            }
            out.newline()
        }
        switch value {
        case .scalar(let x):
            out.writeFixed(x, decimals: decimals)
            finish(true)
        case .vector(let v) where v.count == 1:
            out.writeFixed(v[0], decimals: decimals)
            finish(true)
        case .matrix(let m) where m.rows == 1 && m.cols == 1:
            out.writeFixed(m.values[0], decimals: decimals)
            finish(true)
        case .vector(let v):
            let w = v.values.map { OutputBuffer.fixedWidth($0, decimals: decimals) }.max() ?? 0
            if let n = columnsThatFit(v.count, width: w, indent: indent) {
                writeWrappedRow(v.values, width: w, perLine: n, indent: indent, into: &out)
                finish(true)
                return
            }
            writeRow(v.values, width: w, into: &out)
            finish(true)
        case .matrix(let m):
            let w = m.values.map { OutputBuffer.fixedWidth($0, decimals: decimals) }.max() ?? 0
            if let n = columnsThatFit(m.cols, width: w, indent: indent), m.rows > 0 {
                writeColumnBlocks(m, width: w, perLine: n, indent: indent, note: note, into: &out)
                return
            }
            if m.rows == 0 {
                out.write("[]")
                finish(true)
            }
            for r in 0..<m.rows {
                if r > 0 { out.spaces(indent) }
                writeRow(m.row(r), width: w, into: &out)
                finish(r == 0)
            }
        }
    }

    /// How many columns of `width` fit on a line after `indent`, when the whole row does not
    /// fit in `self.width`; nil when it fits (or wrapping is off).
    func columnsThatFit(_ count: Int, width w: Int, indent: Int) -> Int? {
        guard let limit = width else { return nil }
        // "[" + count × (2 + w) − 1 + " ]"
        let full = indent + 1 + count * (w + 2) - 1 + 2
        guard full > limit else { return nil }
        return max(1, (limit - indent - 3) / (w + 2))
    }

    /// A vector too wide for the line: `perLine` entries a line, continuation lines indented
    /// under the first entry.
    func writeWrappedRow(_ xs: [Double], width: Int, perLine: Int, indent: Int, into out: inout OutputBuffer) {
        out.write("[")
        for (k, x) in xs.enumerated() {
            if k > 0 && k % perLine == 0 {
                out.newline()
                out.spaces(indent + 1)
            }
            out.spaces((k % perLine == 0 ? 1 : 2) + width - OutputBuffer.fixedWidth(x, decimals: decimals))
            out.writeFixed(x, decimals: decimals)
        }
        out.write(" ]")
    }

    /// A matrix too wide for the line, as blocks of columns: "columns j–k of n" then its rows.
    func writeColumnBlocks(_ m: Matrix, width: Int, perLine: Int, indent: Int, note: String?, into out: inout OutputBuffer) {
        var first = true
        for start in stride(from: 0, to: m.cols, by: perLine) {
            let end = min(start + perLine, m.cols)
            if !first { out.spaces(indent) }
            out.write("columns \(start)–\(end - 1) of \(m.cols)")
            if first, let n = note {
                out.write("   (")
                out.write(n)
                out.write(")")
            }
            first = false
            out.newline()
            for r in 0..<m.rows {
                out.spaces(indent)
                writeRow(Array(m.row(r)[start..<end]), width: width, into: &out)
                out.newline()
            }
        }
    }

    func writeRow(_ xs: [Double], width: Int, into out: inout OutputBuffer) {
        out.write("[")
        for (k, x) in xs.enumerated() {
            out.spaces((k == 0 ? 1 : 2) + width - OutputBuffer.fixedWidth(x, decimals: decimals))
            out.writeFixed(x, decimals: decimals)
        }
        out.write(" ]")
    }
}

/// Formats a report as JSON: every quantity by its canonical name at full precision (shortest
/// round-trip form). Scalars are numbers, vectors arrays, matrices arrays of rows.
public struct JSONRenderer: Sendable {
    public init() {}

    public func render(_ report: Report, model: String, notation: String, into out: inout OutputBuffer) {
        out.write("{\n  \"model\": ")
        writeString(model, into: &out)
        out.write(",\n  \"notation\": ")
        writeString(notation, into: &out)
        out.write(",\n  \"header\": [")
        for (k, line) in report.header.enumerated() {
            out.write(k == 0 ? "\n    " : ",\n    ")
            writeString(line, into: &out)
        }
        out.write("\n  ],\n  \"quantities\": {")
        for (k, q) in report.uniqueQuantities.enumerated() {
            out.write(k == 0 ? "\n    " : ",\n    ")
            writeString(q.key, into: &out)
            out.write(": ")
            writeValue(q.value, into: &out)
        }
        out.write("\n  }")
        if !report.notes.isEmpty {
            out.write(",\n  \"notes\": [")
            for (k, n) in report.notes.enumerated() {
                out.write(k == 0 ? "\n    " : ",\n    ")
                writeString(n, into: &out)
            }
            out.write("\n  ]")
        }
        out.write("\n}\n")
    }

    public func render(_ report: Report, model: String, notation: String) -> String {
        var b = OutputBuffer()
        render(report, model: model, notation: notation, into: &b)
        return b.text
    }

    func writeValue(_ value: Value, into out: inout OutputBuffer) {
        switch value {
        case .scalar(let x):
            out.writeShortest(x)
        case .vector(let v):
            writeArray(v.values, into: &out)
        case .matrix(let m):
            out.write("[")
            for r in 0..<m.rows {
                if r > 0 { out.write(", ") }
                writeArray(m.row(r), into: &out)
            }
            out.write("]")
        }
    }

    func writeArray(_ xs: [Double], into out: inout OutputBuffer) {
        out.write("[")
        for (k, x) in xs.enumerated() {
            if k > 0 { out.write(", ") }
            out.writeShortest(x)
        }
        out.write("]")
    }
}

/// A JSON string literal with the required escapes.
public func writeString(_ s: String, into out: inout OutputBuffer) {
    out.byte(UInt8(ascii: "\""))
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "\""): out.write("\\\"")
        case UInt8(ascii: "\\"): out.write("\\\\")
        case 0x0A: out.write("\\n")
        case 0x0D: out.write("\\r")
        case 0x09: out.write("\\t")
        case 0..<0x20:
            out.write("\\u00")
            let hex = Array("0123456789abcdef".utf8)
            out.byte(hex[Int(b >> 4)])
            out.byte(hex[Int(b & 15)])
        default: out.byte(b)
        }
    }
    out.byte(UInt8(ascii: "\""))
}

/// Columns a label takes in a terminal: combining marks (the tilde of C̃, the hat of â) take none.
func displayWidth(_ s: String) -> Int {
    s.unicodeScalars.filter { !(0x0300...0x036F).contains($0.value) }.count
}
