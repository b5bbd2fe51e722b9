/// What is wrong with one place of a spec or answers file. Messages are built here only.
public enum SpecError: Equatable, Sendable {
    /// The JSON itself is malformed.
    case syntax(String)
    /// A value has the wrong JSON type: `expected a number, found the string "x"`.
    case wrongType(expected: String, found: String)
    /// An array has the wrong length; `meaning` names the size it must match.
    case wrongLength(expected: Int, found: Int, what: String, meaning: String)
    /// A matrix has the wrong shape.
    case wrongShape(expected: (rows: Int, cols: Int), found: (rows: Int, cols: Int), meaning: String)
    /// A matrix has the wrong shape, naming each size it conflicts with and where that size
    /// was read (`rows`/`cols` are nil when that dimension is right).
    case shapeConflict(expected: (rows: Int, cols: Int), found: (rows: Int, cols: Int), symbols: String, rows: String?, cols: String?)
    /// The rows of a matrix differ in length.
    case ragged(row: Int, expected: Int, found: Int)
    case missing(field: String, meaning: String)
    case unknownKey(String, suggestion: String?, allowed: [String])
    case duplicateKey(String, firstLine: Int)
    case notFinite(literal: String)
    case invalidValue(expected: String, found: String)
    case conflict(String)
    case file(String)
    case warning(String)
    /// An answers file names a quantity the report does not have.
    case unknownQuantity(String, suggestion: String?)

    public var message: String {
        switch self {
        case .syntax(let m):
            return "invalid JSON: \(m)"
        case .wrongType(let expected, let found):
            return "expected \(expected), found \(found)"
        case .wrongLength(let expected, let found, let what, let meaning):
            let m = meaning.isEmpty ? "" : " (\(meaning))"
            return "expected \(expected) \(what)\(m), found \(found)"
        case .wrongShape(let e, let f, let meaning):
            let m = meaning.isEmpty ? "" : " (\(meaning))"
            return "expected a \(e.rows)×\(e.cols) matrix\(m), found \(f.rows)×\(f.cols)"
        case .shapeConflict(let e, let f, let symbols, let rows, let cols):
            let found = f.rows == 0 ? "an empty array" : "\(f.rows)×\(f.cols)"
            var why: [String] = []
            if let r = rows, f.rows > 0 { why.append("\(f.rows) row\(f.rows == 1 ? "" : "s"), but \(r)") }
            if let c = cols, f.rows > 0 { why.append("\(f.cols) column\(f.cols == 1 ? "" : "s"), but \(c)") }
            return "expected a \(e.rows)×\(e.cols) matrix (\(symbols)), found \(found)" + (why.isEmpty ? "" : ": " + why.joined(separator: "; "))
        case .ragged(let row, let expected, let found):
            return "ragged matrix: row \(row) has \(found) number\(found == 1 ? "" : "s"), row 0 has \(expected)"
        case .missing(let field, let meaning):
            return "missing required field \"\(field)\"" + (meaning.isEmpty ? "" : " (\(meaning))")
        case .unknownKey(let key, let suggestion, let allowed):
            if let s = suggestion { return "unknown key \"\(key)\"; did you mean \"\(s)\"?" }
            return "unknown key \"\(key)\"; expected one of: " + allowed.joined(separator: ", ")
        case .duplicateKey(let key, let line):
            return "duplicate key \"\(key)\" (first given on line \(line))"
        case .notFinite(let literal):
            return "expected a finite number, found \(literal) (out of the range of a double)"
        case .invalidValue(let expected, let found):
            return "expected \(expected), found \(found)"
        case .conflict(let m), .file(let m), .warning(let m):
            return m
        case .unknownQuantity(let key, let suggestion):
            let hint = "the canonical names of 'lstm-grad run SPEC --format json', or the labels the report prints"
            if let s = suggestion { return "unknown quantity \"\(key)\"; did you mean \"\(s)\"? (\(hint))" }
            return "unknown quantity \"\(key)\" (\(hint))"
        }
    }

    public static func == (a: SpecError, b: SpecError) -> Bool { a.message == b.message }
}

/// One message with its place: `spec.json:12:7: weights.W.i: expected 2 numbers (input size), found 3`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var location: SourceLocation?
    public var path: JSONPath?
    public var error: SpecError
    public var severity: Severity

    public init(file: String, location: SourceLocation?, path: JSONPath?, error: SpecError, severity: Severity = .error) {
        self.file = file
        self.location = location
        self.path = path
        self.error = error
        self.severity = severity
    }

    public var description: String {
        var out = file
        if let l = location { out += ":\(l.line):\(l.column)" }
        out += ": \(severity.rawValue): "
        if let p = path, !p.components.isEmpty { out += "\(p): " }
        out += error.message
        return out
    }
}

/// Every error found in one file (up to a limit), reported together.
public struct SpecErrors: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// How many more errors were found past the reader's limit and not listed.
    public var omitted = 0
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostics: [Diagnostic], omitted: Int) {
        self.diagnostics = diagnostics
        self.omitted = omitted
    }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A computation that produced a non-finite number: names the first quantity where it happened.
public struct NumericError: Error, Sendable, CustomStringConvertible {
    public var quantity: String
    public var value: Double
    /// The report section it is in ("Forward @ t=0"), naming the pass and the timestep.
    public var section: String = ""
    public var description: String {
        "\(quantity) is \(value.isNaN ? "NaN" : (value > 0 ? "+infinity" : "-infinity"))"
            + (section.isEmpty ? "" : " (the first non-finite value, in \(section))")
            + ": the computation overflowed (weights or inputs too large?)"
    }
}

/// The closest candidate by edit distance, if it is close enough to be a likely typo.
public func suggestion(for word: String, among candidates: [String]) -> String? {
    let lower = word.lowercased()
    let length = lower.unicodeScalars.count
    var best: (String, Int)?
    for c in candidates {
        // The distance is at least the difference in length: a candidate more than 3 longer or
        // shorter can never be accepted below, and one no closer than the best so far cannot
        // replace it, so neither is compared (the answer is the same, in linear time for the
        // many names of a long report).
        // (ASCII keeps its length when lowercased; other text is measured lowercased.)
        let ascii = c.utf8.allSatisfy { $0 < 0x80 }
        let gap = abs((ascii ? c.utf8.count : c.lowercased().unicodeScalars.count) - length)
        if gap > 3 || best.map({ gap >= $0.1 }) == true { continue }
        let d = editDistance(lower, c.lowercased())
        if best == nil || d < best!.1 { best = (c, d) }
    }
    guard let (candidate, distance) = best else { return nil }
    let limit = max(1, min(3, candidate.count / 3 + 1))
    return distance <= limit ? candidate : nil
}

/// Levenshtein distance over Unicode scalars.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var prev = Array(0...y.count)
    var cur = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        cur[0] = i
        for j in 1...y.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[y.count]
}
