/// One value of `analyze --format json|csv`: numbers at full precision, vectors and matrices,
/// complex numbers as [re, im], and named objects in a fixed order. The builders
/// (`AnalysisDocument`) compute; `json` and `csv` only format.
public indirect enum AnalysisValue: Sendable {
    case number(Double)
    case integer(Int)
    case string(String)
    case bool(Bool)
    case null
    case vector([Double])
    case matrix(Matrix)
    case complex(Complex)
    case complexVector([Complex])
    case complexMatrix(ComplexMatrix)
    case array([AnalysisValue])
    case object([(String, AnalysisValue)])

    // MARK: JSON

    /// Objects one member a line, indented by two spaces a level; numbers, vectors and matrices
    /// on one line (a matrix as an array of rows), as `run --format json` writes them.
    public func writeJSON(into out: inout OutputBuffer, indent: Int = 0) {
        switch self {
        case .number(let x): writeNumber(x, into: &out)
        case .integer(let n): out.write(String(n))
        case .string(let s): writeString(s, into: &out)
        case .bool(let b): out.write(b ? "true" : "false")
        case .null: out.write("null")
        case .vector(let v): writeNumbers(v, into: &out)
        case .matrix(let m):
            out.write("[")
            for r in 0..<m.rows {
                if r > 0 { out.write(", ") }
                writeNumbers(m.row(r), into: &out)
            }
            out.write("]")
        case .complex(let z): writeComplex(z, into: &out)
        case .complexVector(let v):
            out.write("[")
            for (k, z) in v.enumerated() {
                if k > 0 { out.write(", ") }
                writeComplex(z, into: &out)
            }
            out.write("]")
        case .complexMatrix(let m):
            out.write("[")
            for r in 0..<m.rows {
                if r > 0 { out.write(", ") }
                AnalysisValue.complexVector((0..<m.cols).map { m[r, $0] }).writeJSON(into: &out)
            }
            out.write("]")
        case .array(let items):
            if items.isEmpty {
                out.write("[]")
                return
            }
            out.write("[")
            for (k, item) in items.enumerated() {
                out.write(k == 0 ? "\n" : ",\n")
                out.spaces(indent + 2)
                item.writeJSON(into: &out, indent: indent + 2)
            }
            out.write("\n")
            out.spaces(indent)
            out.write("]")
        case .object(let members):
            if members.isEmpty {
                out.write("{}")
                return
            }
            out.write("{")
            for (k, (key, value)) in members.enumerated() {
                out.write(k == 0 ? "\n" : ",\n")
                out.spaces(indent + 2)
                writeString(key, into: &out)
                out.write(": ")
                value.writeJSON(into: &out, indent: indent + 2)
            }
            out.write("\n")
            out.spaces(indent)
            out.write("}")
        }
    }

    /// JSON has no infinities or NaN: those become null (a finite analysis never has them).
    func writeNumber(_ x: Double, into out: inout OutputBuffer) {
        if x.isFinite { out.writeShortest(x) } else { out.write("null") }
    }

    func writeNumbers(_ xs: [Double], into out: inout OutputBuffer) {
        out.write("[")
        for (k, x) in xs.enumerated() {
            if k > 0 { out.write(", ") }
            writeNumber(x, into: &out)
        }
        out.write("]")
    }

    func writeComplex(_ z: Complex, into out: inout OutputBuffer) {
        out.write("[")
        writeNumber(z.re, into: &out)
        out.write(", ")
        writeNumber(z.im, into: &out)
        out.write("]")
    }

    // MARK: CSV

    /// One row per number, `name,timestep,index,value`, like `run --format csv`: `name` is the
    /// dotted path of object keys without a bracketed timestep (`jacobian`, `eigen.W.eigenvalues`;
    /// the members of `quantities` by their own names),
    /// `timestep` what the key had in brackets (`3,1` for the pair t = 3, k = 1), `index` the
    /// positions inside the value joined by commas (array item, row and column, then `re`/`im`
    /// for a complex entry); `value` at full precision, or the text of a string or a boolean.
    public func writeCSV(into out: inout OutputBuffer) {
        out.write("name,timestep,index,value\n")
        flatten(name: "", timestep: "", index: [], into: &out)
    }

    func flatten(name: String, timestep: String, index: [String], into out: inout OutputBuffer) {
        func row(_ value: String, _ extra: [String] = []) {
            CSVField.write(name, into: &out)
            out.write(",")
            CSVField.write(timestep, into: &out)
            out.write(",")
            CSVField.write((index + extra).joined(separator: ","), into: &out)
            out.write(",")
            CSVField.write(value, into: &out)
            out.newline()
        }
        func number(_ x: Double) -> String {
            var b = OutputBuffer()
            writeNumber(x, into: &b)
            return b.text == "null" ? "" : b.text
        }
        switch self {
        case .number(let x): row(number(x))
        case .integer(let n): row(String(n))
        case .string(let s): row(s)
        case .bool(let b): row(b ? "true" : "false")
        case .null: break
        case .vector(let v): for (k, x) in v.enumerated() { row(number(x), [String(k)]) }
        case .matrix(let m):
            for r in 0..<m.rows { for c in 0..<m.cols { row(number(m[r, c]), ["\(r)", "\(c)"]) } }
        case .complex(let z):
            row(number(z.re), ["re"])
            row(number(z.im), ["im"])
        case .complexVector(let v):
            for (k, z) in v.enumerated() {
                row(number(z.re), [String(k), "re"])
                row(number(z.im), [String(k), "im"])
            }
        case .complexMatrix(let m):
            for r in 0..<m.rows {
                for c in 0..<m.cols {
                    row(number(m[r, c].re), ["\(r)", "\(c)", "re"])
                    row(number(m[r, c].im), ["\(r)", "\(c)", "im"])
                }
            }
        case .array(let items):
            for (k, item) in items.enumerated() {
                item.flatten(name: name, timestep: timestep, index: index + [String(k)], into: &out)
            }
        case .object(let members):
            for (key, value) in members {
                var base = Substring(key), ts = timestep
                if key.hasSuffix("]"), let open = key.lastIndex(of: "[") {
                    base = key[..<open]
                    ts = String(key[key.index(after: open)..<key.index(before: key.endIndex)])
                }
                // "quantities" is a plain container: its members keep their own names, as in `run`.
                let full = key == "quantities" ? name : (name.isEmpty ? String(base) : name + "." + base)
                value.flatten(name: full, timestep: ts, index: index, into: &out)
            }
        }
    }
}
