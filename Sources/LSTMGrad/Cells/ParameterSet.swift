/// Named parameter blocks, so that the update, finite differences, the report and the layouts
/// treat every cell and head alike. Gradients have the parameters' own type.
public protocol ParameterSet: Sendable {
    /// Block names in report order, e.g. `W.a`, `U.a`, `b.a`.
    var blockNames: [QuantityName] { get }
    /// A block's numbers (row-major for a matrix).
    subscript(block name: QuantityName) -> [Double] { get set }
    /// A block as the report shows it (matrix or vector).
    func value(of name: QuantityName) -> Value
    /// The same shapes, all zero.
    var zeroed: Self { get }
}

extension ParameterSet {
    /// θ ← θ − λ·δθ, block by block.
    public func sgdStep(gradients: Self, learningRate: Double) -> Self {
        var out = self
        for name in blockNames {
            let g = gradients[block: name]
            out[block: name] = zip(self[block: name], g).map { $0 - learningRate * $1 }
        }
        return out
    }

    /// The number of scalar parameters.
    public var parameterCount: Int { blockNames.reduce(0) { $0 + self[block: $1].count } }

    /// The parameters with every block read from `values` by name (gradients: `dW.a`, …).
    public func reading(_ values: Trace, as name: (QuantityName) -> QuantityName = { $0 }) -> Self {
        var out = self
        for block in blockNames {
            if let v = values[name(block)] { out[block: block] = v.numbers }
        }
        return out
    }
}
