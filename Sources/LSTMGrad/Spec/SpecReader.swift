/// Walks a parsed JSON document, checking types and shapes, and collects every problem it finds
/// (up to `limit`) with its place, instead of stopping at the first.
public final class SpecReader {
    public let source: SourceText
    public private(set) var diagnostics: [Diagnostic] = []
    public private(set) var warnings: [Diagnostic] = []
    public let limit: Int
    /// Errors found past the limit and not recorded.
    public private(set) var omitted = 0

    public init(source: SourceText, limit: Int = 20) {
        self.source = source
        self.limit = limit
    }

    public var hasErrors: Bool { !diagnostics.isEmpty }

    /// A size a spec implies (H, X, K, T), its meaning and where it was read, so that a shape
    /// message can name the size it conflicts with: "hidden size H = 1 (from weights.b.a)".
    public struct Size: Sendable, Equatable {
        public var symbol: String
        public var value: Int
        public var name: String
        public var origin: JSONPath?

        public init(_ symbol: String, _ value: Int, _ name: String, from origin: JSONPath?) {
            self.symbol = symbol
            self.value = value
            self.name = name
            self.origin = origin
        }

        /// `hidden size H = 1 (from weights.b.a)`.
        public var description: String {
            "\(name) \(symbol) = \(value)" + (origin.map { " (from \($0))" } ?? "")
        }
    }

    /// Sizes noted so far by symbol, for later messages.
    public private(set) var sizes: [String: Size] = [:]

    public func note(_ size: Size) { sizes[size.symbol] = size }

    /// The hidden size H as noted by the cell's decoder (with where it was read), or bare.
    public func hiddenSize(_ H: Int) -> Size {
        if let s = sizes["H"], s.value == H { return s }
        return Size("H", H, "hidden size", from: nil)
    }

    /// Records an error at a node (or at a byte offset) and path. The error is built only if it
    /// is kept (within `limit`): a did-you-mean or a line number costs nothing for errors past
    /// the limit, so a file with a million mistakes is read in linear time.
    public func fail(_ error: @autoclosure () -> SpecError, at offset: Int?, _ path: @autoclosure () -> JSONPath) {
        guard diagnostics.count < limit else {
            omitted += 1
            return
        }
        diagnostics.append(Diagnostic(file: source.name, location: offset.map(location(of:)), path: path(), error: error()))
    }

    /// The diagnostics found since the first `start` with keys in their paths renamed (a
    /// network's layer is decoded under the one-layer keys `weight_ih_l0`, …; its errors name
    /// the spec's own `weight_ih_l1_reverse`).
    func renamePaths(since start: Int, _ rename: [String: String]) {
        guard !rename.isEmpty else { return }
        for k in start..<diagnostics.count {
            guard let path = diagnostics[k].path else { continue }
            diagnostics[k].path = JSONPath(path.components.map { c in
                if case .key(let key) = c, let other = rename[key] { return .key(other) }
                return c
            })
        }
    }

    public func fail(_ error: @autoclosure () -> SpecError, _ node: JSONNode, _ path: @autoclosure () -> JSONPath) {
        fail(error(), at: node.offset, path())
    }

    public func warn(_ message: String, _ node: JSONNode?, _ path: JSONPath) {
        warnings.append(Diagnostic(file: source.name, location: node.map { location(of: $0.offset) }, path: path,
                                   error: .warning(message), severity: .warning))
    }

    /// Line starts of the source, indexed on the first message that needs a place.
    private lazy var lines = LineIndex(source.bytes)

    /// Line and column of a byte offset of the source (one pass over the file for all messages).
    public func location(of offset: Int) -> SourceLocation { lines.location(of: offset, in: source.bytes) }

    // MARK: objects

    /// The members of an object by key, after checking the type, duplicates and unknown keys.
    public func object(_ node: JSONNode, _ path: JSONPath, allowed: [String], what: String = "an object") -> Fields? {
        guard let members = node.members else {
            fail(.wrongType(expected: what, found: node.kindDescription), node, path)
            return nil
        }
        var fields = Fields(node: node, path: path)
        for m in members {
            if let first = fields.members[m.key] {
                fail(.duplicateKey(m.key, firstLine: location(of: first.keyOffset).line), at: m.keyOffset, path / m.key)
                continue
            }
            guard allowed.contains(m.key) else {
                fail(.unknownKey(m.key, suggestion: suggestion(for: m.key, among: allowed), allowed: allowed), at: m.keyOffset, path / m.key)
                continue
            }
            fields.members[m.key] = m
            fields.order.append(m.key)
        }
        return fields
    }

    /// An object's checked members.
    public struct Fields {
        public var node: JSONNode
        public var path: JSONPath
        public var members: [String: JSONMember] = [:]
        public var order: [String] = []

        public subscript(key: String) -> JSONNode? { members[key]?.value }
        public func has(_ key: String) -> Bool { members[key] != nil }
    }

    /// A required member, or an error at the object.
    public func require(_ fields: Fields, _ key: String, meaning: String = "") -> JSONNode? {
        if let n = fields[key] { return n }
        fail(.missing(field: key, meaning: meaning), fields.node, fields.path)
        return nil
    }

    // MARK: scalars

    public func number(_ node: JSONNode, _ path: JSONPath, what: String = "a number") -> Double? {
        guard case .number(let v, let literal) = node.value else {
            fail(.wrongType(expected: what, found: node.kindDescription), node, path)
            return nil
        }
        guard v.isFinite else {
            fail(.notFinite(literal: literal), node, path)
            return nil
        }
        return v
    }

    public func integer(_ node: JSONNode, _ path: JSONPath, range: ClosedRange<Int>, what: String) -> Int? {
        guard let v = number(node, path, what: what) else { return nil }
        guard v == v.rounded(), v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
            fail(.invalidValue(expected: what, found: node.kindDescription), node, path)
            return nil
        }
        return Int(v)
    }

    public func bool(_ node: JSONNode, _ path: JSONPath) -> Bool? {
        guard case .bool(let b) = node.value else {
            fail(.wrongType(expected: "true or false", found: node.kindDescription), node, path)
            return nil
        }
        return b
    }

    public func string(_ node: JSONNode, _ path: JSONPath) -> String? {
        guard let s = node.string else {
            fail(.wrongType(expected: "a string", found: node.kindDescription), node, path)
            return nil
        }
        return s
    }

    /// One of a fixed set of strings, with a "did you mean" for near misses.
    public func choice(_ node: JSONNode, _ path: JSONPath, among choices: [String]) -> String? {
        guard let s = string(node, path) else { return nil }
        guard choices.contains(s) else {
            fail(.invalidValue(expected: "one of \(choices.map { "\"\($0)\"" }.joined(separator: ", "))",
                               found: "\"\(s)\"" + (suggestion(for: s, among: choices).map { "; did you mean \"\($0)\"?" } ?? "")), node, path)
            return nil
        }
        return s
    }

    // MARK: arrays

    public func array(_ node: JSONNode, _ path: JSONPath, what: String = "an array") -> [JSONNode]? {
        guard let items = node.array else {
            fail(.wrongType(expected: what, found: node.kindDescription), node, path)
            return nil
        }
        return items
    }

    /// A vector of `count` numbers (any length when nil). A bare number is accepted for a
    /// 1-vector, as homework writes it.
    public func vector(_ node: JSONNode, _ path: JSONPath, count: Int?, meaning: String) -> Vector? {
        if case .number = node.value {
            guard let v = number(node, path) else { return nil }
            if let c = count, c != 1 {
                fail(.wrongLength(expected: c, found: 1, what: "numbers", meaning: meaning), node, path)
                return nil
            }
            return Vector([v])
        }
        // A vector from a tensor file: its numbers in one copy (they were checked finite when read).
        if case .tensor(let t) = node.value, t.shape.count == 1 {
            if t.shape[0] == 0 && (count ?? 1) > 0 {
                fail(.wrongLength(expected: count ?? 1, found: 0, what: count == nil ? "or more numbers" : "numbers", meaning: meaning), node, path)
                return nil
            }
            if let c = count, t.shape[0] != c {
                fail(.wrongLength(expected: c, found: t.shape[0], what: c == 1 ? "number" : "numbers", meaning: meaning), node, path)
                return nil
            }
            return Vector(t.values)
        }
        if case .numbers(let p) = node.value {
            // Packed numbers: the count, then only the values that are not finite need their place.
            if let c = count, p.count != c {
                fail(.wrongLength(expected: c, found: p.count, what: c == 1 ? "number" : "numbers", meaning: meaning), node, path)
                return nil
            }
            if p.values.allSatisfy(\.isFinite) { return Vector(p.values) }
            let offsets = p.offsets
            for (k, v) in p.values.enumerated() where !v.isFinite {
                fail(.notFinite(literal: p.literal(at: offsets[k])), at: offsets[k], path / k)
            }
            return nil
        }
        guard let items = array(node, path, what: count == 1 ? "a number" : "an array of numbers") else { return nil }
        if items.isEmpty && (count ?? 1) > 0 {
            fail(.wrongLength(expected: count ?? 1, found: 0, what: count == nil ? "or more numbers" : "numbers", meaning: meaning), node, path)
            return nil
        }
        if let c = count, items.count != c {
            fail(.wrongLength(expected: c, found: items.count, what: c == 1 ? "number" : "numbers", meaning: meaning), node, path)
            return nil
        }
        var out: [Double] = []
        out.reserveCapacity(items.count)
        var ok = true
        for (k, item) in items.enumerated() {
            // The common case without building a path (paths are for messages).
            if case .number(let v, _) = item.value, v.isFinite {
                out.append(v)
                continue
            }
            if let v = number(item, path / k) { out.append(v) } else { ok = false }
        }
        return ok ? Vector(out) : nil
    }

    /// A vector of `count.value` numbers whose length names the size and where it came from.
    public func vector(_ node: JSONNode, _ path: JSONPath, count: Size) -> Vector? {
        vector(node, path, count: count.value, meaning: "\(count.name) \(count.symbol) = \(count.value)" + (count.origin.map { ", from \($0)" } ?? ""))
    }

    /// A rows×cols matrix whose shape error names the conflicting size and where it came from:
    /// `expected a 1×2 matrix (H×X), found 2×2: 2 rows, but hidden size H = 1 (from weights.b.a)`.
    public func matrix(_ node: JSONNode, _ path: JSONPath, rows: Size, cols: Size) -> Matrix? {
        matrix(node, path, rows: rows.value, cols: cols.value, meaning: "\(rows.symbol)×\(cols.symbol)", sizes: (rows, cols))
    }

    /// A rows×cols matrix given as a list of rows. A bare number is accepted for 1×1, a flat list
    /// for a single row (or a single column), as homework writes them.
    public func matrix(_ node: JSONNode, _ path: JSONPath, rows: Int, cols: Int, meaning: String) -> Matrix? {
        matrix(node, path, rows: rows, cols: cols, meaning: meaning, sizes: nil)
    }

    func shapeError(_ rows: Int, _ cols: Int, found: (rows: Int, cols: Int), meaning: String, sizes: (Size, Size)?) -> SpecError {
        guard let (r, c) = sizes else { return .wrongShape(expected: (rows, cols), found: found, meaning: meaning) }
        return .shapeConflict(expected: (rows, cols), found: found, symbols: meaning,
                              rows: found.rows == rows ? nil : r.description, cols: found.cols == cols ? nil : c.description)
    }

    func matrix(_ node: JSONNode, _ path: JSONPath, rows: Int, cols: Int, meaning: String, sizes: (Size, Size)?) -> Matrix? {
        if case .number = node.value {
            guard let v = number(node, path) else { return nil }
            guard rows == 1 && cols == 1 else {
                fail(shapeError(rows, cols, found: (1, 1), meaning: meaning, sizes: sizes), node, path)
                return nil
            }
            return Matrix(rows: 1, cols: 1, values: [v])
        }
        // A matrix from a tensor file: its shape checked as the list of rows it stands for,
        // its numbers taken in one copy. (A vector is a flat list, read below.)
        if case .tensor(let t) = node.value, t.shape.count == 2 {
            guard t.shape[0] > 0, t.shape[1] > 0 else {
                fail(shapeError(rows, cols, found: (t.shape[0], t.shape[1]), meaning: meaning, sizes: sizes), node, path)
                return nil
            }
            guard t.shape[0] == rows && t.shape[1] == cols else {
                fail(shapeError(rows, cols, found: (t.shape[0], t.shape[1]), meaning: meaning, sizes: sizes), node, path)
                return nil
            }
            return Matrix(rows: rows, cols: cols, values: t.values)
        }
        let flatCount: Int?
        if case .numbers(let p) = node.value { flatCount = p.count } else { flatCount = nil }
        guard let items = flatCount != nil ? [] : array(node, path, what: "a matrix (a list of rows)") else { return nil }
        if flatCount == nil && items.isEmpty {
            fail(shapeError(rows, cols, found: (0, 0), meaning: meaning, sizes: sizes), node, path)
            return nil
        }
        if let n = flatCount ?? (items.allSatisfy { if case .number = $0.value { return true } else { return false } } ? items.count : nil) {
            // A flat list is one row, or (when the matrix has one column) the column.
            if rows == 1 || cols != 1 {
                guard rows == 1 && n == cols else {
                    fail(shapeError(rows, cols, found: (1, n), meaning: meaning, sizes: sizes), node, path)
                    return nil
                }
            } else if n != rows {
                fail(shapeError(rows, cols, found: (n, 1), meaning: meaning, sizes: sizes), node, path)
                return nil
            }
            guard let v = vector(node, path, count: nil, meaning: meaning) else { return nil }
            return Matrix(rows: rows, cols: cols, values: v.values)
        }
        // A list of rows: check raggedness before the shape, so the message names the real fault.
        var rowLengths: [Int] = []
        for (r, item) in items.enumerated() {
            switch item.value {
            case .array(let row): rowLengths.append(row.count)
            case .tensor(let row) where row.shape.count == 1: rowLengths.append(row.shape[0])
            case .numbers(let row): rowLengths.append(row.count)
            case .number: rowLengths.append(1)
            default:
                fail(.wrongType(expected: "a row of numbers", found: item.kindDescription), item, path / r)
                return nil
            }
        }
        if let bad = rowLengths.firstIndex(where: { $0 != rowLengths[0] }) {
            fail(.ragged(row: bad, expected: rowLengths[0], found: rowLengths[bad]), items[bad], path / bad)
            return nil
        }
        guard items.count == rows && rowLengths[0] == cols else {
            fail(shapeError(rows, cols, found: (items.count, rowLengths[0]), meaning: meaning, sizes: sizes), node, path)
            return nil
        }
        var values: [Double] = []
        values.reserveCapacity(rows * cols)
        var ok = true
        for (r, item) in items.enumerated() {
            if let row = vector(item, path / r, count: cols, meaning: meaning) { values += row.values } else { ok = false }
        }
        return ok ? Matrix(rows: rows, cols: cols, values: values) : nil
    }

    /// The rows of a matrix-like node, to read a size from; when it has none, reports why (not a
    /// number or a list of rows, or empty) and returns nil, so that no size is ever lost silently.
    public func rowCount(_ node: JSONNode, _ path: JSONPath, meaning: String) -> Int? {
        if let n = rowCount(node) { return n }
        _ = matrix(node, path, rows: 1, cols: 1, meaning: meaning)
        return nil
    }

    /// The entries of a vector-like node, to read a size from; reports it when it has none.
    public func entryCount(_ node: JSONNode, _ path: JSONPath, meaning: String) -> Int? {
        if let n = entryCount(node) { return n }
        _ = vector(node, path, count: nil, meaning: meaning)
        return nil
    }

    /// The number of rows a matrix-like node claims (1 for a number or a flat list).
    public func rowCount(_ node: JSONNode) -> Int? {
        switch node.value {
        case .number, .numbers: return 1
        case .tensor(let t):
            if t.shape[0] == 0 { return nil }
            return t.shape.count == 1 ? 1 : t.shape[0]
        case .array(let items):
            if items.isEmpty { return nil }
            if items.allSatisfy({ if case .number = $0.value { return true } else { return false } }) { return 1 }
            return items.count
        default: return nil
        }
    }

    /// The number of entries of a vector-like node.
    public func entryCount(_ node: JSONNode) -> Int? {
        switch node.value {
        case .number: return 1
        case .array(let items): return items.isEmpty ? nil : items.count
        case .tensor(let t): return t.shape[0] == 0 ? nil : t.shape[0]
        case .numbers(let p): return p.count
        default: return nil
        }
    }
}
