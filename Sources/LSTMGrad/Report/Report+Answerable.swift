extension Report {
    /// Every value an answers file may name: the printed quantities (first occurrence first),
    /// then, with the work, the values the pass computed by an equation that this notation does
    /// not print (δgates_t in colah's notation, z_t in the published one), labelled in the
    /// notation and carrying their equations.
    public var answerable: [Quantity] {
        var out = uniqueQuantities
        guard let values else { return out }
        var seen = Set(out.map(\.name))
        for eq in equations where seen.insert(eq.name).inserted {
            guard let v = values[eq.name] else { continue }
            var q = notation.quantity(eq.name, v)
            q.equation = eq
            out.append(q)
        }
        return out
    }
}
