/// A ready-to-edit spec written by `lstm-grad init`: the model's weights (LSTM, RNN, GRU) in a
/// chosen layout (for the RNN: its activation),
/// an optional head, a loss, and placeholder inputs and labels of the right shapes.
///
/// Weights are zero, or drawn from U(−0.1, 0.1) by SplitMix64 seeded with `seed` and rounded
/// to 4 decimals (so the file stays readable and the same seed always writes the same file).
/// With a seed the placeholder inputs are drawn from U(−1, 1) and the labels fit the loss:
/// U(−1, 1) for l2 and upstream gradients, U(0, 1) rounded to 0 or 1 for bce, a class index
/// for ce. Without a seed every placeholder is 0 (class 0 for ce).
public struct SpecTemplate: Sendable {
    public var model: String
    public var layout: String
    public var inputSize: Int
    public var hiddenSize: Int
    public var steps: Int
    public var head: HeadKind
    /// K, the head's outputs (ignored without a head).
    public var outputs: Int
    public var loss: String
    public var seed: UInt64?
    public var learningRate: Double

    public init(model: String = "lstm", layout: String? = nil, inputSize: Int = 2, hiddenSize: Int = 2, steps: Int = 3,
                head: HeadKind = .none, outputs: Int? = nil, loss: String? = nil, seed: UInt64? = nil, learningRate: Double = 0.1) {
        self.model = model
        self.layout = layout ?? SpecTemplate.models.first { $0.name == model }?.layouts.first ?? "per-gate"
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.steps = steps
        self.head = head
        self.outputs = outputs ?? (head == .softmax ? 3 : 1)
        self.loss = loss ?? SpecTemplate.defaultLoss(for: head)
        self.seed = seed
        self.learningRate = learningRate
    }

    /// The loss that fits a head when none is chosen: ce for softmax, bce for sigmoid, else l2.
    public static func defaultLoss(for head: HeadKind) -> String {
        switch head {
        case .softmax: return "ce"
        case .sigmoid: return "bce"
        case .none, .linear: return "l2"
        }
    }

    public static let losses = ["l2", "ce", "bce", "mse", "l1", "huber", "smooth_l1", "bce_with_logits", "upstream"]

    /// How one model writes its weights. A new cell adds one entry to `models`.
    public struct ModelTemplate: Sendable {
        public var name: String
        /// The layouts `init` can write; the first is the default.
        public var layouts: [String]
        /// Whether the cell carries a state beside out (LSTM's c_t): `initial.state` is written.
        public var hasState: Bool
        /// How many numbers the weights hold at input size X and hidden size H (a layout may
        /// write a few more, such as PyTorch's second bias).
        public var parameterCount: @Sendable (_ layout: String, _ X: Int, _ H: Int) -> Int
        /// The `"weights"` object's members, in order, for a layout, input size X and hidden size H.
        public var weights: @Sendable (_ layout: String, _ X: Int, _ H: Int, _ draw: inout Draw) -> [(String, String)]

        public init(name: String, layouts: [String], hasState: Bool,
                    parameterCount: @escaping @Sendable (_ layout: String, _ X: Int, _ H: Int) -> Int,
                    weights: @escaping @Sendable (_ layout: String, _ X: Int, _ H: Int, _ draw: inout Draw) -> [(String, String)]) {
            self.name = name
            self.layouts = layouts
            self.hasState = hasState
            self.parameterCount = parameterCount
            self.weights = weights
        }
    }

    /// Every registered model's template; a model's variants (the peephole LSTM) add their
    /// layouts to the model's.
    public static var models: [ModelTemplate] {
        var out: [ModelTemplate] = []
        for t in CellRegistry.models.map(\.template) {
            guard let k = out.firstIndex(where: { $0.name == t.name }) else {
                out.append(t)
                continue
            }
            let first = out[k]
            out[k] = ModelTemplate(name: t.name, layouts: first.layouts + t.layouts, hasState: first.hasState,
                                   parameterCount: { layout, X, H in
                                       first.layouts.contains(layout) ? first.parameterCount(layout, X, H) : t.parameterCount(layout, X, H)
                                   }) { layout, X, H, draw in
                first.layouts.contains(layout) ? first.weights(layout, X, H, &draw) : t.weights(layout, X, H, &draw)
            }
        }
        return out
    }

    /// The per-gate blocks `{"W": {g: H×X}, "U": {g: H×H}, "b": {g: H}}` for any gate names.
    public static func perGate(gates: [String], X: Int, H: Int, draw: inout Draw) -> [(String, String)] {
        var out: [(String, String)] = []
        for (block, cols) in [("W", X), ("U", H), ("b", 0)] {
            var s = "{\n"
            for (k, g) in gates.enumerated() {
                let value = cols == 0 ? draw.vector(H) : draw.matrix(H, cols)
                s += "      \"\(g)\": \(value)" + (k + 1 < gates.count ? ",\n" : "\n")
            }
            s += "    }"
            out.append((block, s))
        }
        return out
    }

    /// Why a template cannot be written, as a message for the command line.
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
        public init(message: String) { self.message = message }
    }

    /// The spec's JSON text.
    public func render() throws(Failure) -> String {
        guard let m = SpecTemplate.models.first(where: { $0.name == model }) else {
            throw Failure(message: "unknown model '\(model)'; init writes \(SpecTemplate.models.map(\.name).joined(separator: ", "))")
        }
        guard m.layouts.contains(layout) else {
            throw Failure(message: "the \(model) model has no layout '\(layout)'; init writes \(m.layouts.joined(separator: ", "))")
        }
        guard SpecTemplate.losses.contains(loss) else {
            throw Failure(message: "unknown loss '\(loss)'; one of \(SpecTemplate.losses.joined(separator: ", "))")
        }
        if loss == "ce" && head != .softmax { throw Failure(message: "the ce loss needs --head softmax") }
        if loss == "bce" && head != .sigmoid { throw Failure(message: "the bce loss needs --head sigmoid") }
        if loss == "bce_with_logits" && head != .linear { throw Failure(message: "the bce_with_logits loss needs --head linear") }
        if head == .softmax && outputs < 2 { throw Failure(message: "a softmax head needs at least 2 outputs (--outputs K)") }

        var draw = Draw(seed: seed)
        let X = inputSize, H = hiddenSize, T = steps
        var s = "{\n"
        s += "  \"model\": \"\(model)\",\n"
        s += "  \"description\": \"Written by lstm-grad init (\(model), \(layout), X = \(X), H = \(H), T = \(T)"
        s += seed.map { ", weights U(-0.1, 0.1) seed \($0)" } ?? ", zero weights"
        s += "): replace the weights, inputs and labels with yours.\",\n"
        let blocks = m.weights(layout, X, H, &draw)
        if blocks.count == 1 && blocks[0].0.isEmpty {
            // A layout writer's whole "weights" object.
            s += "  \"weights\": " + blocks[0].1 + ",\n"
        } else {
            s += "  \"weights\": {\n"
            for (k, (name, value)) in blocks.enumerated() {
                s += "    \"\(name)\": \(value)" + (k + 1 < blocks.count ? ",\n" : "\n")
            }
            s += "  },\n"
        }
        let K = head == .none ? H : outputs
        if head != .none {
            s += "  \"head\": {\"type\": \"\(head.rawValue)\", \"V\": \(draw.matrix(K, H)), \"c\": \(draw.vector(K))},\n"
        }
        s += "  \"inputs\": [" + (0..<T).map { _ in draw.vector(X, scale: 1) }.joined(separator: ", ") + "],\n"
        switch loss {
        case "ce":
            s += "  \"labels\": [" + (0..<T).map { t in String(seed == nil ? 0 : t % K) }.joined(separator: ", ") + "],\n"
        case "bce", "bce_with_logits":
            s += "  \"labels\": [" + (0..<T).map { _ in draw.vector(K, binary: true) }.joined(separator: ", ") + "],\n"
        case "upstream":
            s += "  \"gradients\": [" + (0..<T).map { _ in draw.vector(K, scale: 1) }.joined(separator: ", ") + "],\n"
        default:
            s += "  \"labels\": [" + (0..<T).map { _ in draw.vector(K, scale: 1) }.joined(separator: ", ") + "],\n"
        }
        s += "  \"loss\": \"\(loss)\",\n"
        s += "  \"learning_rate\": \(shortest(learningRate)),\n"
        let zeros = "[" + Array(repeating: "0", count: H).joined(separator: ", ") + "]"
        s += "  \"initial\": {\"out\": \(zeros)" + (m.hasState ? ", \"state\": \(zeros)" : "") + "}\n"
        s += "}\n"
        return s
    }

    /// How many numbers the spec holds at least: weights, head, inputs, labels or gradients,
    /// and the initial state (0 for an unknown model).
    public var numberCount: Int {
        guard let m = SpecTemplate.models.first(where: { $0.name == model }) else { return 0 }
        let K = head == .none ? hiddenSize : outputs
        let headNumbers = head == .none ? 0 : K * hiddenSize + K
        let targets = loss == "ce" ? steps : steps * K
        return m.parameterCount(layout, inputSize, hiddenSize) + headNumbers + steps * inputSize + targets
            + hiddenSize * (m.hasState ? 2 : 1)
    }

    /// A lower bound of the size of `render()`'s text, known before anything is drawn: every
    /// number takes at least one digit and a separator (", " or "]" and more).
    public var minimumBytes: Int { 3 * numberCount }

    /// The numbers a template writes: zeros, or SplitMix64 draws rounded to 4 decimals.
    public struct Draw: Sendable {
        /// The project's one SplitMix64 (Math/SplitMix64.swift); nil draws zeros.
        var rng: SplitMix64?

        public init(seed: UInt64?) {
            rng = seed.map { SplitMix64(seed: $0) }
        }

        /// U(−scale, scale) rounded to 4 decimals, or 0; with `binary`, 0 or 1.
        public mutating func number(scale: Double = 0.1, binary: Bool = false) -> Double {
            guard rng != nil else { return 0 }
            let u = Double(rng!.next() >> 11) * 0x1p-53  // U[0, 1)
            if binary { return u < 0.5 ? 0 : 1 }
            let x = ((2 * u - 1) * scale * 10_000).rounded() / 10_000
            return x == 0 ? 0 : x  // no "-0"
        }

        public mutating func vector(_ n: Int, scale: Double = 0.1, binary: Bool = false) -> String {
            "[" + (0..<n).map { _ in shortest(number(scale: scale, binary: binary)) }.joined(separator: ", ") + "]"
        }

        public mutating func matrix(_ rows: Int, _ cols: Int) -> String {
            "[" + (0..<rows).map { _ in vector(cols) }.joined(separator: ", ") + "]"
        }
    }
}
