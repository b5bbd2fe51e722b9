/// A printable value: a scalar, a vector or a matrix.
public enum Value: Sendable, Equatable {
    case scalar(Double)
    case vector(Vector)
    case matrix(Matrix)

    /// All numbers, row-major.
    public var numbers: [Double] {
        switch self {
        case .scalar(let x): return [x]
        case .vector(let v): return v.values
        case .matrix(let m): return m.values
        }
    }

    /// The same shape with other numbers.
    public func replacingNumbers(_ numbers: [Double]) -> Value {
        switch self {
        case .scalar: return .scalar(numbers[0])
        case .vector: return .vector(Vector(numbers))
        case .matrix(let m): return .matrix(Matrix(rows: m.rows, cols: m.cols, values: numbers))
        }
    }
}

/// One named value of the report. `key` is the canonical name (`delta_state[1]`, `dW.a`,
/// `W.a'`) used by JSON output, answers files and messages; `label` is how the spec's notation
/// writes it (`δstate_1`).
public struct Quantity: Sendable, Equatable {
    public var key: String
    public var label: String
    public var value: Value
    /// Shown after the value in text output (e.g. "= δstate_0 ⊙ f_0").
    public var note: String?
    /// How it is computed (equation, operands, evaluation), when the cell provides it.
    public var work: Work? = nil

    public init(key: String, label: String, value: Value, note: String? = nil) {
        self.key = key
        self.label = label
        self.value = value
        self.note = note
    }
}

/// How a sheet writes each canonical symbol. The canonical names never change; a notation only
/// changes labels (and adds aliases that `check` accepts).
public struct Notation: Sendable {
    public var name: String
    /// Canonical base → label, where the default rule does not fit.
    public var labels: [String: String]
    /// Other base names a sheet uses for a canonical base (`C` → `state`, `h` → `out`); answers
    /// files may use them, and they resolve to the canonical name.
    public var aliases: [String: String]

    public init(name: String, labels: [String: String] = [:], aliases: [String: String] = [:]) {
        self.name = name
        self.labels = labels
        self.aliases = aliases
    }

    /// The canonical key for a name given in this notation (`C[0]` → `state[0]`); unchanged if
    /// it is not an alias.
    public func canonicalKey(_ key: String) -> String {
        var base = Substring(key)
        var rest = Substring("")
        if let bracket = key.firstIndex(of: "[") {
            base = key[..<bracket]
            rest = key[bracket...]
        }
        guard let canonical = aliases[String(base)] else { return key }
        return canonical + rest
    }

    /// The published numerical example's notation (a, i, f, o, state, out, Δ, δ).
    public static let published = Notation(name: "published")

    /// The label of a canonical base: an override, or `delta_x` → `δx`, `Delta_out` → `Δout`,
    /// `dW.a` → `δW_a`, `W.a'` → `W_a`.
    public func label(_ base: String) -> String {
        if let l = labels[base] { return l }
        var s = base
        if s.hasSuffix("'") { s.removeLast() }
        if s.hasPrefix("delta_") {
            s = "δ" + s.dropFirst(6)
        } else if s.hasPrefix("Delta_") {
            s = "Δ" + s.dropFirst(6)
        } else if s == "Delta" {
            s = "Δ"
        } else if s.hasPrefix("d"), let second = s.dropFirst().first, second.isUppercase || second == "b" || second == "c" {
            s = "δ" + s.dropFirst()
        }
        return s.replacingDots()
    }

    /// The canonical key and label of base at time t.
    public func quantity(_ base: String, t: Int? = nil, _ value: Value, note: String? = nil) -> Quantity {
        let key = t.map { "\(base)[\($0)]" } ?? base
        let label = t.map { "\(self.label(base))_\($0)" } ?? self.label(base)
        return Quantity(key: key, label: label, value: value, note: note)
    }
}

extension String {
    /// `W.a` → `W_a`.
    func replacingDots() -> String {
        String(self.map { $0 == "." ? "_" : $0 })
    }
}

/// A titled group of quantities: "Forward @ t=0", "Gradients", …
public struct Section: Sendable, Equatable {
    public var title: String
    public var quantities: [Quantity]
    public init(title: String, quantities: [Quantity]) {
        self.title = title
        self.quantities = quantities
    }
}

/// The ordered result of a run: header lines and sections. Renderers only format it.
public struct Report: Sendable {
    public var header: [String]
    public var sections: [Section]
    /// Notes printed after the sections (e.g. "two biases receive the same gradient").
    public var notes: [String]

    public init(header: [String], sections: [Section], notes: [String] = []) {
        self.header = header
        self.sections = sections
        self.notes = notes
    }

    /// Every quantity once, by canonical key, first occurrence first.
    public var uniqueQuantities: [Quantity] {
        var seen = Set<String>()
        var out: [Quantity] = []
        for s in sections {
            for q in s.quantities where seen.insert(q.key).inserted { out.append(q) }
        }
        return out
    }

    public func quantity(_ key: String) -> Quantity? {
        for s in sections {
            if let q = s.quantities.first(where: { $0.key == key }) { return q }
        }
        return nil
    }
}

extension Notation {
    /// The notations a spec can name with `"notation"`.
    public static let builtIn: [Notation] = [.published]
}
