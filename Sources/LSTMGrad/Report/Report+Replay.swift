extension Report {
    /// Re-evaluates every equation of the pass in its order, with each operand replaced by the
    /// value `substitute` gives for it (a student's answer), or by its earlier re-evaluated
    /// value, or else `operand` of the pass's own value; passes each result through `finish`.
    /// Returns the re-evaluated value of every name; `raw` receives each result before
    /// `finish`. With `finish` = round to D decimals this is the hand-rounded pass; with
    /// `substitute` = a student's answers it is "error carried forward".
    public func replay(substitute: (QuantityName) -> Value? = { _ in nil }, operand: (Value) -> Value = { $0 },
                       finish: (Value) -> Value, raw: inout [QuantityName: Value]) -> [QuantityName: Value] {
        guard let values else { return [:] }
        var replayed: [QuantityName: Value] = [:]
        for eq in equations where replayed[eq.name] == nil {
            let r = (try? eq.rhs.evaluate { name in substitute(name) ?? replayed[name] ?? values[name].map(operand) }) ?? values.value(eq.name)
            raw[eq.name] = r
            replayed[eq.name] = finish(r)
        }
        return replayed
    }

    /// The pass recomputed with every operand and every intermediate rounded to `decimals`
    /// places (`--rounded`): each quantity's value from rounded operands, before its own rounding.
    public func handRounded(decimals d: Int, truncating: Bool = false) -> [QuantityName: Value] {
        var raw: [QuantityName: Value] = [:]
        _ = replay(operand: { $0.rounded(decimals: d, truncating: truncating) },
                   finish: { $0.rounded(decimals: d, truncating: truncating) }, raw: &raw)
        return raw
    }
}
