/// A cell's gates (`LSTMGate`, `GRUGate`): the raw value names the gate in a block name such as `W.a`.
public protocol GateKind: RawRepresentable, CaseIterable, Sendable where RawValue == String, AllCases == [Self] {}

extension LSTMGate: GateKind {}
extension GRUGate: GateKind {}

/// One value per gate, stored apart (`PerGate`, `GRUGates`).
public protocol GateValues<Gate, Element>: Sendable {
    associatedtype Gate: GateKind
    associatedtype Element: Sendable

    init(_ make: (Gate) -> Element)
    subscript(gate: Gate) -> Element { get set }
}

extension GateValues {
    /// The values in the gates' declared order.
    public var inGateOrder: [Element] { Gate.allCases.map { self[$0] } }
}

extension GateValues where Element == Matrix {
    /// The gates' matrices stacked top to bottom in the gates' order.
    public var stacked: Matrix { Matrix.stack(inGateOrder) }
}

extension GateValues where Element == Vector {
    /// The gates' vectors concatenated in the gates' order.
    public var stacked: Vector { Vector(inGateOrder.flatMap { $0.values }) }
}

extension PerGate: GateValues {}
extension GRUGates: GateValues {}

/// A parameter set made of per-gate matrices and vectors, one block per `BLOCK.gate` (`W.a`, `bh.n`).
/// A type states its block names and where each block's gates are stored; the names, the access
/// by name, the report value and the zeroed copy are shared.
public protocol GatedParameterSet: ParameterSet {
    associatedtype Gate: GateKind
    associatedtype MatrixGates: GateValues where MatrixGates.Gate == Gate, MatrixGates.Element == Matrix
    associatedtype VectorGates: GateValues where VectorGates.Gate == Gate, VectorGates.Element == Vector

    /// Block names in report order: the matrices, then the vectors.
    static var matrixBlocks: [Symbol] { get }
    static var vectorBlocks: [Symbol] { get }
    /// Where a matrix (vector) block's gates are stored; `block` is one of `matrixBlocks` (`vectorBlocks`).
    static func matrices(_ block: Symbol) -> WritableKeyPath<Self, MatrixGates>
    static func vectors(_ block: Symbol) -> WritableKeyPath<Self, VectorGates>
}

/// Where one named block lives in a `GatedParameterSet`.
enum GatedBlock<P: GatedParameterSet> {
    case matrix(WritableKeyPath<P, P.MatrixGates>, P.Gate)
    case vector(WritableKeyPath<P, P.VectorGates>, P.Gate)

    init(_ name: QuantityName) {
        guard let component = name.component, let gate = P.Gate(rawValue: component) else {
            preconditionFailure("unknown \(P.self) block \(name)")
        }
        let block = name.symbol
        if P.matrixBlocks.contains(block) {
            self = .matrix(P.matrices(block), gate)
        } else if P.vectorBlocks.contains(block) {
            self = .vector(P.vectors(block), gate)
        } else {
            preconditionFailure("unknown \(P.self) block \(name)")
        }
    }
}

extension GatedParameterSet {
    public var blockNames: [QuantityName] {
        (Self.matrixBlocks + Self.vectorBlocks).flatMap { block in Gate.allCases.map { QuantityName(block, $0.rawValue) } }
    }

    public subscript(block name: QuantityName) -> [Double] {
        get {
            switch GatedBlock<Self>(name) {
            case let .matrix(path, gate): return self[keyPath: path][gate].values
            case let .vector(path, gate): return self[keyPath: path][gate].values
            }
        }
        set {
            switch GatedBlock<Self>(name) {
            case let .matrix(path, gate): self[keyPath: path][gate].values = newValue
            case let .vector(path, gate): self[keyPath: path][gate].values = newValue
            }
        }
    }

    public func value(of name: QuantityName) -> Value {
        switch GatedBlock<Self>(name) {
        case let .matrix(path, gate): return .matrix(self[keyPath: path][gate])
        case let .vector(path, gate): return .vector(self[keyPath: path][gate])
        }
    }

    /// The same shapes, all zero; anything else (a convention) is kept.
    public var zeroed: Self {
        var out = self
        for block in Self.matrixBlocks {
            let path = Self.matrices(block)
            out[keyPath: path] = MatrixGates { Matrix(zeros: self[keyPath: path][$0].rows, self[keyPath: path][$0].cols) }
        }
        for block in Self.vectorBlocks {
            let path = Self.vectors(block)
            out[keyPath: path] = VectorGates { Vector(zeros: self[keyPath: path][$0].count) }
        }
        return out
    }
}
