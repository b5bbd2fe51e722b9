/// Every value of a pass by its typed name: the parameters, the inputs and labels, and each
/// value its equation gave. What the report, show-work and `check` read.
public struct Trace: Sendable {
    public private(set) var values: [QuantityName: Value] = [:]

    public init() {}

    public subscript(name: QuantityName) -> Value? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// A value that the pass must hold (a missing one is a programming error in a cell).
    public func value(_ name: QuantityName) -> Value {
        guard let v = values[name] else { preconditionFailure("the pass has no value for \(name)") }
        return v
    }

    public func vector(_ name: QuantityName) -> Vector { value(name).vector }

    /// Evaluates `equation` and stores its value, unless a value is already there (the fast
    /// kernel provides some values; the equations give the rest).
    public mutating func evaluate(_ equation: Equation) {
        guard values[equation.name] == nil else { return }
        do {
            values[equation.name] = try equation.rhs.evaluate { values[$0] }
        } catch {
            preconditionFailure("\(equation.name) reads \(error.name), which has no value yet")
        }
    }

    /// Stores every block of a parameter set under its name (gradients: `as: \.gradient`).
    public mutating func store<P: ParameterSet>(_ parameters: P, as name: (QuantityName) -> QuantityName = { $0 }) {
        for block in parameters.blockNames { values[name(block)] = parameters.value(of: block) }
    }
}
