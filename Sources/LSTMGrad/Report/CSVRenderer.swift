/// Formats a report as CSV for spreadsheets: a header `name,timestep,index,value`, then one row
/// per number of every quantity (each canonical key once). `name` is the canonical key without
/// its timestep (`delta_state`, `dW.a`, `W.a'`), `timestep` the t in brackets or empty,
/// `index` the entry: empty for a scalar, k for a vector, "r,c" (quoted) for a matrix; `value`
/// at full precision (shortest round-trip form).
public struct CSVRenderer: Sendable {
    public init() {}

    public func render(_ report: Report, into out: inout OutputBuffer) {
        out.write("name,timestep,index,value\n")
        for q in report.uniqueQuantities {
            var name = Substring(q.key)
            var timestep = Substring("")
            if q.key.hasSuffix("]"), let open = q.key.lastIndex(of: "[") {
                name = q.key[..<open]
                timestep = q.key[q.key.index(after: open)..<q.key.index(before: q.key.endIndex)]
            }
            func row(_ index: String, _ x: Double) {
                field(String(name), into: &out)
                out.write(",")
                field(String(timestep), into: &out)
                out.write(",")
                field(index, into: &out)
                out.write(",")
                out.writeShortest(x)
                out.newline()
            }
            switch q.value {
            case .scalar(let x):
                row("", x)
            case .vector(let v):
                for (k, x) in v.values.enumerated() { row(String(k), x) }
            case .matrix(let m):
                for r in 0..<m.rows {
                    for c in 0..<m.cols { row("\(r),\(c)", m.values[r * m.cols + c]) }
                }
            }
        }
    }

    public func render(_ report: Report) -> String {
        var b = OutputBuffer()
        render(report, into: &b)
        return b.text
    }

    /// A field, quoted (RFC 4180) when it holds a comma, a quote or a line break.
    func field(_ s: String, into out: inout OutputBuffer) { CSVField.write(s, into: &out) }
}
