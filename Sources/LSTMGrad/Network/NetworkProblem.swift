/// A stacked and possibly bidirectional network of one cell kind over a batch of sequences, as
/// PyTorch's `nn.LSTM`/`nn.GRU`/`nn.RNN(num_layers:, bidirectional:)` computes it: layer k+1
/// reads layer k's outputs (both directions concatenated, [forward; reverse]); the head reads
/// the top layer's output the same way (V is K×2H when bidirectional). Layers and directions
/// compose cells: every value is the cell's own equation, named at its place
/// (`QuantityName.layer`, `.reverse`, `.sequence`).
public struct NetworkProblem<C: Cell>: Sendable {
    /// `cells[layer][direction]` (direction 0 forward, 1 reverse).
    public var cells: [[C]]
    public var head: Head
    public var loss: Loss
    /// B × T × X.
    public var inputs: [[Vector]]
    /// One entry per sequence.
    public var targets: [Targets]
    /// `initial[layer][direction][sequence]` (PyTorch's h0/c0, layers·directions × B × H).
    public var initial: [[[CellState]]]
    public var learningRate: Double
    public var update: UpdateRule = .sgd
    /// Each layer's and direction's layout as the spec wrote it (nil: per gate), `[layer][direction]`.
    public var layouts: [[(any ParameterLayout<C.Parameters>)?]] = []
    /// The optimizer, clipping and frozen blocks (by their names at their place: `W.a@l1.reverse`).
    public var training = TrainingSetup()

    public init(cells: [[C]], head: Head, loss: Loss, inputs: [[Vector]], targets: [Targets], initial: [[[CellState]]], learningRate: Double) {
        self.cells = cells
        self.head = head
        self.loss = loss
        self.inputs = inputs
        self.targets = targets
        self.initial = initial
        self.learningRate = learningRate
    }

    public var layers: Int { cells.count }
    public var directions: Int { cells[0].count }
    /// B, the number of sequences (a mean over the batch divides by it).
    public var sequenceCount: Int { inputs.count }
    public var steps: Int { inputs[0].count }
    public var hiddenSize: Int { cells[0][0].hiddenSize }
    public var inputSize: Int { cells[0][0].inputSize }
    /// Outputs the head reads: D·H.
    public var topWidth: Int { directions * hiddenSize }

    /// The same network with other parameters (finite differences, updates).
    public func with(cells newCells: [[C.Parameters]]? = nil, head headParameters: HeadParameters? = nil) -> NetworkProblem {
        var p = self
        if let c = newCells { p.cells = c.map { $0.map { C(parameters: $0) } } }
        if let h = headParameters { p.head.parameters = h }
        return p
    }

    /// Forward only, to the total loss (what finite differences differentiate).
    public func lossValue() -> Double {
        NetworkPass.forward(self).loss
    }

    var names: NetworkNames {
        NetworkNames(T: steps, B: sequenceCount, directions: directions,
                     blocks: Set(cells[0][0].parameters.blockNames), outputSymbol: cells[0][0].outputSymbol)
    }

    /// Every parameter block at its place, layer by layer, forward before reverse, then the head's.
    public var blockNames: [QuantityName] {
        var out: [QuantityName] = []
        let n = names
        for (l, layer) in cells.enumerated() {
            for (d, cell) in layer.enumerated() {
                out += cell.parameters.blockNames.map { n.cell($0, layer: l, reverse: d == 1, sequence: nil) }
            }
        }
        return out + (head.parameters?.blockNames ?? [])
    }

    /// Every parameter block's value at its place.
    public var parameterValues: Trace {
        var v = Trace()
        let n = names
        for (l, layer) in cells.enumerated() {
            for (d, cell) in layer.enumerated() {
                v.store(cell.parameters) { n.cell($0, layer: l, reverse: d == 1, sequence: nil) }
            }
        }
        if let hp = head.parameters { v.store(hp) }
        return v
    }

    /// The state dict's tensors (`weight_hh_l1_reverse`) and the blocks at their place each holds,
    /// for `"frozen"`; none for a per-gate spec.
    var stateDictTensors: [(name: String, blocks: Set<QuantityName>)] {
        var out: [(name: String, blocks: Set<QuantityName>)] = []
        let n = names
        for (l, row) in layouts.enumerated() {
            for (d, layout) in row.enumerated() {
                guard let layout else { continue }
                for tensor in layout.tensors(of: cells[l][d].parameters) {
                    guard let key = StateDictKey(tensor.name) else { continue }
                    out.append((StateDictKey(key.block, layer: l, reverse: d == 1).name,
                                Set(tensor.blocks.map { n.cell($0, layer: l, reverse: d == 1, sequence: nil) })))
                }
            }
        }
        return out
    }

    /// Each layer's and direction's part in training, layer by layer, forward before reverse:
    /// its blocks at their place, or its state dict's tensors at their place
    /// (`bias_ih_l1_reverse`, each bias copy apart).
    var trainedCells: [TrainedCell<C.Parameters>] {
        let n = names
        return cells.enumerated().flatMap { l, row in
            row.enumerated().map { d, cell in
                TrainedCell(parameters: cell.parameters, layout: l < layouts.count && d < layouts[l].count ? layouts[l][d] : nil,
                            place: { n.cell($0, layer: l, reverse: d == 1, sequence: nil) },
                            spell: { StateDictKey($0).map { StateDictKey($0.block, layer: l, reverse: d == 1).name } ?? $0 })
            }
        }
    }

    /// Every tensor an optimizer steps (frozen ones too), with its value and the blocks it holds.
    public var trainedTensors: [(name: QuantityName, value: Value, blocks: Set<QuantityName>)] {
        var out: [(name: QuantityName, value: Value, blocks: Set<QuantityName>)] = []
        for c in trainedCells {
            let holds = Dictionary(c.holdings, uniquingKeysWith: { a, _ in a })
            out += c.tensors.map { ($0.name, $0.value, holds[$0.name] ?? [$0.name]) }
        }
        return out + (head.parameters.map { h in h.blockNames.map { ($0, h.value(of: $0), [$0]) } } ?? [])
    }

    /// The blocks' values at their place and a state dict's tensors' (`bias_ih_l1_reverse`).
    public var trainingValues: Trace {
        var t = parameterValues
        for c in trainedCells where c.tensorLayout != nil { for (name, value) in c.tensors { t[name] = value } }
        return t
    }
}

/// The network's value names: where a cell's or the head's own name lives in the network.
struct NetworkNames {
    var T: Int
    var B: Int
    var directions: Int
    /// Each cell's parameter blocks (the same for every layer and direction).
    var blocks: Set<QuantityName>
    var outputSymbol: Symbol

    /// The sequence qualifier: none for a batch of one.
    func sequence(_ b: Int?) -> Int? { B > 1 ? b : nil }

    /// A cell's name at step s of its own run in layer l, direction d, sequence b: parameters
    /// have a layer and direction; inputs a layer above 0 and a sequence; every other value all
    /// three. The reverse direction's step s is time T−1−s (its initial state stays at −1 and a
    /// zero placeholder past its last step at T).
    func cell(_ name: QuantityName, layer l: Int, reverse: Bool, sequence b: Int?) -> QuantityName {
        if name.t == nil && blocks.contains(name.beforeUpdate) { return name.placed(layer: l, reverse: reverse, sequence: nil) }
        if name == .learningRate { return name }
        var n = name
        if reverse, let t = n.t, t >= 0, t < T { n.t = T - 1 - t }
        if name.symbol == .x { return n.placed(layer: l == 0 ? nil : l, reverse: false, sequence: sequence(b)) }
        return n.placed(layer: l, reverse: reverse, sequence: sequence(b))
    }

    /// A value of layer l, direction d, sequence b at real time t (not a cell's own step).
    func at(_ name: QuantityName, layer l: Int, reverse: Bool, sequence b: Int?) -> QuantityName {
        name.placed(layer: l, reverse: reverse, sequence: sequence(b))
    }

    /// A head's name for sequence b; its input is the top layer's output (`top` when both
    /// directions are concatenated).
    func head(_ name: QuantityName, layers L: Int, sequence b: Int?) -> QuantityName {
        if name.t == nil && [Symbol.V, .c].contains(name.symbol) { return name }
        if name == .learningRate { return name }
        if name.symbol == outputSymbol && directions == 1 { return name.placed(layer: L - 1, reverse: false, sequence: sequence(b)) }
        if name.symbol == .Delta {
            if directions == 1 { return name.placed(layer: L - 1, reverse: false, sequence: sequence(b)) }
            var n = name
            n.symbol = .DeltaTop
            return n.placed(layer: nil, reverse: false, sequence: sequence(b))
        }
        var n = name
        if name.symbol == outputSymbol { n.symbol = .top }
        return n.placed(layer: nil, reverse: false, sequence: sequence(b))
    }
}

extension Symbol {
    /// The top layer's output as the head reads it: [out@lL; out@lL.reverse].
    public static let top = Symbol("top")
    /// ∂L/∂top_t, split between the top layer's two directions.
    public static let DeltaTop = Symbol("Delta_top")
}

extension Equation {
    /// The same equation with every name (its own and its operands') renamed.
    /// `reverse`: the equation is a reverse direction's, whose own next step is the network's
    /// t−1, so its mistakes' words about time are mirrored ("forgot Δout from t−1").
    func renamed(reverse: Bool = false, _ rename: (QuantityName) -> QuantityName) -> Equation {
        var e = Equation(rename(name), rhs.replacing { if case .ref(let n) = $0 { return .ref(rename(n)) } else { return nil } })
        e.mistakes = mistakes.map {
            Mistake(description: reverse ? Self.mirroringTime($0.description) : $0.description,
                    rhs: $0.rhs.replacing { if case .ref(let n) = $0 { return .ref(rename(n)) } else { return nil } }, code: $0.code)
        }
        return e
    }

    /// "t+1" ↔ "t−1" in a mistake's words.
    static func mirroringTime(_ text: String) -> String {
        text.replacing("t+1", with: "\u{0}").replacing("t−1", with: "t+1").replacing("\u{0}", with: "t−1")
    }
}

/// The batch size of a network of any cell.
public protocol NetworkSize { var sequenceCount: Int { get } }
extension NetworkProblem: NetworkSize {}
