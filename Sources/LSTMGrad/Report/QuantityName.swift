/// The canonical base of a quantity's name: `state`, `delta_a`, `Delta_out`, `dW`, `W`, `x`.
/// Cells, heads and layouts declare the symbols they use as static constants (one home per
/// symbol); the spelling is the canonical key that JSON output, CSV and answers files use.
public struct Symbol: Hashable, Sendable, CustomStringConvertible {
    public let base: String

    public init(_ base: String) { self.base = base }

    public var description: String { base }
}

/// The typed name of every value the tool can print or read back: a symbol, the gate or block
/// it belongs to, the timestep, and whether it is the parameter after the update. Printed and
/// parsed in one place (`description`, `init?(parsing:)`); everything else compares values.
///
/// Canonical spelling: `symbol[.component][@place][[t]]['][…]`, e.g. `state[1]`, `Delta_out.a[-1]`,
/// `dW.a`, `W.a'`; a comparison view is prefixed (`full.dW.a`, `gap.dW.a`). In a network (layers,
/// directions, a batch) the place says where: `out@l1.reverse[3]`, `dW.a@l0.b2`, `x@b1[0]`; a
/// one-layer, one-direction, one-sequence problem has no place, as before.
public struct QuantityName: Hashable, Sendable, CustomStringConvertible {
    /// A second view of a quantity that the report prints beside it.
    public enum View: String, Hashable, Sendable, CaseIterable {
        /// The full gradient beside the truncated one (`--no-recurrent-terms`).
        case full
        /// ‖truncated − full‖ of a block.
        case gap
        /// An optimizer's state for a block, named as torch.optim names it (`exp_avg.W.a`).
        case momentumBuffer = "momentum_buffer", sum, squareAvg = "square_avg", gradAvg = "grad_avg"
        case expAvg = "exp_avg", expAvgSq = "exp_avg_sq", maxExpAvgSq = "max_exp_avg_sq"
    }

    public var symbol: Symbol
    /// The gate or block (`a`, `i`, `f`, `o`, `r`, `z`, `n`), if the symbol is per gate.
    public var component: String?
    public var t: Int?
    /// The parameter after the update (`W.a'`).
    public var updated: Bool
    public var view: View?
    /// The layer of a stacked network (`l0`, `l1`, …), nil outside a network.
    public var layer: Int?
    /// The backward-running direction of a bidirectional layer.
    public var reverse: Bool = false
    /// The sequence of a batch (`b0`, `b1`, …), nil for one sequence or a batch total.
    public var sequence: Int?

    public init(_ symbol: Symbol, _ component: String? = nil, t: Int? = nil, updated: Bool = false, view: View? = nil,
                layer: Int? = nil, reverse: Bool = false, sequence: Int? = nil) {
        self.symbol = symbol
        self.component = component
        self.t = t
        self.updated = updated
        self.view = view
        self.layer = layer
        self.reverse = reverse
        self.sequence = sequence
    }

    /// Where the quantity lives in a network: `l1.reverse.b2`; empty outside one.
    public var place: String {
        var parts: [String] = []
        if let layer { parts.append("l\(layer)") }
        if reverse { parts.append("reverse") }
        if let sequence { parts.append("b\(sequence)") }
        return parts.joined(separator: ".")
    }

    /// Whether the name has a place in a network (layer, direction or sequence).
    public var hasPlace: Bool { layer != nil || reverse || sequence != nil }

    /// The same name at another place (layer, direction, sequence).
    public func placed(layer: Int?, reverse: Bool, sequence: Int?) -> QuantityName {
        var n = self
        n.layer = layer
        n.reverse = reverse
        n.sequence = sequence
        return n
    }

    /// The symbol and component, without timestep or marks: `dW.a`, `delta_state`.
    public var base: String { component.map { symbol.base + "." + $0 } ?? symbol.base }

    /// The canonical key.
    public var description: String {
        var s = view.map { $0.rawValue + "." } ?? ""
        s += base
        if hasPlace { s += "@" + place }
        if let t { s += "[\(t)]" }
        if updated { s += "'" }
        return s
    }

    /// Reads a canonical key back (`delta_state[1]`, `W.a'`, `full.dU.o`); nil for text that is
    /// not one.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var view: View?
        for v in View.allCases where rest.hasPrefix(v.rawValue + ".") {
            view = v
            rest = rest.dropFirst(v.rawValue.count + 1)
        }
        var updated = false
        if rest.hasSuffix("'") {
            updated = true
            rest = rest.dropLast()
        }
        var t: Int?
        if rest.hasSuffix("]"), let open = rest.lastIndex(of: "[") {
            guard let value = Int(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]) else { return nil }
            t = value
            rest = rest[..<open]
        }
        var layer: Int?, reverse = false, sequence: Int?
        if let at = rest.firstIndex(of: "@") {
            let parts = rest[rest.index(after: at)...].split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty else { return nil }
            for part in parts {
                if part == "reverse", !reverse, sequence == nil {
                    reverse = true
                } else if part.hasPrefix("l"), layer == nil, !reverse, sequence == nil, let k = Int(part.dropFirst()), k >= 0 {
                    layer = k
                } else if part.hasPrefix("b"), sequence == nil, let k = Int(part.dropFirst()), k >= 0 {
                    sequence = k
                } else {
                    return nil
                }
            }
            rest = rest[..<at]
        }
        guard !rest.isEmpty, !rest.contains("["), !rest.contains("]"), !rest.contains("'"), !rest.contains("@") else { return nil }
        var component: String?
        if let dot = rest.firstIndex(of: ".") {
            component = String(rest[rest.index(after: dot)...])
            rest = rest[..<dot]
            guard !component!.isEmpty, !rest.isEmpty else { return nil }
        }
        self.init(Symbol(String(rest)), component, t: t, updated: updated, view: view, layer: layer, reverse: reverse, sequence: sequence)
    }

    /// The same name at another timestep.
    public func at(_ t: Int?) -> QuantityName {
        var n = self
        n.t = t
        return n
    }

    /// The name of this parameter after the update.
    public var afterUpdate: QuantityName {
        var n = self
        n.updated = true
        return n
    }

    /// The name without the update mark.
    public var beforeUpdate: QuantityName {
        var n = self
        n.updated = false
        return n
    }

    /// The gradient of a parameter block: `W.a` → `dW.a`.
    public var gradient: QuantityName {
        QuantityName(Symbol("d" + symbol.base), component, t: t, view: view, layer: layer, reverse: reverse, sequence: sequence)
    }

    /// The same name in a comparison view.
    public func inView(_ view: View) -> QuantityName {
        var n = self
        n.view = view
        return n
    }
}

extension QuantityName: Comparable {
    /// Canonical keys in text order (for stable listings).
    public static func < (a: QuantityName, b: QuantityName) -> Bool { a.description < b.description }
}
