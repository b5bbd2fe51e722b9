/// `"model": "lstm"` whose per-gate weights carry `"peepholes": {"i": […], "f": […], "o": […]}`
/// (H each) beside W, U and b: the peephole LSTM. Without `peepholes` the spec is the plain
/// LSTM (`LSTMModel`).
public struct PeepholeLSTMModel: CellModel {
    public init() {}

    public var name: String { "lstm" }

    public func accepts(weights: JSONNode?) -> Bool { weights?.members?.contains { $0.key == "peepholes" } ?? false }

    public func decode(_ c: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        let path = JSONPath.root / "weights"
        guard let node = reader.require(c.fields, "weights", meaning: "the cell's parameters"),
              let f = reader.object(node, path, allowed: LSTMLayouts.blocks + ["peepholes"],
                                    what: "per-gate weights W, U, b and the peepholes (the peephole LSTM takes the per-gate layout)") else { return nil }
        let lstm = LSTMLayouts.decodePerGate(f, node, path, inputSize: c.inputSize, reader: reader)
        var weights: PeepholeLSTMParameters?
        if let lstm, let p = f["peepholes"] {
            let pp = path / "peepholes"
            let H = lstm.hiddenSize
            if let pf = reader.object(p, pp, allowed: PeepholeLSTMParameters.gates.map(\.rawValue),
                                      what: "an object with the peephole weights i, f and o") {
                var vectors: [LSTMGate: Vector] = [:]
                for g in PeepholeLSTMParameters.gates {
                    guard let n = reader.require(pf, g.rawValue, meaning: "p_\(g.rawValue), H = \(H) numbers") else { continue }
                    vectors[g] = reader.vector(n, pp / g.rawValue, count: H, meaning: "hidden size H = \(H)")
                }
                if let i = vectors[.i], let fv = vectors[.f], let o = vectors[.o] {
                    weights = PeepholeLSTMParameters(lstm: lstm, i: i, f: fv, o: o)
                }
            }
        }
        var problem = SpecDecoder.decodeProblem(c, weights: weights, as: PeepholeLSTMCell.self, hasState: true, reader: reader)
        problem?.layout = PeepholeLayout()
        return problem
    }

    public var template: SpecTemplate.ModelTemplate {
        SpecTemplate.ModelTemplate(name: name, layouts: ["peephole"], hasState: true,
                                   parameterCount: { _, X, H in 4 * (H * X + H * H + H) + 3 * H }) { _, X, H, draw in
            // The per-gate layout, then p_i, p_f, p_o.
            var members = SpecTemplate.perGate(gates: LSTMGate.allCases.map(\.rawValue), X: X, H: H, draw: &draw)
            members.append(("peepholes", "{" + PeepholeLSTMParameters.gates.map { "\"\($0.rawValue)\": \(draw.vector(H))" }.joined(separator: ", ") + "}"))
            return members
        }
    }
}
