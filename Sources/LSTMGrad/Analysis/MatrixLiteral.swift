/// A square matrix written as JSON rows on the command line: `[[0.58,0.24],[0.24,0.72]]`.
public enum MatrixLiteral {
    public static func parse(_ text: String, name: String = "--matrix") throws(SpecErrors) -> Matrix {
        let source = SourceText(name: name, bytes: Array(text.utf8))
        let root: JSONNode
        do {
            root = try JSONParser.parse(source.bytes)
        } catch {
            throw SpecErrors([Diagnostic(file: name, location: source.location(of: error.offset), path: nil, error: .syntax(error.message))])
        }
        let reader = SpecReader(source: source)
        let n = reader.rowCount(root) ?? 0
        let m = reader.matrix(root, .root, rows: n, cols: n, meaning: "a square matrix, n×n, as a list of rows")
        guard let m, !reader.hasErrors else { throw SpecErrors(reader.diagnostics) }
        return m
    }
}
