/// `run --write-updated`: the spec once more, with the SGD-updated parameters written in the
/// layout the spec used (per-gate, seed 000, concatenated, stacked, PyTorch, Keras) and the
/// updated head; every other field is copied as written (numbers keep their literals).
public enum UpdatedSpec {
    /// The spec with `parameters` (canonical block names: `W.a`, `V`, …; the parameters after the
    /// update, or after `--steps N`) as JSON text, for any cell; nil when the spec has no parsed
    /// document.
    /// With `state`, the optimizer's `"state"` is written after the step (a rerun continues the
    /// same training exactly).
    public static func json(_ spec: Spec, parameters: Trace, state: OptimizerState? = nil) -> String? {
        guard let root = spec.root, let members = root.members else { return nil }
        let weights = spec.visit(WrittenWeights(parameters: parameters, original: members.first { $0.key == "weights" }?.value))
        var out = "{\n"
        for (k, m) in members.enumerated() {
            out += "  " + quoted(m.key) + ": "
            switch m.key {
            case "weights":
                out += object(merging: weights.members, into: m.value, fields: weights.fields)
            case "head":
                out += head(m.value, updated: weights.head)
            case "optimizer" where state != nil:
                out += optimizer(m.value, state: state!, shapes: parameters)
            default:
                out += node(m.value, indent: "  ")
            }
            out += k == members.count - 1 ? "\n" : ",\n"
        }
        return out + "}\n"
    }

    /// The weights object's members as the spec spells them (the layout's names, or the
    /// canonical ones), read from canonical values; and the head's parameters.
    struct WrittenWeights: ProblemVisitor {
        typealias Failure = Never
        typealias Result = (members: [(String, String)], fields: [(String, String)], head: HeadParameters?)
        var parameters: Trace
        /// The spec's weights object (a network's `"layers"` are written back entry by entry).
        var original: JSONNode?

        func visit<C: Cell>(_ problem: Problem<C>) -> Result {
            let p = problem.cell.parameters.reading(parameters)
            let head = problem.head.parameters?.reading(parameters)
            if let layout = problem.layout { return (weightMembers(trained(layout).writtenBlocks(p)), layout.writtenFields, head) }
            return (weightMembers(p.blockNames.map { ($0.description, p.value(of: $0)) }), [], head)
        }

        /// The layout holding its copies as trained (a state dict's `bias_ih_l0` and
        /// `bias_hh_l0`, each after its own steps), found in `parameters` by their names at
        /// their place (`spell`).
        func trained<P>(_ layout: any ParameterLayout<P>, spell: (String) -> String = { $0 }) -> any ParameterLayout<P> {
            var copies: [String: Value] = [:]
            for name in layout.copies.keys { if let v = parameters[ReportBuilder.layoutName(spell(name))] { copies[name] = v } }
            return layout.holding(copies)
        }

        /// A network: each layer's and direction's blocks in its own layout, the state dict's
        /// keys at their layer and direction (`weight_hh_l1_reverse`), or one `"layers"` entry
        /// per layer (`{"forward", "reverse"}` when bidirectional).
        func visit<C: Cell>(network problem: NetworkProblem<C>) -> Result {
            let n = problem.names
            let head = problem.head.parameters?.reading(parameters)
            func written(_ l: Int, _ d: Int) -> [(name: String, value: Value)] {
                let p = problem.cells[l][d].parameters.reading(parameters) { n.cell($0, layer: l, reverse: d == 1, sequence: nil) }
                if let layout = problem.layouts[l][d] {
                    return trained(layout) { StateDictKey($0).map { StateDictKey($0.block, layer: l, reverse: d == 1).name } ?? $0 }.writtenBlocks(p)
                }
                return p.blockNames.map { ($0.description, p.value(of: $0)) }
            }
            let directions = (0..<problem.directions)
            if let layers = original?.members?.first(where: { $0.key == "layers" })?.value.array {
                let entries = problem.cells.indices.map { l -> String in
                    let node = layers[l]
                    if problem.directions == 1 { return "    " + object(merging: weightMembers(written(l, 0)), into: node, fields: []) }
                    let parts = directions.map { d -> String in
                        let key = d == 1 ? "reverse" : "forward"
                        return quoted(key) + ": " + object(merging: weightMembers(written(l, d)), into: node.members?.first { $0.key == key }?.value, fields: [])
                    }
                    return "    {" + parts.joined(separator: ",\n     ") + "}"
                }
                return ([("layers", "[\n" + entries.joined(separator: ",\n") + "\n  ]")], [], head)
            }
            var blocks: [(name: String, value: Value)] = []
            for l in problem.cells.indices {
                for d in directions {
                    blocks += written(l, d).map { b in
                        (StateDictKey(b.name).map { StateDictKey($0.block, layer: l, reverse: d == 1).name } ?? b.name, b.value)
                    }
                }
            }
            return (weightMembers(blocks), [], head)
        }
    }

    /// A weights object's members: dotted names (`Wx.f`, `W.a`) grouped into one object per
    /// prefix, in first-seen order; each member's JSON text.
    public static func weightMembers(_ blocks: [(name: String, value: Value)]) -> [(String, String)] {
        var groups: [(String, [(String, Value)])] = []
        for (name, value) in blocks {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                if let k = groups.firstIndex(where: { $0.0 == parts[0] }) { groups[k].1.append((parts[1], value)) } else { groups.append((parts[0], [(parts[1], value)])) }
            } else {
                groups.append((name, [("", value)]))
            }
        }
        return groups.map { name, entries in
            if entries.count == 1 && entries[0].0.isEmpty { return (name, value(entries[0].1, indent: "    ")) }
            return (name, "{" + entries.map { quoted($0.0) + ": " + value($0.1, indent: "    ") }.joined(separator: ", ") + "}")
        }
    }

    /// The weights object with `members` written in place of the same-named members of
    /// `original` (other members, such as the activation or the gate order, kept as written),
    /// and those it did not have appended. Without an original: `fields`, then `members`.
    static func object(merging members: [(String, String)], into original: JSONNode?, fields: [(String, String)]) -> String {
        var out: [(String, String)] = []
        if let existing = original?.members {
            for m in existing {
                out.append((m.key, members.first { $0.0 == m.key }?.1 ?? node(m.value, indent: "    ")))
            }
            for m in members where !existing.contains(where: { $0.key == m.0 }) { out.append(m) }
        } else {
            out = fields + members
        }
        return "{\n" + out.map { "    " + quoted($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n  }"
    }

    /// The optimizer object as written, its `"state"` replaced by `state`: the step, then each
    /// buffer as an object of canonical block names, each shaped as its block.
    static func optimizer(_ n: JSONNode, state: OptimizerState, shapes: Trace) -> String {
        var parts = (n.members ?? []).filter { $0.key != "state" }.map { quoted($0.key) + ": " + node($0.value, indent: "    ") }
        var s = "{\n      " + quoted("step") + ": \(state.step)"
        let order = state.buffers.values.flatMap(\.keys).reduce(into: [OptimizerState.Buffer]()) { if !$0.contains($1) { $0.append($1) } }.sorted()
        for buffer in order {
            let entries = state.blocks.compactMap { b -> String? in
                guard let numbers = state.buffers[b]?[buffer] else { return nil }
                return "        " + quoted(b.description) + ": " + value(shapes.value(b).replacingNumbers(numbers), indent: "        ")
            }
            s += ",\n      " + quoted(buffer.rawValue) + ": {\n" + entries.joined(separator: ",\n") + "\n      }"
        }
        parts.append(quoted("state") + ": " + s + "\n    }")
        return "{\n    " + parts.joined(separator: ",\n    ") + "\n  }"
    }

    static func head(_ n: JSONNode, updated: HeadParameters?) -> String {
        guard let members = n.members, let h = updated else { return node(n, indent: "  ") }
        var parts: [String] = []
        for m in members {
            switch m.key {
            case "V": parts.append(quoted("V") + ": " + value(.matrix(h.V), indent: "  "))
            case "c": parts.append(quoted("c") + ": " + value(.vector(h.c), indent: "    "))
            default: parts.append(quoted(m.key) + ": " + node(m.value, indent: "    "))
            }
        }
        if !members.contains(where: { $0.key == "c" }) { parts.append(quoted("c") + ": " + value(.vector(h.c), indent: "    ")) }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A value as JSON: a matrix as a list of rows, one per line when there are several.
    static func value(_ v: Value, indent: String) -> String {
        switch v {
        case .scalar(let x): return shortest(x)
        case .vector(let x): return "[" + x.values.map(shortest).joined(separator: ", ") + "]"
        case .matrix(let m):
            let rows = m.rowArrays.map { "[" + $0.map(shortest).joined(separator: ", ") + "]" }
            return rows.count == 1 ? "[" + rows[0] + "]" : "[\n" + rows.map { indent + "  " + $0 }.joined(separator: ",\n") + "\n" + indent + "]"
        }
    }

    /// A parsed node written back compactly, numbers with their original literals.
    static func node(_ n: JSONNode, indent: String) -> String {
        switch n.value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        // Numbers read from a tensor file have no literal: their shortest exact form.
        case .number(let v, let literal): return literal.isEmpty ? shortest(v) : literal
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map { node($0, indent: indent) }.joined(separator: ", ") + "]"
        case .tensor: return "[" + (n.array ?? []).map { node($0, indent: indent) }.joined(separator: ", ") + "]"
        case .numbers(let p): return "[" + p.literals.joined(separator: ", ") + "]"
        case .object(let members): return "{" + members.map { quoted($0.key) + ": " + node($0.value, indent: indent) }.joined(separator: ", ") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
