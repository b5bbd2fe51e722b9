/// A decoded, validated spec: one problem of one registered cell, and how to name its
/// quantities.
public struct Spec: Sendable {
    public var file: String
    /// The `"model"` the spec names (a `CellRegistry` model).
    public var modelName: String
    public var problem: any AnyProblem
    public var notation: Notation
    /// Non-fatal findings (e.g. a negative learning rate), printed on stderr.
    public var warnings: [Diagnostic]
    /// The parsed document, so that `--write-updated` can rewrite it with new parameters.
    public var root: JSONNode? = nil
    /// One line per member read from a tensor file (`SpecFiles`), for the report header.
    public var fileNotes: [String] = []

    /// Calls the visitor with the spec's problem, whatever its cell: commands are written once,
    /// generically.
    public func visit<V: ProblemVisitor>(_ visitor: V) throws(V.Failure) -> V.Result {
        try problem.accept(visitor)
    }

    /// Whether the spec is a stacked, bidirectional or batched network (commands that cannot
    /// handle one yet refuse it).
    public var isNetwork: Bool { !(problem is any SingleProblem) }

    /// B, the number of sequences the spec's inputs hold (1 for one sequence): the one place a
    /// mean over the batch reads it.
    public var sequenceCount: Int { (problem as? any NetworkSize)?.sequenceCount ?? 1 }

    /// The problem, when its cell is `C`.
    public func problem<C: Cell>(as _: C.Type) -> Problem<C>? { problem as? Problem<C> }
}

public enum SpecDecoder {
    public static let topLevelKeys = [
        "model", "description", "weights", "head", "inputs", "labels", "gradients", "loss",
        "learning_rate", "initial", "notation",
    ] + trainingKeys
    public static var models: [String] { CellRegistry.names }

    /// Parses and validates a spec; every problem found is reported together.
    public static func decode(_ source: SourceText, maxDepth: Int = JSONParser.defaultMaxDepth) throws(SpecErrors) -> Spec {
        let root: JSONNode
        do {
            root = try JSONParser.parse(source.bytes, maxDepth: maxDepth)
        } catch {
            throw SpecErrors([Diagnostic(file: source.name, location: source.location(of: error.offset), path: error.path,
                                         error: .syntax(error.message))])
        }
        let reader = SpecReader(source: source)
        // Members that name tensor files become the arrays they hold, before any decoding.
        let (resolved, fileNotes) = SpecFiles.resolve(root, reader: reader)
        let spec = reader.hasErrors ? nil : decode(resolved, reader: reader)
        if reader.hasErrors || spec == nil {
            // A decoder that gives up must have said why; if one ever does not, say so rather
            // than exit with an empty message (the fuzz harness treats this as a failure).
            if reader.diagnostics.isEmpty {
                throw SpecErrors([Diagnostic(file: source.name, location: nil, path: nil,
                                             error: .file("internal error: the spec was rejected without a message; please report it with this spec"))])
            }
            throw SpecErrors(sortedByPlace(reader.diagnostics), omitted: reader.omitted)
        }
        var s = spec!
        s.warnings = reader.warnings
        s.root = resolved
        s.fileNotes = fileNotes
        return s
    }

    /// Diagnostics in source order (stable for one place).
    public static func sortedByPlace(_ ds: [Diagnostic]) -> [Diagnostic] {
        ds.enumerated().sorted { x, y in
            let a = x.element.location ?? SourceLocation(line: 0, column: 0)
            let b = y.element.location ?? SourceLocation(line: 0, column: 0)
            return (a.line, a.column, x.offset) < (b.line, b.column, y.offset)
        }.map(\.element)
    }

    static func decode(_ root: JSONNode, reader: SpecReader) -> Spec? {
        let top = JSONPath.root
        guard let fields = reader.object(root, top, allowed: topLevelKeys, what: "a JSON object (the spec)") else { return nil }
        if let d = fields["description"] { _ = reader.string(d, top / "description") }
        let model = fields["model"].flatMap { reader.choice($0, top / "model", among: models) } ?? (fields.has("model") ? nil : "lstm")
        let notation = decodeNotation(fields, reader: reader)

        let learningRateValue = decodeLearningRate(fields, reader: reader)
        if NetworkDecoder.isNetwork(fields) {
            // Layers, directions or a batch: the model's network decoder, then the training
            // setup over every block of the network.
            let context = ModelContext(fields: fields, inputs: nil, inputSize: nil, steps: nil, learningRate: learningRateValue, notation: notation)
            let cellModel: (any CellModel)? = model.flatMap { CellRegistry.model(named: $0, weights: fields["weights"]) }
            let decoded = cellModel?.decodeNetwork(context, reader: reader).flatMap { $0.accept(TrainingReader(fields: fields, reader: reader)) }
            guard let model, let decoded, !reader.hasErrors else { return nil }
            return Spec(file: reader.source.name, modelName: model, problem: decoded, notation: notation, warnings: [])
        }

        // Sizes: T and X from the inputs.
        let inputs = decodeInputs(fields, reader: reader)
        // Known even when a later input is wrong, so that shape errors elsewhere are still found.
        let inputItems = fields["inputs"]?.array
        let X = inputs?.first?.count ?? inputItems?.first.flatMap(reader.entryCount)
        let T = inputs?.count ?? inputItems.flatMap { $0.isEmpty ? nil : $0.count }

        let learningRate = learningRateValue

        let context = ModelContext(fields: fields, inputs: inputs, inputSize: X, steps: T,
                                   learningRate: learningRate, notation: notation)
        let cellProblem = model.flatMap { CellRegistry.model(named: $0, weights: fields["weights"]) }?.decode(context, reader: reader)
        // The optimizer, clipping and frozen blocks, read against the problem's blocks.
        let decoded = cellProblem.flatMap { $0.accept(TrainingReader(fields: fields, reader: reader)) }
        guard let model, let decoded, !reader.hasErrors else { return nil }
        return Spec(file: reader.source.name, modelName: model, problem: decoded, notation: notation, warnings: [])
    }

    /// `"learning_rate"` (0.1 when absent), with a warning when it is not positive.
    static func decodeLearningRate(_ fields: SpecReader.Fields, reader: SpecReader) -> Double {
        let top = JSONPath.root
        return {
            guard let n = fields["learning_rate"] else { return 0.1 }
            guard let v = reader.number(n, top / "learning_rate") else { return 0.1 }
            if v <= 0 {
                reader.warn("the learning rate \(shortest(v)) is not positive: " + (v == 0 ? "the SGD step leaves every parameter unchanged"
                                                                                       : "the SGD step climbs the loss instead of descending"), n, top / "learning_rate")
            }
            return v
        }()
    }

    /// What every model's decoder shares: the top-level fields and the sizes from the inputs.
    public struct ModelContext {
        public var fieldsNode: JSONNode { fields.node }
        var fields: SpecReader.Fields
        var inputs: [Vector]?
        var inputSize: Int?
        var steps: Int?
        var learningRate: Double
        var notation: Notation
    }

    /// Head, loss, targets and initial state, for a cell of hidden size H; nil after an error.
    static func decodeCommon(_ c: ModelContext, hidden H: Int?, hasState: Bool, reader: SpecReader)
        -> (head: Head, loss: Loss, targets: Targets, initial: CellState)? {
        let initial = decodeInitial(c.fields, hidden: H, hasState: hasState, reader: reader)
        let head = decodeHead(c.fields, hidden: H, reader: reader)
        let (loss, targets) = decodeLoss(c.fields, head: head, hidden: H, steps: c.steps, reader: reader)
        guard let initial, let head, let loss, let targets else { return nil }
        return (head, loss, targets, initial)
    }

    /// The problem around a cell's decoded weights (nil when they failed): the common parts are
    /// decoded (and their errors collected) either way.
    public static func decodeProblem<C: Cell>(_ c: ModelContext, weights: C.Parameters?, as _: C.Type, hasState: Bool,
                                       reader: SpecReader) -> Problem<C>? {
        let cell = weights.map { C(parameters: $0) }
        let common = decodeCommon(c, hidden: cell?.hiddenSize, hasState: hasState, reader: reader)
        guard let cell, let common, let inputs = c.inputs else { return nil }
        return Problem(cell: cell, head: common.head, loss: common.loss, inputs: inputs,
                       targets: common.targets, initial: common.initial, learningRate: c.learningRate)
    }

    static func decodeNotation(_ fields: SpecReader.Fields, reader: SpecReader) -> Notation {
        guard let n = fields["notation"] else { return .published }
        guard let name = reader.choice(n, .root / "notation", among: Notation.builtIn.map(\.name)) else { return .published }
        return Notation.builtIn.first { $0.name == name } ?? .published
    }

    static func decodeInputs(_ fields: SpecReader.Fields, reader: SpecReader) -> [Vector]? {
        let path = JSONPath.root / "inputs"
        guard let node = reader.require(fields, "inputs", meaning: "the sequence x_0 … x_{T−1}") else { return nil }
        guard let items = reader.array(node, path, what: "an array of input vectors") else { return nil }
        guard !items.isEmpty else {
            reader.fail(.invalidValue(expected: "at least one timestep", found: "an empty array (T = 0)"), node, path)
            return nil
        }
        guard let X = reader.entryCount(items[0], path / 0, meaning: "input size") else { return nil }
        reader.note(SpecReader.Size("X", X, "input size", from: path / 0))
        var out: [Vector] = []
        out.reserveCapacity(items.count)
        let meaning = "input size X = \(X), from inputs[0]"
        for (t, item) in items.enumerated() {
            if let v = reader.vector(item, path / t, count: X, meaning: t == 0 ? "input size" : meaning) {
                out.append(v)
            }
        }
        return out.count == items.count ? out : nil
    }

    static func decodeInitial(_ fields: SpecReader.Fields, hidden H: Int?, hasState: Bool, reader: SpecReader) -> CellState? {
        guard let H else { return nil }
        let path = JSONPath.root / "initial"
        guard let node = fields["initial"] else {
            return CellState(out: Vector(zeros: H), state: hasState ? Vector(zeros: H) : nil)
        }
        let keys = hasState ? ["out", "state"] : ["out"]
        guard let f = reader.object(node, path, allowed: keys) else { return nil }
        let hidden = reader.hiddenSize(H)
        let out = f["out"].map { reader.vector($0, path / "out", count: hidden) } ?? Vector(zeros: H)
        let state = hasState ? (f["state"].map { reader.vector($0, path / "state", count: hidden) } ?? Vector(zeros: H)) : nil
        guard let o = out else { return nil }
        if hasState && state == nil { return nil }
        return CellState(out: o, state: state)
    }

    static func decodeHead(_ fields: SpecReader.Fields, hidden H: Int?, reader: SpecReader) -> Head? {
        let path = JSONPath.root / "head"
        guard let node = fields["head"] else { return Head.none }
        guard let f = reader.object(node, path, allowed: ["type", "V", "c"]) else { return nil }
        guard let typeNode = reader.require(f, "type", meaning: "none, linear, sigmoid or softmax"),
              let typeName = reader.choice(typeNode, path / "type", among: HeadKind.allCases.map(\.rawValue)),
              let kind = HeadKind(rawValue: typeName) else { return nil }
        if kind == .none {
            for key in ["V", "c"] where f.has(key) {
                reader.fail(.conflict("a head of type \"none\" has no parameters; remove \"\(key)\""), f[key]!, path / key)
            }
            return Head.none
        }
        guard let H else { return nil }
        guard let vNode = reader.require(f, "V", meaning: "the K×H output weights") else { return nil }
        guard let K = reader.rowCount(vNode, path / "V", meaning: "K×H: outputs × hidden size") else { return nil }
        let V = reader.matrix(vNode, path / "V", rows: SpecReader.Size("K", K, "outputs", from: path / "V"), cols: reader.hiddenSize(H))
        let c = f["c"].map { reader.vector($0, path / "c", count: K, meaning: "K = \(K) outputs, from V") } ?? Vector(zeros: K)
        guard let V, let c else { return nil }
        return Head(kind: kind, parameters: HeadParameters(V: V, c: c))
    }

    static let lossNames = ["l2", "ce", "cross_entropy", "bce", "binary_cross_entropy", "upstream",
                            "mse", "l1", "huber", "smooth_l1", "bce_with_logits"]

    static func decodeLoss(_ fields: SpecReader.Fields, head: Head?, hidden H: Int?, steps T: Int?, withTargets: Bool = true, reader: SpecReader) -> (Loss?, Targets?) {
        let path = JSONPath.root / "loss"
        var loss = Loss(kind: .l2)
        var lossNode: JSONNode?
        var lossFields: SpecReader.Fields?
        if let node = fields["loss"] {
            lossNode = node
            var nameNode = node
            var namePath = path
            if node.members != nil {
                guard let f = reader.object(node, path, allowed: ["type", "half", "reduction", "delta", "beta"]) else { return (nil, nil) }
                guard let t = reader.require(f, "type", meaning: "l2, ce, bce, upstream, mse, l1, huber, smooth_l1 or bce_with_logits") else { return (nil, nil) }
                nameNode = t
                namePath = path / "type"
                lossFields = f
            }
            guard let name = reader.choice(nameNode, namePath, among: lossNames) else { return (nil, nil) }
            switch name {
            case "ce", "cross_entropy": loss.kind = .crossEntropy
            case "bce", "binary_cross_entropy": loss.kind = .binaryCrossEntropy
            default: loss.kind = LossKind(rawValue: name) ?? .l2
            }
            // PyTorch's elementwise losses average by default, as torch.nn does.
            loss.mean = loss.kind.isElementwise
            if let f = lossFields {
                if let h = f["half"] {
                    if loss.kind != .l2 {
                        reader.fail(.conflict("\"half\" applies to the l2 loss only (\(name) has no ½ to drop)"), h, path / "half")
                    } else if let b = reader.bool(h, path / "half") { loss.half = b }
                }
                if let r = f["reduction"], let s = reader.choice(r, path / "reduction", among: ["sum", "mean"]) { loss.mean = s == "mean" }
                for (key, kind, lowest) in [("delta", LossKind.huber, "a number > 0"), ("beta", LossKind.smoothL1, "a number ≥ 0")] {
                    guard let n = f[key] else { continue }
                    guard loss.kind == kind else {
                        reader.fail(.conflict("\"\(key)\" is a parameter of the \(kind.rawValue) loss, not of \(name)"), n, path / key)
                        continue
                    }
                    guard let v = reader.number(n, path / key) else { continue }
                    if v < 0 || (kind == .huber && v == 0) {
                        reader.fail(.invalidValue(expected: lowest, found: shortest(v)), n, path / key)
                    } else {
                        loss.parameter = v
                    }
                }
            }
        }
        guard let head else { return (loss, nil) }
        let K = head.parameters?.V.rows
        // Which head a loss needs.
        if loss.kind == .crossEntropy && head.kind != .softmax {
            reader.fail(.conflict("cross-entropy needs a softmax head (\"head\": {\"type\": \"softmax\", …})"), lossNode!, path)
            return (nil, nil)
        }
        if loss.kind == .binaryCrossEntropy && head.kind != .sigmoid {
            reader.fail(.conflict("binary cross-entropy needs a sigmoid head (\"head\": {\"type\": \"sigmoid\", …})"), lossNode!, path)
            return (nil, nil)
        }
        if loss.kind == .bceWithLogits && head.kind != .linear {
            reader.fail(.conflict("bce_with_logits reads logits: it needs a linear head (\"head\": {\"type\": \"linear\", …}); for a sigmoid head use \"bce\""), lossNode!, path)
            return (nil, nil)
        }
        return (loss, withTargets ? decodeTargets(fields, loss: loss, outputs: K, hidden: H, steps: T, reader: reader) : nil)
    }

    static func decodeTargets(_ fields: SpecReader.Fields, loss: Loss, outputs K: Int?, hidden H: Int?, steps T: Int?, reader: SpecReader) -> Targets? {
        let upstream = loss.kind == .upstream
        let key = upstream ? "gradients" : "labels"
        let other = upstream ? "labels" : "gradients"
        if let n = fields[other] {
            reader.fail(.conflict(upstream ? "with \"loss\": \"upstream\" the spec gives \"gradients\", not \"labels\""
                                           : "\"gradients\" is only read with \"loss\": \"upstream\""), n, .root / other)
        }
        let path = JSONPath.root / key
        guard let node = reader.require(fields, key, meaning: upstream ? "∂L/∂y_t for every t" : "one label per timestep") else { return nil }
        guard let items = reader.array(node, path, what: "an array with one entry per timestep") else { return nil }
        guard let T else { return nil }
        guard items.count == T else {
            reader.fail(.wrongLength(expected: T, found: items.count, what: upstream ? "gradients" : "labels", meaning: "one per timestep, T = \(T) from inputs"), node, path)
            return nil
        }
        // Without a head, y_t = out_t has H entries.
        guard let width = K ?? H else { return nil }
        if loss.kind == .crossEntropy, let K {
            // A class index per t, or a probability vector per t.
            if items.allSatisfy({ if case .number = $0.value { return true } else { return false } }) {
                var classes: [Int] = []
                for (t, item) in items.enumerated() {
                    if let k = reader.integer(item, path / t, range: 0...(K - 1), what: "a class index 0…\(K - 1) (the softmax head has \(K) classes)") {
                        classes.append(k)
                    }
                }
                return classes.count == T ? .classes(classes) : nil
            }
        }
        var out: [Vector] = []
        for (t, item) in items.enumerated() {
            if let v = reader.vector(item, path / t, count: width, meaning: K != nil ? "K = \(width) outputs of the head" : "hidden size H = \(width): y_t = out_t") {
                out.append(v)
            }
        }
        guard out.count == T else { return nil }
        return upstream ? .gradients(out) : .values(out)
    }
}
