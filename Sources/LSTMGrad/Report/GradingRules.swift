#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `check` judges a written number: the tolerance model of docs/grading.md.
///
/// A number passes when it lies within half a unit of its last written digit of the value it is
/// compared with, and within half a unit of that value's `minDigits`-th significant digit (so
/// `0.0` does not pass for −0.01702, nor `0.1` for 0.11491) — or of the report's last decimal
/// (`precision`, 5) where that is coarser: nobody is held to more digits than the key prints
/// (`0.00036` passes for 0.000358). An integer states no decimals of its own: it is held to
/// the significant digits alone (`0` passes for 0, not for −0.01702). `tolerance` (`--tol`)
/// replaces both with one absolute tolerance. `strict` gives no credit for carried-forward
/// errors or hand rounding (regression checks in CI).
public struct GradingRules: Sendable, Equatable {
    public var tolerance: Double?
    public var rounded: Int?
    public var minDigits: Int
    public var strict: Bool
    /// Whether the answers follow the truncated gradient (`--no-recurrent-terms`).
    public var recurrentTerms: Bool
    /// The decimals the report prints: no answer is held to more.
    public var precision: Int = 5

    public static let defaultMinDigits = 3

    public init(tolerance: Double? = nil, rounded: Int? = nil, minDigits: Int = GradingRules.defaultMinDigits,
                strict: Bool = false, recurrentTerms: Bool = true) {
        self.tolerance = tolerance
        self.rounded = rounded
        self.minDigits = minDigits
        self.strict = strict
        self.recurrentTerms = recurrentTerms
    }

    /// The most a number written with `decimals` (nil: an integer) may differ from `reference`.
    public func tolerance(decimals: Int?, reference: Double) -> Double {
        if let tolerance { return tolerance }
        let significant = significantTolerance(reference)
        guard let decimals else { return significant }
        return min(WrittenNumber.tolerance(decimals: decimals), significant)
    }

    /// The half-width of the values a written number stands for, as an operand of a later
    /// answer: half a unit of its last digit; an integer is taken as exact.
    public func radius(decimals: Int?) -> Double {
        if let tolerance { return tolerance }
        return decimals.map(WrittenNumber.tolerance) ?? 0
    }

    /// Half a unit of the `minDigits`-th significant digit of x, or of the `precision`-th
    /// decimal where that is coarser (infinite with `minDigits` 0).
    public func significantTolerance(_ x: Double) -> Double {
        guard minDigits > 0 else { return .infinity }
        let floor = WrittenNumber.tolerance(decimals: precision)
        guard x != 0, x.isFinite else { return floor }
        let decimals = minDigits - 1 - Int(log10(abs(x)).rounded(.down))
        return max(0.5 * pow(10, Double(-decimals)) * (1 + 1e-9) + 1e-12, floor)
    }
}
