/// The LSTM's parameters and the peephole weights p_i, p_f, p_o (H each) that let the gates
/// see the cell state (Gers & Schmidhuber 2000; the form in Greff et al., "LSTM: A Search Space
/// Odyssey", 2015).
public struct PeepholeLSTMParameters: ParameterSet, Equatable {
    public var lstm: LSTMParameters
    /// p_i and p_f read state_{t−1}; p_o reads state_t.
    public var i: Vector, f: Vector, o: Vector

    public init(lstm: LSTMParameters, i: Vector, f: Vector, o: Vector) {
        self.lstm = lstm
        self.i = i
        self.f = f
        self.o = o
    }

    public var hiddenSize: Int { lstm.hiddenSize }
    public var inputSize: Int { lstm.inputSize }

    /// The gates that have a peephole, in the order the report lists them.
    static let gates: [LSTMGate] = [.i, .f, .o]

    static func name(_ g: LSTMGate) -> QuantityName { QuantityName(.p, g.rawValue) }

    public func peephole(_ g: LSTMGate) -> Vector? {
        switch g {
        case .i: return i
        case .f: return f
        case .o: return o
        case .a: return nil
        }
    }

    /// W, U, b per gate, then p_i, p_f, p_o.
    public var blockNames: [QuantityName] { lstm.blockNames + Self.gates.map(Self.name) }

    static func gate(of name: QuantityName) -> LSTMGate? {
        guard name.symbol == .p, let c = name.component, let g = LSTMGate(rawValue: c), g != .a else { return nil }
        return g
    }

    public subscript(block name: QuantityName) -> [Double] {
        get {
            guard let g = Self.gate(of: name) else { return lstm[block: name] }
            return peephole(g)!.values
        }
        set {
            switch Self.gate(of: name) {
            case .i: i = Vector(newValue)
            case .f: f = Vector(newValue)
            case .o: o = Vector(newValue)
            default: lstm[block: name] = newValue
            }
        }
    }

    public func value(of name: QuantityName) -> Value {
        guard let g = Self.gate(of: name) else { return lstm.value(of: name) }
        return .vector(peephole(g)!)
    }

    public var zeroed: PeepholeLSTMParameters {
        PeepholeLSTMParameters(lstm: lstm.zeroed, i: Vector(zeros: i.count), f: Vector(zeros: f.count), o: Vector(zeros: o.count))
    }
}

extension Symbol {
    /// A peephole weight: `p.i`, `p.f`, `p.o`.
    public static let p = Symbol("p")
}

/// How a peephole spec spells its blocks: the per-gate W, U, b, and `peepholes.i` … for
/// p_i …; the report prints the canonical names only.
public struct PeepholeLayout: ParameterLayout {
    public var name: String { "per-gate with peepholes" }
    public var isShownInReport: Bool { false }

    public func blocks(_ p: PeepholeLSTMParameters) -> [(name: String, value: Value)] {
        p.blockNames.map { block in
            guard let g = PeepholeLSTMParameters.gate(of: block) else { return (block.description, p.value(of: block)) }
            return ("peepholes." + g.rawValue, p.value(of: block))
        }
    }

    public func note(learningRate: Double) -> String? { nil }
}
