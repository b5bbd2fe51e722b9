/// Decodes a network spec: the layers and directions from the weights (PyTorch's state-dict keys
/// `_l0`, `_l1`, …, `_reverse`, or `"layers": [...]` in a per-gate layout), a batch of sequences
/// (`"inputs"` B×T×X, labels B×T×K or B×T class indices, h0/c0 as layers·directions × B × H).
/// Each layer's and direction's weights go through the cell model's own decoder.
public enum NetworkDecoder {
    /// Whether the spec is a network: more than one layer, two directions, or a batch.
    static func isNetwork(_ fields: SpecReader.Fields) -> Bool {
        if let members = fields["weights"]?.members {
            if members.contains(where: { $0.key == "layers" }) { return true }
            if members.contains(where: { StateDictKey($0.key).map { $0.layer > 0 || $0.reverse } ?? false }) { return true }
        }
        return isBatch(fields["inputs"])
    }

    /// `"inputs"` written as B×T×X (its first entry is a list of vectors).
    static func isBatch(_ node: JSONNode?) -> Bool {
        guard let first = node?.array?.first?.array?.first else { return false }
        return first.array != nil
    }

    /// One layer's and direction's weights, decoded by the cell model for input size X.
    /// The layout is the spec's own (nil: per gate), for the gradients' and updates' names and
    /// `--write-updated`.
    public typealias LayerDecoder<P: ParameterSet> = (_ node: JSONNode, _ path: JSONPath, _ inputSize: Int) -> (P, UpdateRule, (any ParameterLayout<P>)?)?

    /// The network problem; nil after reporting every error to `reader`.
    public static func decode<C: Cell>(_ c: SpecDecoder.ModelContext, as _: C.Type, hasState: Bool, reader: SpecReader,
                                       weights decodeLayer: LayerDecoder<C.Parameters>) -> NetworkProblem<C>? {
        let fields = c.fields
        guard let batch = decodeBatch(fields, reader: reader) else { return nil }
        let X = batch[0][0].count, T = batch[0].count, B = batch.count
        guard let wNode = reader.require(fields, "weights", meaning: "the network's parameters") else { return nil }
        guard let groups = layerGroups(wNode, .root / "weights", reader: reader) else { return nil }
        // Layer by layer: layer k+1's input size is D·H of layer k.
        var cells: [[C]] = []
        var layouts: [[(any ParameterLayout<C.Parameters>)?]] = []
        var update = UpdateRule.sgd
        var inputSize = X
        reader.note(SpecReader.Size("X", X, "input size", from: .root / "inputs" / 0 / 0))
        for (l, layer) in groups.enumerated() {
            var row: [C] = []
            var rowLayouts: [(any ParameterLayout<C.Parameters>)?] = []
            if l > 0 {
                // Layer l reads layer l−1's outputs, both directions: D·H wide.
                reader.note(SpecReader.Size("X", inputSize, "layer \(l)'s input size (directions·H of layer \(l - 1))", from: nil))
            }
            for (node, path, keys) in layer {
                let start = reader.diagnostics.count
                let decoded = decodeLayer(node, path, inputSize)
                reader.renamePaths(since: start, keys)
                guard let (p, rule, layout) = decoded else { return nil }
                row.append(C(parameters: p))
                rowLayouts.append(layout)
                update = rule
            }
            let H = row[0].hiddenSize
            if let bad = row.first(where: { $0.hiddenSize != H }) {
                reader.fail(.invalidValue(expected: "hidden size H = \(H) in both directions of layer \(l)", found: "H = \(bad.hiddenSize)"), wNode, .root / "weights")
                return nil
            }
            if l > 0 && H != cells[0][0].hiddenSize {
                reader.fail(.invalidValue(expected: "hidden size H = \(cells[0][0].hiddenSize) in every layer", found: "H = \(H) in layer \(l)"), wNode, .root / "weights")
                return nil
            }
            cells.append(row)
            layouts.append(rowLayouts)
            inputSize = row.count * H
        }
        let H = cells[0][0].hiddenSize, D = cells[0].count, L = cells.count
        let initial = decodeInitial(fields, layers: L, directions: D, sequences: B, hidden: H, hasState: hasState, reader: reader)
        guard let head = SpecDecoder.decodeHead(fields, hidden: D * H, reader: reader) else { return nil }
        let (loss, _) = SpecDecoder.decodeLoss(fields, head: head, hidden: D * H, steps: T, withTargets: false, reader: reader)
        guard let loss else { return nil }
        // Labels (or given gradients) per sequence: B×T×K, or B×T class indices.
        let key = loss.kind == .upstream ? "gradients" : "labels"
        var targets: [Targets] = []
        if let node = fields[key] {
            // Written per sequence exactly when the inputs are (B×T×X).
            let perSequence: [JSONNode]
            if !isBatch(fields["inputs"]) {
                perSequence = [node]
            } else {
                guard let items = reader.array(node, .root / key, what: "one entry per sequence (B×T…)") else { return nil }
                guard items.count == B else {
                    reader.fail(.wrongLength(expected: B, found: items.count, what: key, meaning: "one per sequence, B = \(B) from inputs"), node, .root / key)
                    return nil
                }
                perSequence = items
            }
            for item in perSequence {
                var f = SpecReader.Fields(node: fields.node, path: fields.path)
                f.members[key] = JSONMember(key: key, keyOffset: item.offset, value: item)
                guard let t = SpecDecoder.decodeTargets(f, loss: loss, outputs: head.parameters?.V.rows, hidden: D * H, steps: T, reader: reader) else { return nil }
                targets.append(t)
            }
        } else {
            _ = reader.require(fields, key, meaning: "one entry per sequence and timestep")
            return nil
        }
        guard let initial, !reader.hasErrors else { return nil }
        var p = NetworkProblem(cells: cells, head: head, loss: loss, inputs: batch, targets: targets, initial: initial, learningRate: c.learningRate)
        p.update = update
        p.layouts = layouts
        return p
    }

    /// B×T×X, or one sequence T×X (B = 1).
    static func decodeBatch(_ fields: SpecReader.Fields, reader: SpecReader) -> [[Vector]]? {
        guard let node = fields["inputs"], isBatch(node) else {
            return SpecDecoder.decodeInputs(fields, reader: reader).map { [$0] }
        }
        let path = JSONPath.root / "inputs"
        guard let items = reader.array(node, path, what: "B sequences of T input vectors") else { return nil }
        var out: [[Vector]] = []
        var T: Int?, X: Int?
        for (b, item) in items.enumerated() {
            guard let steps = reader.array(item, path / b, what: "a sequence: T input vectors") else { continue }
            if T == nil { T = steps.count }
            guard steps.count == T, !steps.isEmpty else {
                reader.fail(.wrongLength(expected: T ?? 1, found: steps.count, what: "input vectors", meaning: "T = \(T ?? 1) timesteps, from inputs[0]"), item, path / b)
                continue
            }
            if X == nil { X = reader.entryCount(steps[0], path / b / 0, meaning: "input size") }
            guard let X else { return nil }
            var seq: [Vector] = []
            for (t, s) in steps.enumerated() {
                if let v = reader.vector(s, path / b / t, count: X, meaning: "input size X = \(X), from inputs[0][0]") { seq.append(v) }
            }
            if seq.count == steps.count { out.append(seq) }
        }
        return out.count == items.count && !out.isEmpty ? out : nil
    }

    /// The weights of each layer and direction: `[layer][direction]` with their JSON places.
    /// Each group also maps the one-layer key names its members were renamed to back to the
    /// spec's own (`weight_ih_l0` → `weight_ih_l1_reverse`), for the places of its errors.
    static func layerGroups(_ node: JSONNode, _ path: JSONPath, reader: SpecReader) -> [[(JSONNode, JSONPath, [String: String])]]? {
        guard let members = node.members else {
            reader.fail(.wrongType(expected: "an object (the weights)", found: node.kindDescription), node, path)
            return nil
        }
        if let layers = members.first(where: { $0.key == "layers" }) {
            if members.count > 1 {
                reader.fail(.conflict("with \"layers\" every weight goes in a layer's entry"), node, path)
                return nil
            }
            guard let items = reader.array(layers.value, path / "layers", what: "one entry per layer") else { return nil }
            guard !items.isEmpty else {
                reader.fail(.invalidValue(expected: "at least one layer", found: "an empty array"), layers.value, path / "layers")
                return nil
            }
            var out: [[(JSONNode, JSONPath, [String: String])]] = []
            for (l, item) in items.enumerated() {
                let p = path / "layers" / l
                if let m = item.members, m.contains(where: { $0.key == "forward" || $0.key == "reverse" }) {
                    guard let f = reader.object(item, p, allowed: ["forward", "reverse"]),
                          let fw = reader.require(f, "forward", meaning: "the forward direction's weights"),
                          let rv = reader.require(f, "reverse", meaning: "the reverse direction's weights") else { return nil }
                    out.append([(fw, p / "forward", [:]), (rv, p / "reverse", [:])])
                } else {
                    out.append([(item, p, [:])])
                }
            }
            if let bad = out.firstIndex(where: { $0.count != out[0].count }) {
                reader.fail(.invalidValue(expected: "\(out[0].count) direction(s), as layer 0", found: "\(out[bad].count)"), items[bad], path / "layers" / bad)
                return nil
            }
            return out
        }
        // A state dict: group the keys by layer and direction; other keys (activation,
        // convention) go to every group.
        var groups: [Int: [Bool: [JSONMember]]] = [:]
        var shared: [JSONMember] = []
        for m in members {
            if let key = StateDictKey(m.key) {
                var renamed = m
                renamed.key = StateDictKey(key.block, layer: 0, reverse: false).name
                groups[key.layer, default: [:]][key.reverse, default: []].append(renamed)
            } else {
                shared.append(m)
            }
        }
        let L = (groups.keys.max() ?? -1) + 1
        // One layer, one direction in the cell's own layout (a batch of sequences).
        guard L > 0 else { return [[(node, path, [:])]] }
        let bidirectional = groups[0]?[true] != nil
        var out: [[(JSONNode, JSONPath, [String: String])]] = []
        for l in 0..<L {
            var row: [(JSONNode, JSONPath, [String: String])] = []
            for reverse in bidirectional ? [false, true] : [false] {
                guard let ms = groups[l]?[reverse] else {
                    reader.fail(.missing(field: StateDictKey(.weightIH, layer: l, reverse: reverse).name,
                                         meaning: "layer \(l)\(reverse ? ", reverse direction" : ""): every layer has the same directions"), node, path)
                    return nil
                }
                // Every layer and direction needs its two weight matrices (the biases are optional).
                for block in [StateDictKey.Block.weightIH, .weightHH] where !ms.contains(where: { StateDictKey($0.key)?.block == block }) {
                    reader.fail(.missing(field: StateDictKey(block, layer: l, reverse: reverse).name,
                                         meaning: "layer \(l)\(reverse ? ", reverse direction" : "")'s \(block == .weightIH ? "input" : "recurrent") weights"), node, path)
                    return nil
                }
                var keys: [String: String] = [:]
                for block in StateDictKey.Block.allCases {
                    keys[StateDictKey(block, layer: 0, reverse: false).name] = StateDictKey(block, layer: l, reverse: reverse).name
                }
                row.append((JSONNode(.object(ms + shared), offset: node.offset), path, keys))
            }
            if !bidirectional, groups[l]?[true] != nil {
                reader.fail(.conflict("layer \(l) has _reverse weights but layer 0 has none"), node, path)
                return nil
            }
            out.append(row)
        }
        return out
    }

    /// h0 (and c0) as PyTorch shapes them: layers·directions × B × H; zeros when absent.
    static func decodeInitial(_ fields: SpecReader.Fields, layers L: Int, directions D: Int, sequences B: Int, hidden H: Int,
                              hasState: Bool, reader: SpecReader) -> [[[CellState]]]? {
        var out = [[[CellState]]](repeating: [[CellState]](repeating: [CellState](repeating: CellState(out: Vector(zeros: H), state: hasState ? Vector(zeros: H) : nil), count: B), count: D), count: L)
        guard let node = fields["initial"] else { return out }
        let path = JSONPath.root / "initial"
        guard let f = reader.object(node, path, allowed: hasState ? ["out", "state"] : ["out"]) else { return nil }
        for key in hasState ? ["out", "state"] : ["out"] {
            guard let n = f[key] else { continue }
            guard let slabs = reader.array(n, path / key, what: "layers·directions × B × H (PyTorch's \(key == "out" ? "h0" : "c0"))") else { return nil }
            guard slabs.count == L * D else {
                reader.fail(.wrongLength(expected: L * D, found: slabs.count, what: "entries", meaning: "layers·directions = \(L)·\(D)"), n, path / key)
                return nil
            }
            for (k, slab) in slabs.enumerated() {
                guard let rows = reader.array(slab, path / key / k, what: "B × H") else { return nil }
                guard rows.count == B else {
                    reader.fail(.wrongLength(expected: B, found: rows.count, what: "entries", meaning: "one per sequence, B = \(B)"), slab, path / key / k)
                    return nil
                }
                for (b, row) in rows.enumerated() {
                    guard let v = reader.vector(row, path / key / k / b, count: H, meaning: "hidden size H = \(H)") else { return nil }
                    if key == "out" { out[k / D][k % D][b].out = v } else { out[k / D][k % D][b].state = v }
                }
            }
        }
        return out
    }
}
