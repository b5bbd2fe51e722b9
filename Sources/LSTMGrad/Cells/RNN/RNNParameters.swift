/// W (H×H, recurrent), U (H×X, input), b (H, optional), as the vanilla-RNN sheet writes
/// h_t = act(W·h_{t−1} + U·x_t + b).
public struct RNNParameters: ParameterSet, Equatable {
    public var W: Matrix
    public var U: Matrix
    /// nil: the cell has no bias (as in the sheet), and none is learned.
    public var b: Vector?
    public var activation: Activation

    public init(W: Matrix, U: Matrix, b: Vector?, activation: Activation) {
        self.W = W
        self.U = U
        self.b = b
        self.activation = activation
    }

    public var hiddenSize: Int { W.rows }
    public var inputSize: Int { U.cols }

    static let wName = QuantityName(.W), uName = QuantityName(.U), bName = QuantityName(.b)

    public var blockNames: [QuantityName] { b == nil ? [Self.wName, Self.uName] : [Self.wName, Self.uName, Self.bName] }

    public subscript(block name: QuantityName) -> [Double] {
        get {
            switch name {
            case Self.wName: return W.values
            case Self.uName: return U.values
            default: return b?.values ?? []
            }
        }
        set {
            switch name {
            case Self.wName: W.values = newValue
            case Self.uName: U.values = newValue
            default: b = Vector(newValue)
            }
        }
    }

    public func value(of name: QuantityName) -> Value {
        switch name {
        case Self.wName: return .matrix(W)
        case Self.uName: return .matrix(U)
        default: return .vector(b ?? Vector(zeros: hiddenSize))
        }
    }

    public var zeroed: RNNParameters {
        RNNParameters(W: Matrix(zeros: W.rows, W.cols), U: Matrix(zeros: U.rows, U.cols),
                      b: b.map { Vector(zeros: $0.count) }, activation: activation)
    }
}
