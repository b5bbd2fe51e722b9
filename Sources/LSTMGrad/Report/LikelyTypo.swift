/// A wrong number that is a slip of the pen rather than of the method: the value it should have
/// been, written with one of the slips people make, gives exactly what the student wrote.
/// Told apart from a conceptual mistake (an edited equation) in `check`'s diagnosis.
public enum LikelyTypo: String, Sendable, Equatable, CaseIterable {
    case signFlipped = "sign flipped"
    case decimalPoint = "decimal point misplaced"
    case adjacentSwap = "two adjacent digits swapped"
    case droppedDigit = "a digit dropped"
    case doubledDigit = "a digit doubled"
    case digitMistyped = "one digit mistyped"

    /// The machine-readable name (`typo_sign`, `typo_decimal_point`, …).
    public var codeName: String {
        switch self {
        case .signFlipped: return "sign"
        case .decimalPoint: return "decimal_point"
        case .adjacentSwap: return "adjacent_swap"
        case .droppedDigit: return "dropped_digit"
        case .doubledDigit: return "doubled_digit"
        case .digitMistyped: return "digit"
        }
    }

    /// The slip that turns a value `accepts` would pass into `literal`, and that value as the
    /// student meant to write it. `accepts(x, decimals)`: whether x, written with that many
    /// decimals, would have passed; `targets`: the values it should have been (the truth, the
    /// value carried forward from the student's own numbers).
    public static func find(_ literal: String, accepts: (Double, Int?) -> Bool,
                            targets: [Double]) -> (typo: LikelyTypo, intended: String)? {
        guard let written = WrittenNumber(literal), written.value != 0 else { return nil }
        let x = written.value, d = written.decimals ?? 0
        if accepts(-x, written.decimals) { return (.signFlipped, text(-x, decimals: d)) }
        for k in [1, -1, 2, -2, 3, -3] {
            var scale = 1.0
            for _ in 0..<abs(k) { scale *= 10 }
            let shifted = k > 0 ? x * scale : x / scale
            let decimals = max(0, d - k)
            if accepts(shifted, decimals) { return (.decimalPoint, text(shifted, decimals: decimals)) }
        }
        // Digit slips compare the characters written with the target written the same way.
        guard !literal.contains(where: { $0 == "e" || $0 == "E" }) else { return nil }
        let lit = Array(literal)
        func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }
        // The value meant must itself pass, written as the student meant to write it.
        func passes(_ s: [Character], _ decimals: Int) -> Bool { Double(String(s)).map { accepts($0, decimals) } ?? false }
        for target in targets {
            let same = Array(text(target, decimals: d))
            if same.count == lit.count && passes(same, d) {
                let diff = lit.indices.filter { lit[$0] != same[$0] }
                if diff.count == 2, diff[1] == diff[0] + 1, lit[diff[0]] == same[diff[1]], lit[diff[1]] == same[diff[0]],
                   isDigit(lit[diff[0]]), isDigit(lit[diff[1]]) {
                    return (.adjacentSwap, String(same))
                }
                // One digit other than the last: a last digit off is arithmetic, not the pen.
                if diff.count == 1, diff[0] != lit.count - 1, isDigit(lit[diff[0]]), isDigit(same[diff[0]]) {
                    return (.digitMistyped, String(same))
                }
            }
            let longer = Array(text(target, decimals: d + 1))
            // Not the last digit left off: that is writing fewer digits, not a slip.
            if longer.count == lit.count + 1 && passes(longer, d + 1) && Array(longer.dropLast()) != lit {
                for k in longer.indices.dropLast() where isDigit(longer[k]) {
                    var cut = longer
                    cut.remove(at: k)
                    if cut == lit { return (.droppedDigit, String(longer)) }
                }
            }
            if d > 0 {
                let shorter = Array(text(target, decimals: d - 1))
                if shorter.count + 1 == lit.count && passes(shorter, d - 1) {
                    for k in lit.indices.dropFirst() where isDigit(lit[k]) && lit[k] == lit[k - 1] {
                        var cut = lit
                        cut.remove(at: k)
                        if cut == shorter { return (.doubledDigit, String(shorter)) }
                    }
                }
            }
        }
        return nil
    }

    static func text(_ x: Double, decimals: Int) -> String {
        var out = OutputBuffer()
        out.writeFixed(x, decimals: decimals)
        return out.text
    }
}
