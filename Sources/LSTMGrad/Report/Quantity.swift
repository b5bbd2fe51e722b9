/// One value of the report: its typed name, how the spec's notation writes it (`δstate_1`),
/// the value, a note, and the equation that computed it (when the report carries the work).
public struct Quantity: Sendable, Equatable {
    public var name: QuantityName
    public var label: String
    public var value: Value
    /// Shown after the value in text output (e.g. "= δstate_0 ⊙ f_0").
    public var note: String?
    /// How it is computed: its equation (operands' values in `Report.values`).
    public var equation: Equation? = nil

    public init(name: QuantityName, label: String, value: Value, note: String? = nil) {
        self.name = name
        self.label = label
        self.value = value
        self.note = note
    }

    /// The canonical key, as JSON, CSV and answers files write it.
    public var key: String { name.description }
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

    /// The canonical name for a name given in this notation (`C[0]` → `state[0]`); unchanged
    /// if its symbol is not an alias.
    public func canonical(_ name: QuantityName) -> QuantityName {
        var n = name
        if let canonical = aliases[name.symbol.base] { n.symbol = Symbol(canonical) }
        return n
    }

    /// The published numerical example's notation (a, i, f, o, state, out, Δ, δ).
    public static let published = Notation(name: "published", labels: decompositionLabels, aliases: ["C": "state", "h": "out"])

    /// Labels of the decomposition terms (issue 3) in the published notation: the two terms of
    /// δstate, the gradients after the activation (∂L/∂a; δa stays the pre-activation one) and
    /// the four gate terms of Δout_{t−1}.
    static let decompositionLabels: [String: String] = [
        "delta_state_from_out": "δstate^out", "delta_state_from_next": "δstate^next",
        "delta_post_a": "∂L/∂a", "delta_post_i": "∂L/∂i", "delta_post_f": "∂L/∂f", "delta_post_o": "∂L/∂o",
        "Delta_out.a": "Δout^a", "Delta_out.i": "Δout^i", "Delta_out.f": "Δout^f", "Delta_out.o": "Δout^o",
        "delta_gates_hh": "δgates^hh", "delta_gates": "δgates",
    ]

    /// Seed 000 / colah's notation: C̃, C, h, y = σ(W^y h + W^y_0), ∇ for gradients; the
    /// pre-activation of gate g is z^g (seed 000's auxiliary variable), so ∇z^i is the published
    /// δi and ∇i the gradient after the activation.
    public static let colah = Notation(name: "colah", labels: [
        "a": "C̃", "state": "C", "out": "h", "v": "z^y", "dy": "∇y", "dv": "∇z^y",
        "Delta": "∇h^y", "Delta_out": "∇h^next", "delta_out": "∇h", "delta_state": "∇C",
        "delta_state_from_out": "∇C^h", "delta_state_from_next": "∇C^next",
        "delta_post_a": "∇C̃", "delta_post_i": "∇i", "delta_post_f": "∇f", "delta_post_o": "∇o",
        "delta_a": "∇z^C̃", "delta_i": "∇z^i", "delta_f": "∇z^f", "delta_o": "∇z^o", "delta_x": "∇x",
        "Delta_out.a": "∇h^C̃", "Delta_out.i": "∇h^i", "Delta_out.f": "∇h^f", "Delta_out.o": "∇h^o",
        "dW.a": "∇W^xc", "dW.i": "∇W^xi", "dW.f": "∇W^xf", "dW.o": "∇W^xo",
        "dU.a": "∇W^hc", "dU.i": "∇W^hi", "dU.f": "∇W^hf", "dU.o": "∇W^ho",
        "db.a": "∇W^c_0", "db.i": "∇W^i_0", "db.f": "∇W^f_0", "db.o": "∇W^o_0",
        "dW": "∇W", "dU": "∇U", "db": "∇b", "dV": "∇W^y", "dc": "∇W^y_0",
        "W.a'": "W^xc", "W.i'": "W^xi", "W.f'": "W^xf", "W.o'": "W^xo",
        "U.a'": "W^hc", "U.i'": "W^hi", "U.f'": "W^hf", "U.o'": "W^ho",
        "b.a'": "W^c_0", "b.i'": "W^i_0", "b.f'": "W^f_0", "b.o'": "W^o_0",
        "V'": "W^y", "c'": "W^y_0", "grad": "∇",
    ], aliases: [
        "C": "state", "h": "out", "Ctilde": "a", "C~": "a", "grad_y": "dy", "grad_h": "delta_out", "grad_C": "delta_state",
        "grad_i": "delta_post_i", "grad_f": "delta_post_f", "grad_o": "delta_post_o", "grad_Ctilde": "delta_post_a",
    ])

    /// Seed 003's notation (after Arun Mallya's "LSTM forward and backward pass"): c, h, and a
    /// hat on the pre-activation, so δâ is the published δa and δa the gradient after the
    /// activation; Δout_{t−1}'s gate terms are h_{t−1}^{a_t}, … as the question writes them.
    /// Its stacked vectors: I_t = [x_t; h_{t−1}], z_t = [â_t; î_t; f̂_t; ô_t], δz_t (the published
    /// δgates_t) and δI_t = [δx_t; Δh_{t−1}].
    public static let hat = Notation(name: "hat", labels: [
        "state": "c", "out": "h", "Delta": "Δh", "Delta_out": "Δh^next", "delta_out": "δh", "delta_state": "δc",
        "delta_state_from_out": "δc^h", "delta_state_from_next": "δc^next",
        "delta_post_a": "δa", "delta_post_i": "δi", "delta_post_f": "δf", "delta_post_o": "δo",
        "delta_a": "δâ", "delta_i": "δî", "delta_f": "δf̂", "delta_o": "δô",
        "Delta_out.a": "h^a", "Delta_out.i": "h^i", "Delta_out.f": "h^f", "Delta_out.o": "h^o",
        "z": "z", "I": "I", "delta_gates": "δz", "delta_I": "δI",
    ], aliases: ["c": "state", "h": "out", "delta_h": "delta_out", "delta_c": "delta_state", "delta_z": "delta_gates"])

    /// Whether the notation writes `symbol` (it has a label for it): the report prints the
    /// stacked views (δgates_t; z_t, I_t, δI_t) only in a notation that uses them.
    public func uses(_ symbol: Symbol) -> Bool { labels[symbol.base] != nil }

    /// The symbol a notation puts before a gradient (δ, or ∇).
    public var gradientSymbol: String { labels["grad"] ?? "δ" }

    /// The label of a canonical base: an override, or `delta_x` → `δx`, `Delta_out` → `Δout`,
    /// `dW.a` → `δW_a`, `W.a'` → `W_a`.
    public func label(_ base: String) -> String {
        if let l = labels[base] { return l }
        if base == Symbol.learningRate.base { return "λ" }
        var s = base
        if s.hasSuffix("'") { s.removeLast() }
        if s.hasPrefix("delta_") {
            s = "δ" + s.dropFirst(6)
        } else if s.hasPrefix("Delta_") {
            s = "Δ" + s.dropFirst(6)
        } else if s == "Delta" {
            s = "Δ"
        } else if s.hasPrefix("d"), let second = s.dropFirst().first, second.isUppercase || second == "b" || second == "c" || second == "p" {
            s = "δ" + s.dropFirst()
        }
        return s.replacingDots()
    }

    /// How this notation writes a name: `δstate_1`, `W_a` (after the update too), `Δout^a_0`.
    /// A parameter block is labelled as the notation writes its update (`W^xc` in colah's).
    public func label(_ name: QuantityName) -> String {
        var base = name.base
        if name.updated || (name.t == nil && labels[base] == nil && labels[base + "'"] != nil) { base += "'" }
        let l = label(base)
        let timed = name.t.map { "\(l)_\($0)" } ?? l
        return name.hasPlace ? timed + "@" + name.place : timed
    }

    /// The quantity `name` with its label in this notation.
    public func quantity(_ name: QuantityName, _ value: Value, note: String? = nil) -> Quantity {
        Quantity(name: name, label: label(name), value: value, note: note)
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
    /// Every value of the pass by name, when the report carries the work (the operands of
    /// each equation), and the notation that labels them.
    public var values: Trace? = nil
    public var notation: Notation = .published
    /// Every equation of the pass in evaluation order (with the work), printed or not: `check`
    /// replays them.
    public var equations: [Equation] = []
    /// The spec's layout blocks that are one canonical block each (with the work): the names
    /// `check` suggests for a layout's spelling.
    public var layoutBlocks: [LayoutBlockName] = []
    /// The parameters the report ends with, by canonical block name: after the update (or
    /// after `--steps N`); what `--write-updated` writes.
    public var finalParameters: Trace? = nil
    /// The unrolled network the solution page draws (a single pass's report has it).
    public var unrolled: UnrolledNetwork? = nil
    /// The optimizer's state the report ends with (with an optimizer); `--write-updated`
    /// writes it, so that training continues where it stopped.
    public var finalOptimizerState: OptimizerState? = nil

    public init(header: [String], sections: [Section], notes: [String] = []) {
        self.header = header
        self.sections = sections
        self.notes = notes
    }

    /// Every quantity once, by canonical key, first occurrence first.
    public var uniqueQuantities: [Quantity] {
        var seen = Set<QuantityName>()
        var out: [Quantity] = []
        for s in sections {
            for q in s.quantities where seen.insert(q.name).inserted { out.append(q) }
        }
        return out
    }

    public func quantity(_ name: QuantityName) -> Quantity? {
        for s in sections {
            if let q = s.quantities.first(where: { $0.name == name }) { return q }
        }
        return nil
    }
}

extension Notation {
    /// The notations a spec can name with `"notation"`.
    public static let builtIn: [Notation] = [.published, .colah, .hat]
}
