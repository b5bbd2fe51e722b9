/// The four gates of the published example: a (input activation, tanh), i, f, o (sigmoid).
public enum LSTMGate: String, CaseIterable, Sendable {
    case a, i, f, o

    /// a is the candidate (tanh); the others are gates (sigmoid).
    public var activation: Activation { self == .a ? .tanh : .sigmoid }
}

/// One value per gate, stored apart (never one array addressed by offsets).
public struct PerGate<T: Sendable>: Sendable {
    public var a: T, i: T, f: T, o: T

    public init(a: T, i: T, f: T, o: T) {
        self.a = a
        self.i = i
        self.f = f
        self.o = o
    }

    public init(_ make: (LSTMGate) -> T) {
        self.init(a: make(.a), i: make(.i), f: make(.f), o: make(.o))
    }

    public subscript(gate: LSTMGate) -> T {
        get {
            switch gate {
            case .a: return a
            case .i: return i
            case .f: return f
            case .o: return o
            }
        }
        set {
            switch gate {
            case .a: a = newValue
            case .i: i = newValue
            case .f: f = newValue
            case .o: o = newValue
            }
        }
    }

    public func map<U>(_ body: (T) -> U) -> PerGate<U> { PerGate<U> { body(self[$0]) } }
}

extension PerGate: Equatable where T: Equatable {}
