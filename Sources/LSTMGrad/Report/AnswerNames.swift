/// The names an answers file may give the report's quantities, and the did-you-mean for a name
/// that is none of them.
///
/// Accepted: the canonical key (`delta_out[0]`), a notation alias (`C[0]`, `delta_h[0]` in the
/// hat notation), and the label the report prints in the spec's notation (`δout_0`, `∇W^hi`)
/// where exactly one quantity has it. Suggested, for an unknown name: the canonical key of the
/// closest of every spelling a student may write — those above, the alias forms of δ names
/// (`delta_h[0]`, `dh[0]` for `delta_out[0]` where h is out), `d` forms (`dstate[0]`), labels
/// with brackets (`δout[0]`), and the spec's layout blocks (`Wh.i`, `dWh.i` for `U.i'`, `dU.i`).
/// Labels and spellings are built only when a name needs them.
struct AnswerNames {
    let quantities: [Quantity]
    let byName: [QuantityName: Quantity]
    let notation: Notation
    let layoutBlocks: [LayoutBlockName]
    /// Label → the one quantity with it (nil: several have it).
    private var labels: [String: QuantityName?]?
    /// Every spelling and its canonical name, most likely first.
    private var spellings: [(spelling: String, name: QuantityName)]?

    init(_ quantities: [Quantity], notation: Notation, layoutBlocks: [LayoutBlockName]) {
        self.quantities = quantities
        byName = Dictionary(quantities.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.notation = notation
        self.layoutBlocks = layoutBlocks
    }

    /// The quantity a key names, or nil.
    mutating func resolve(_ key: String) -> Quantity? {
        if let written = QuantityName(parsing: key) {
            // A name the report itself uses wins over an alias (an RNN's or a GRU's h is h, not out).
            if let q = byName[written] { return q }
            if let q = byName[notation.canonical(written)] { return q }
        }
        if labels == nil {
            var table: [String: QuantityName?] = [:]
            for q in quantities { table[q.label] = table[q.label] == nil ? .some(q.name) : .some(nil) }
            labels = table
        }
        if let found = labels?[key], let name = found { return byName[name] }
        // A label written with TeX's braces: `∇W^{hi}` is `∇W^hi`.
        if key.contains("{") {
            let bare = String(key.filter { $0 != "{" && $0 != "}" })
            if bare != key { return resolve(bare) }
        }
        return nil
    }

    /// The canonical key of the spelling closest to `key`, if one is close enough. Ties of the
    /// case-blind distance go to the spelling closest with case (`delta_h` is δh, not Δh).
    mutating func suggestion(for key: String) -> String? {
        if spellings == nil { spellings = allSpellings() }
        let table = spellings!
        guard let near = LSTMGrad.suggestion(for: key, among: table.map(\.spelling)) else { return nil }
        let lower = key.lowercased()
        let distance = editDistance(lower, near.lowercased())
        var best: (name: QuantityName, cased: Int)?
        for (spelling, name) in table where editDistance(lower, spelling.lowercased()) == distance {
            let cased = editDistance(key, spelling)
            if best == nil || cased < best!.cased { best = (name, cased) }
        }
        return best?.name.description
    }

    /// Every spelling, most likely first: canonical keys; the spec's notation (labels, alias
    /// forms); the layout's blocks; then the other built-in notations (a student may follow
    /// another sheet).
    private func allSpellings() -> [(spelling: String, name: QuantityName)] {
        var out: [(String, QuantityName)] = []
        var seen = Set<String>()
        func add(_ spelling: String, _ name: QuantityName) {
            if seen.insert(spelling).inserted { out.append((spelling, name)) }
        }
        for q in quantities { add(q.key, q.name) }
        func notationSpellings(_ notation: Notation) {
            for q in quantities {
                add(notation.label(q.name), q.name)
                if let t = q.name.t { add(notation.label(q.name.at(nil)) + "[\(t)]", q.name) }
            }
            for q in quantities {
                for base in Self.spellings(of: q.name.symbol.base, aliases: notation.aliases) {
                    var n = q.name
                    n.symbol = Symbol(base)
                    add(n.description, q.name)
                }
            }
        }
        for q in quantities { add(q.label, q.name) }
        notationSpellings(notation)
        for q in quantities where q.name.symbol.base.hasPrefix("d_") {
            // A layout block shown as a quantity (`d_Wz.f`): also without the underscore.
            var n = q.name
            n.symbol = Symbol("d" + q.name.symbol.base.dropFirst(2))
            add(n.description, q.name)
        }
        for b in layoutBlocks {
            let updated = b.block.afterUpdate, gradient = b.block.gradient
            if byName[updated] != nil { for s in [b.spelling, b.spelling + "'"] { add(s, updated) } }
            if byName[gradient] != nil {
                for prefix in ["d", "d_", notation.gradientSymbol, "δ", "∇"] { add(prefix + b.spelling, gradient) }
            }
        }
        for other in Notation.builtIn where other.name != notation.name { notationSpellings(other) }
        return out
    }

    /// Other spellings of a canonical base through a notation's aliases: `out` → `h`;
    /// `delta_out` → `delta_h`, `dh`, `dout`; `Delta_out` → `Delta_h`.
    static func spellings(of base: String, aliases: [String: String]) -> [String] {
        let sorted = aliases.sorted { $0.key < $1.key }
        func stems(_ s: String) -> [String] { [s] + sorted.filter { $0.value == s }.map(\.key) }
        var out = sorted.filter { $0.value == base }.map(\.key)
        if base.hasPrefix("delta_") {
            let stem = String(base.dropFirst(6))
            for s in stems(stem) {
                if s != stem { out.append("delta_" + s) }
                out.append("d" + s)
            }
        } else if base.hasPrefix("Delta_") {
            let stem = String(base.dropFirst(6))
            for s in stems(stem) where s != stem { out.append("Delta_" + s) }
        }
        return out
    }
}
