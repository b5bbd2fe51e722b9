/// Decoding how a spec trains: `"optimizer"` (torch.optim's class and arguments, and the state
/// it carries between runs), `"clip"` and `"frozen"`. They need the problem's blocks (names,
/// shapes, which blocks the layout stores twice), so they are read after the cell's weights.
extension SpecDecoder {
    public static let trainingKeys = ["optimizer", "clip", "frozen"]

    /// The problem with its training setup, or nil when the setup had errors (reported).
    struct TrainingReader: ProblemVisitor {
        typealias Failure = Never
        var fields: SpecReader.Fields
        var reader: SpecReader

        func visit<C: Cell>(_ problem: Problem<C>) -> (any AnyProblem)? {
            // Without any of the keys the problem trains by plain SGD: nothing to read (and no
            // copy of the parameters to make, which costs a large model's weights once more).
            guard SpecDecoder.trainingKeys.contains(where: fields.has) else { return problem }
            var p = problem
            let errors = reader.diagnostics.count
            let setup = SpecDecoder.decodeTraining(fields, blocks: problem.blockNames, tensors: problem.layout?.tensors(of: problem.cell.parameters) ?? [],
                                                   trained: problem.trainedTensors, doubled: problem.update.doubled, reader: reader)
            guard reader.diagnostics.count == errors else { return nil }
            p.training = setup
            if let o = setup.optimizer { p.learningRate = o.lr }
            return p
        }

        /// A network: the blocks at their place (`W.a@l1.reverse`), the state dict's tensors.
        func visit<C: Cell>(network: NetworkProblem<C>) -> (any AnyProblem)? {
            var p = network
            let errors = reader.diagnostics.count
            let setup = SpecDecoder.decodeTraining(fields, blocks: p.blockNames, tensors: p.stateDictTensors,
                                                   trained: p.trainedTensors, doubled: p.update.doubled, reader: reader)
            guard reader.diagnostics.count == errors else { return nil }
            p.training = setup
            if let o = setup.optimizer { p.learningRate = o.lr }
            return p
        }
    }

    /// `trained`: the tensors an optimizer steps (the canonical blocks, or a state dict's own
    /// tensors, each bias copy apart) with the blocks each holds.
    static func decodeTraining(_ fields: SpecReader.Fields, blocks: [QuantityName],
                               tensors: [(name: String, blocks: Set<QuantityName>)] = [],
                               trained tensorsTrained: [(name: QuantityName, value: Value, blocks: Set<QuantityName>)],
                               doubled: Set<Symbol>, reader: SpecReader) -> TrainingSetup {
        var setup = TrainingSetup()
        let top = JSONPath.root
        if let n = fields["frozen"] {
            setup.frozen = decodeFrozen(n, top / "frozen", blocks: blocks, tensors: tensors, doubled: doubled, reader: reader)
            // A state dict's tensor is trained whole: frozen when all its blocks are, never in part.
            let canonical = Set(blocks)
            for t in tensorsTrained where !canonical.contains(t.name) && !t.blocks.isEmpty {
                let frozen = t.blocks.intersection(setup.frozen)
                if frozen == t.blocks {
                    setup.frozenTensors.insert(t.name)
                } else if !frozen.isEmpty {
                    reader.fail(.conflict("\(frozen.sorted().map(\.description).joined(separator: ", ")) is part of the tensor \(t.name), which the optimizer steps whole (as torch does): freeze \"\(t.name)\" or none of it"),
                                n, top / "frozen")
                }
            }
        }
        if let n = fields["clip"] { setup.clip = decodeClip(n, top / "clip", reader: reader) }
        if let n = fields["optimizer"] {
            if let lr = fields["learning_rate"] {
                reader.fail(.conflict("with \"optimizer\" the learning rate is the optimizer's \"lr\" (torch's name); remove \"learning_rate\""),
                            lr, top / "learning_rate")
            }
            let trained = tensorsTrained.map(\.name).filter { !setup.isFrozen($0) }
            var shapes = Trace()
            for t in tensorsTrained { shapes[t.name] = t.value }
            if let (o, state) = decodeOptimizer(n, top / "optimizer", trained: trained, shapes: shapes, reader: reader) {
                setup.optimizer = o
                setup.state = state
            }
        }
        return setup
    }

    /// `["W.a", "U", "V"]`: canonical block names, a symbol for all its blocks (`U` is U.a,
    /// U.i, U.f, U.o), or a tensor of the spec's layout (`weight_hh_l0`: every block it holds).
    /// A bias stored twice (bias_ih_l0, bias_hh_l0) is frozen as a whole: both copies.
    static func decodeFrozen(_ node: JSONNode, _ path: JSONPath, blocks: [QuantityName],
                             tensors: [(name: String, blocks: Set<QuantityName>)], doubled: Set<Symbol>,
                             reader: SpecReader) -> Set<QuantityName> {
        guard let items = reader.array(node, path, what: "an array of parameter block names") else { return [] }
        let names = blocks.map(\.description)
        let symbols = blocks.map(\.symbol.base).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let listed = Set(items.compactMap(\.string))
        var out = Set<QuantityName>()
        for (k, item) in items.enumerated() {
            guard let s = reader.string(item, path / k) else { continue }
            var matched = blocks.filter { $0.description == s || $0.symbol.base == s }
            if matched.isEmpty, let tensor = tensors.first(where: { $0.name == s }) {
                matched = blocks.filter { tensor.blocks.contains($0) }
                let copies = tensors.filter { $0.blocks == tensor.blocks }.map(\.name)
                if matched.contains(where: { doubled.contains($0.symbol) }), let missing = copies.first(where: { !listed.contains($0) }) {
                    reader.fail(.conflict("\(copies.joined(separator: " + ")) is one bias stored twice; freeze both copies (add \"\(missing)\") or none"), item, path / k)
                    continue
                }
            }
            guard !matched.isEmpty else {
                let choices = symbols + names.filter { !symbols.contains($0) } + tensors.map(\.name).filter { !symbols.contains($0) }
                reader.fail(.invalidValue(expected: "a parameter block (\(choices.joined(separator: ", ")))",
                                          found: "\"\(s)\"" + (suggestion(for: s, among: choices).map { "; did you mean \"\($0)\"?" } ?? "")), item, path / k)
                continue
            }
            out.formUnion(matched)
        }
        return out
    }

    /// `{"max_norm": 1.0, "norm_type": 2}` (norm_type a number > 0 or "inf") or `{"value": 1.0}`.
    static func decodeClip(_ node: JSONNode, _ path: JSONPath, reader: SpecReader) -> Clipping? {
        guard let f = reader.object(node, path, allowed: ["max_norm", "norm_type", "value"]) else { return nil }
        func nonNegative(_ key: String) -> Double? {
            guard let n = f[key], let v = reader.number(n, path / key) else { return nil }
            guard v >= 0 else {
                reader.fail(.invalidValue(expected: "a number ≥ 0", found: shortest(v)), n, path / key)
                return nil
            }
            return v
        }
        switch (f.has("max_norm"), f.has("value")) {
        case (true, true):
            reader.fail(.conflict("give \"max_norm\" (clip_grad_norm_) or \"value\" (clip_grad_value_), not both"), f["value"]!, path / "value")
            return nil
        case (false, false):
            reader.fail(.missing(field: "max_norm", meaning: "clip_grad_norm_'s max_norm, or \"value\" for clip_grad_value_"), node, path)
            return nil
        case (false, true):
            if let n = f["norm_type"] {
                reader.fail(.conflict("\"norm_type\" goes with \"max_norm\" (clip_grad_norm_), not with \"value\""), n, path / "norm_type")
            }
            return nonNegative("value").map { .value($0) }
        case (true, false):
            var p = 2.0
            if let n = f["norm_type"] {
                if n.string == "inf" {
                    p = .infinity
                } else if let v = reader.number(n, path / "norm_type", what: "a number > 0 or \"inf\"") {
                    if v > 0 { p = v } else { reader.fail(.invalidValue(expected: "a number > 0 or \"inf\"", found: shortest(v)), n, path / "norm_type") }
                }
            }
            return nonNegative("max_norm").map { .norm(maxNorm: $0, normType: p) }
        }
    }

    /// torch.optim's arguments with their defaults and torch's own checks, and the state.
    static func decodeOptimizer(_ node: JSONNode, _ path: JSONPath, trained: [QuantityName], shapes: Trace,
                                reader: SpecReader) -> (Optimizer, OptimizerState)? {
        guard let typeFields = reader.object(node, path, allowed: ["type", "state"] + Set(Optimizer.Kind.allCases.flatMap(\.arguments)).sorted()) else { return nil }
        guard let t = reader.require(typeFields, "type", meaning: Optimizer.Kind.allCases.map(\.rawValue).joined(separator: ", ")),
              let name = reader.choice(t, path / "type", among: Optimizer.Kind.allCases.map(\.rawValue)),
              let kind = Optimizer.Kind(rawValue: name) else { return nil }
        // The keys of this optimizer only (an Adam has no momentum).
        guard let f = reader.object(node, path, allowed: ["type", "state"] + kind.arguments) else { return nil }
        var o = Optimizer(kind)
        func number(_ key: String, _ lower: Double, _ upper: Double? = nil) -> Double? {
            guard let n = f[key], let v = reader.number(n, path / key) else { return nil }
            guard v >= lower, upper.map({ v < $0 }) ?? true else {
                reader.fail(.invalidValue(expected: upper.map { "a number in [\(shortest(lower)), \(shortest($0)))" } ?? "a number ≥ \(shortest(lower))",
                                          found: shortest(v)), n, path / key)
                return nil
            }
            return v
        }
        func flag(_ key: String) -> Bool? { f[key].flatMap { reader.bool($0, path / key) } }
        if let v = number("lr", 0) { o.lr = v }
        if let v = number("momentum", 0) { o.momentum = v }
        if let n = f["dampening"], let v = reader.number(n, path / "dampening") { o.dampening = v }
        if let v = flag("nesterov") { o.nesterov = v }
        if let v = number("weight_decay", 0) { o.weightDecay = v }
        if let v = number("eps", 0) { o.eps = v }
        if let v = number("initial_accumulator_value", 0) { o.initialAccumulatorValue = v }
        if let v = number("lr_decay", 0) { o.lrDecay = v }
        if let v = number("alpha", 0) { o.alpha = v }
        if let v = flag("centered") { o.centered = v }
        if let v = flag("amsgrad") { o.amsgrad = v }
        if let v = flag("maximize") { o.maximize = v }
        if let n = f["betas"] {
            if let items = reader.array(n, path / "betas", what: "[beta1, beta2]") {
                if items.count != 2 {
                    reader.fail(.wrongLength(expected: 2, found: items.count, what: "numbers", meaning: "[beta1, beta2]"), n, path / "betas")
                } else {
                    var betas: [Double] = []
                    for (k, item) in items.enumerated() {
                        guard let v = reader.number(item, path / "betas" / k) else { continue }
                        if v < 0 || v >= 1 {
                            reader.fail(.invalidValue(expected: "a number in [0, 1)", found: shortest(v)), item, path / "betas" / k)
                        } else {
                            betas.append(v)
                        }
                    }
                    if betas.count == 2 { (o.beta1, o.beta2) = (betas[0], betas[1]) }
                }
            }
        }
        if o.nesterov && (o.momentum <= 0 || o.dampening != 0) {
            reader.fail(.conflict("Nesterov momentum requires a momentum > 0 and zero dampening (as torch.optim.SGD does)"), f["nesterov"]!, path / "nesterov")
        }
        var state = OptimizerState()
        if let n = f["state"] {
            state = decodeState(n, path / "state", optimizer: o, trained: trained, shapes: shapes, reader: reader) ?? state
        }
        return (o, state)
    }

    /// `{"step": N, "exp_avg": {"W.a": …, "V": …}, …}`: torch's buffers of each trained tensor
    /// (a canonical block, or a state dict's tensor: `"bias_ih_l0"`), in its shape; required
    /// from step 1 on.
    static func decodeState(_ node: JSONNode, _ path: JSONPath, optimizer o: Optimizer, trained: [QuantityName], shapes: Trace,
                            reader: SpecReader) -> OptimizerState? {
        let buffers = o.buffers
        guard let f = reader.object(node, path, allowed: ["step"] + buffers.map(\.rawValue)) else { return nil }
        guard let stepNode = reader.require(f, "step", meaning: "the optimizer steps taken"),
              let step = reader.integer(stepNode, path / "step", range: 0...Int(Int32.max), what: "a whole number ≥ 0") else { return nil }
        var state = OptimizerState(step: step, blocks: trained)
        guard step > 0 else {
            for b in buffers where f.has(b.rawValue) {
                reader.fail(.conflict("at step 0 the optimizer has no \(b.rawValue) yet; remove it or give the step it belongs to"), f[b.rawValue]!, path / b.rawValue)
            }
            return state
        }
        let squares: Set<OptimizerState.Buffer> = [.sum, .squareAvg, .expAvgSq, .maxExpAvgSq]
        for buffer in buffers {
            guard let bn = reader.require(f, buffer.rawValue, meaning: "\(o.kind.className)'s \(buffer.rawValue) after step \(step)") else { continue }
            let bp = path / buffer.rawValue
            guard let bf = reader.object(bn, bp, allowed: trained.map(\.description)) else { continue }
            for block in trained {
                guard let vn = reader.require(bf, block.description, meaning: "\(buffer.rawValue) of \(block), shaped as \(block)") else { continue }
                let vp = bp / block.description
                let numbers: [Double]?
                switch shapes.value(block) {
                case .matrix(let m): numbers = reader.matrix(vn, vp, rows: m.rows, cols: m.cols, meaning: "the shape of \(block)")?.values
                case .vector(let v): numbers = reader.vector(vn, vp, count: v.count, meaning: "the size of \(block)")?.values
                case .scalar: numbers = reader.vector(vn, vp, count: 1, meaning: "the size of \(block)")?.values
                }
                guard let numbers else { continue }
                if squares.contains(buffer), let bad = numbers.first(where: { $0 < 0 }) {
                    reader.fail(.invalidValue(expected: "numbers ≥ 0 (\(buffer.rawValue) accumulates squares)", found: shortest(bad)), vn, vp)
                    continue
                }
                state.buffers[block, default: [:]][buffer] = numbers
            }
        }
        return state
    }
}
