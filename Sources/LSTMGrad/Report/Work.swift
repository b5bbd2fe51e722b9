/// How a quantity is computed, as data: the right-hand side as a template over named operands
/// (`tanh({0}·{1} + {2}·{3} + {4})`), the operands with their values, and the function that
/// evaluates the right-hand side from operand values. Renderers print the template twice (with
/// labels, then with numbers); `check` re-evaluates it from a student's own earlier numbers
/// (error carried forward), from hand-rounded numbers (`--rounded`), and under classic mistakes.
public struct Work: Sendable, Equatable {
    public enum Piece: Sendable, Equatable {
        case text(String)
        case operand(Int)
    }

    /// A classic mistake on this quantity: what it is, and the value it produces from the
    /// same operands.
    public struct Mistake: Sendable {
        public var description: String
        public var evaluate: @Sendable ([Value]) -> Value

        public init(_ description: String, _ evaluate: @escaping @Sendable ([Value]) -> Value) {
            self.description = description
            self.evaluate = evaluate
        }
    }

    public var pieces: [Piece]
    public var operands: [Operand]
    public var evaluate: @Sendable ([Value]) -> Value
    public var mistakes: [Mistake]

    /// `template` names operand k as `{k}`.
    public init(_ template: String, _ operands: [Operand], mistakes: [Mistake] = [],
                evaluate: @escaping @Sendable ([Value]) -> Value) {
        self.pieces = Work.parse(template)
        self.operands = operands
        self.evaluate = evaluate
        self.mistakes = mistakes
    }

    /// The right-hand side from the operands' own values.
    public var result: Value { evaluate(operands.map(\.value)) }

    static func parse(_ template: String) -> [Piece] {
        var pieces: [Piece] = []
        var text = ""
        var chars = Array(template)[...]
        while let c = chars.popFirst() {
            if c == "{", let close = chars.firstIndex(of: "}"), let k = Int(String(chars[chars.startIndex..<close])) {
                if !text.isEmpty { pieces.append(.text(text)) }
                text = ""
                pieces.append(.operand(k))
                chars = chars[(close + 1)...]
            } else {
                text.append(c)
            }
        }
        if !text.isEmpty { pieces.append(.text(text)) }
        return pieces
    }

    /// The right-hand side in symbols: `tanh(W_a·x_0 + U_a·out_-1 + b_a)`.
    public var symbolic: String {
        pieces.map { piece in
            switch piece {
            case .text(let s): return s
            case .operand(let k): return operands[k].label
            }
        }.joined()
    }

    public static func == (a: Work, b: Work) -> Bool { a.pieces == b.pieces && a.operands == b.operands }
}

/// One input of a computation: its canonical key (so a student's answer can replace it), its
/// label and its value.
public struct Operand: Sendable, Equatable {
    public var key: String
    public var label: String
    public var value: Value
    /// A stacked operand (δgates_t = [δa_t; δi_t; δf_t; δo_t]) is its parts one after another:
    /// a student's answer for a part replaces that part.
    public var parts: [Operand]

    public init(key: String, label: String, value: Value, parts: [Operand] = []) {
        self.key = key
        self.label = label
        self.value = value
        self.parts = parts
    }

    /// The operand itself and its parts.
    public var leaves: [Operand] { [self] + parts }

    /// The value with `lookup` (a key's replacement, if any) applied to the operand or its parts.
    public func value(_ lookup: (String) -> Value?) -> Value {
        if let v = lookup(key) { return v }
        guard !parts.isEmpty else { return value }
        return value.replacingNumbers(parts.flatMap { $0.value(lookup).numbers })
    }
}

extension Value {
    /// The numbers as a vector (a matrix row-major).
    public var vector: Vector { Vector(numbers) }

    /// The value as a matrix (a scalar is 1×1, a vector a column).
    public var matrix: Matrix {
        switch self {
        case .scalar(let x): return Matrix(rows: 1, cols: 1, values: [x])
        case .vector(let v): return Matrix(rows: v.count, cols: 1, values: v.values)
        case .matrix(let m): return m
        }
    }

    /// Every number rounded to `decimals` places as a hand calculation does: half away from
    /// zero, or cut off (`truncating`). A decimal tie is a tie even when the binary value lies a
    /// hair below it (−0.003155 rounds to −0.00316).
    public func rounded(decimals: Int, truncating: Bool = false) -> Value {
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let rule: FloatingPointRoundingRule = truncating ? .towardZero : .toNearestOrAwayFromZero
        return replacingNumbers(numbers.map { ($0 * scale * (1 + 1e-12)).rounded(rule) / scale })
    }
}

extension Report {
    /// Re-evaluates every quantity that carries its work, in report order (forward, then
    /// backward from T−1, then totals and the update), with each operand replaced by the value
    /// `substitute` gives for its key, or by the earlier re-evaluated value of that key, then
    /// passes the result through `finish`. Returns the re-evaluated value of every key.
    /// With `finish` = round to D decimals this is the hand-rounded pass; with `substitute` =
    /// a student's answers it is "error carried forward".
    /// `raw` receives each result before `finish` (what a hand calculation then rounds).
    public func replay(substitute: (String) -> Value? = { _ in nil }, operand: (Operand) -> Value = { $0.value },
                       finish: (Value) -> Value, raw: inout [String: Value]) -> [String: Value] {
        var values: [String: Value] = [:]
        for section in sections {
            for q in section.quantities where values[q.key] == nil {
                if let w = q.work {
                    func lookup(_ key: String) -> Value? { substitute(key) ?? values[key] }
                    let args = w.operands.map { op in op.leaves.contains { lookup($0.key) != nil } ? op.value(lookup) : operand(op) }
                    let r = w.evaluate(args)
                    raw[q.key] = r
                    values[q.key] = finish(r)
                } else {
                    raw[q.key] = q.value
                    values[q.key] = finish(q.value)
                }
            }
        }
        return values
    }

    /// The pass recomputed with every operand and every intermediate rounded to `decimals`
    /// places (`--rounded`): each quantity's value from rounded operands, before its own rounding.
    public func handRounded(decimals d: Int, truncating: Bool = false) -> [String: Value] {
        var raw: [String: Value] = [:]
        _ = replay(operand: { $0.value.rounded(decimals: d, truncating: truncating) },
                   finish: { $0.rounded(decimals: d, truncating: truncating) }, raw: &raw)
        return raw
    }
}

extension Notation {
    /// An equation's operand: the canonical key and this notation's label of base at time t.
    public func operand(_ base: String, t: Int? = nil, _ value: Value) -> Operand {
        let q = quantity(base, t: t, value)
        return Operand(key: q.key, label: q.label, value: value)
    }
}
