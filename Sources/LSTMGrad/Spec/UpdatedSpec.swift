/// `run --write-updated`: the spec once more, with the SGD-updated parameters written in the
/// layout the spec used (per-gate, seed 000, concatenated, stacked, PyTorch, Keras) and the
/// updated head; every other field is copied as written (numbers keep their literals).
public enum UpdatedSpec {
    /// The updated spec as JSON text; nil when the spec has no parsed document or is not an LSTM.
    public static func json(_ spec: Spec) -> String? {
        guard let root = spec.root, let members = root.members, case .lstm(let problem) = spec.model else { return nil }
        let pass = Pass(problem)
        let layout = spec.lstmLayout ?? .perGate(candidate: "a")
        var out = "{\n"
        for (k, m) in members.enumerated() {
            out += "  " + quoted(m.key) + ": "
            switch m.key {
            case "weights":
                out += weights(layout, updated: pass.updated, gradients: pass.gradients.parameters, learningRate: problem.learningRate)
            case "head":
                out += head(m.value, updated: pass.updatedHead)
            default:
                out += node(m.value, indent: "  ")
            }
            out += k == members.count - 1 ? "\n" : ",\n"
        }
        return out + "}\n"
    }

    static func weights(_ layout: LSTMLayout, updated p: LSTMParameters, gradients g: LSTMParameters, learningRate: Double) -> String {
        var fields: [(String, String)] = []
        let blocks = layout.updatedBlocks(updated: p, gradients: g, learningRate: learningRate)
        if !blocks.isEmpty {
            // Dotted names (Wx.f, Wz.a) are one object per prefix.
            var groups: [(String, [(String, Value)])] = []
            for (name, value) in blocks {
                let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    if let k = groups.firstIndex(where: { $0.0 == parts[0] }) { groups[k].1.append((parts[1], value)) } else { groups.append((parts[0], [(parts[1], value)])) }
                } else {
                    groups.append((name, [("", value)]))
                }
            }
            for (name, entries) in groups {
                if entries.count == 1 && entries[0].0.isEmpty {
                    fields.append((name, value(entries[0].1, indent: "    ")))
                } else {
                    fields.append((name, "{" + entries.map { quoted($0.0) + ": " + value($0.1, indent: "    ") }.joined(separator: ", ") + "}"))
                }
            }
            if case .concatenated(let hFirst, let c) = layout {
                fields.insert(("z", quoted(hFirst ? "hx" : "xh")), at: 0)
                let gates: [(String, LSTMGate)] = [("f", .f), ("i", .i), (c, .a), ("o", .o)]
                fields.append(("b", "{" + gates.map { quoted($0.0) + ": " + value(.vector(p.b[$0.1]), indent: "") }.joined(separator: ", ") + "}"))
            }
            if case .stacked(_, let spelling) = layout {
                fields.insert(("order", quoted(spelling.joined())), at: 0)
            }
        } else {
            for block in [Symbol.W, .U, .b] {
                let gates = LSTMGate.allCases.map { g in quoted(g.rawValue) + ": " + value(p.value(of: QuantityName(block, g.rawValue)), indent: "    ") }
                fields.append((block.base, "{" + gates.joined(separator: ", ") + "}"))
            }
        }
        return "{\n" + fields.map { "    " + quoted($0.0) + ": " + $0.1 }.joined(separator: ",\n") + "\n  }"
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
        case .number(_, let literal): return literal
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map { node($0, indent: indent) }.joined(separator: ", ") + "]"
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
