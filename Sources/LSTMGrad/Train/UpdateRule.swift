/// How the spec's layout updates each parameter block: θ' = θ − λ·δθ, except where a layout
/// stores one canonical block twice (PyTorch's b = b_ih + b_hh: each takes the step −λ·δb,
/// so the effective bias moves by 2λ·δb).
public struct UpdateRule: Sendable, Equatable {
    /// Blocks whose effective value moves by 2λ·δθ.
    public var doubled: Set<Symbol>

    public init(doubled: Set<Symbol> = []) { self.doubled = doubled }

    public static let sgd = UpdateRule()

    public func equation(for block: QuantityName) -> Equation {
        guard doubled.contains(block.symbol) else { return Expr.sgdUpdate(block) }
        // b' = b − 2·λ·δb
        return Equation(block.afterUpdate, .difference(.ref(block), .scaled([.number(2), .λ, .ref(block.gradient)]))).withWrongStepSign
    }

    /// The note the report prints after an updated block, if the rule is not plain SGD.
    public func note(for block: QuantityName) -> String? {
        doubled.contains(block.symbol) ? "effective bias b_ih + b_hh: moved by 2λ·δb" : nil
    }
}
