/// One equation of a pass, written once: the quantity it defines and its right-hand side. Its
/// value in the reference pass, its show-work line, its recomputation from a student's numbers
/// in `check` and its classic mistakes all come from this one definition.
public struct Equation: Sendable, Equatable {
    public var name: QuantityName
    public var rhs: Expr
    /// Classic mistakes on this quantity, each an edit of `rhs`.
    public var mistakes: [Mistake]

    public init(_ name: QuantityName, _ rhs: Expr, mistakes: [Mistake] = []) {
        self.name = name
        self.rhs = rhs
        self.mistakes = mistakes
    }

    /// The equation with one more mistake: `edit` rewrites the right-hand side (nil: the edit
    /// does not apply here, and no mistake is added).
    public func mistake(_ description: String, code: String = "mistake", _ edit: (Expr) -> Expr?) -> Equation {
        guard let wrong = edit(rhs), wrong != rhs else { return self }
        var e = self
        e.mistakes.append(Mistake(description: description, rhs: wrong, code: code))
        return e
    }
}

/// A classic mistake: what the student did, and the right-hand side that does it.
public struct Mistake: Sendable, Equatable {
    public var description: String
    public var rhs: Expr
    /// A short machine-readable name (`check --format json`): `sgd_sign`, `post_activation`, …
    public var code: String = "mistake"
}
