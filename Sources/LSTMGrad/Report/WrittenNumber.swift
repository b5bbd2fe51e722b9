/// A number as a student wrote it in an answers file: its value, and the decimals its digits
/// state once the exponent is applied (`0.81775` → 5, `-0.0922` → 4, `1.5e-3` → 4, `2e-3` → 3).
///
/// Read in one pass with bounded arithmetic, whatever the literal: an exponent saturates at
/// ±`exponentLimit` and the decimals at `maxDecimals`, past which a double can hold no digit
/// (10⁻³²⁴ is below its smallest subnormal), so `1e-9223372036854775808` and
/// `0.5e-100000000000000` read as 400 decimals instead of overflowing or looping.
public struct WrittenNumber: Sendable, Equatable {
    public var value: Double
    /// The decimals stated, 0…`maxDecimals`; nil for a plain integer (`0`, `-3`), which states
    /// no precision of its own.
    public var decimals: Int?

    /// Decimals past this are all alike: half a unit of the 400th decimal is 0 in a double.
    public static let maxDecimals = 400
    /// An exponent is read up to this magnitude; larger ones change nothing above.
    static let exponentLimit = 1_000_000

    /// Reads a JSON number literal, `-?digits(.digits)?([eE][+-]?digits)?`; nil for anything else.
    public init?(_ literal: some StringProtocol) {
        var bytes = literal.utf8.makeIterator()
        var next = bytes.next()
        func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
        if next == UInt8(ascii: "-") { next = bytes.next() }
        guard isDigit(next) else { return nil }
        while isDigit(next) { next = bytes.next() }
        var fraction = 0
        var hasPoint = false
        if next == UInt8(ascii: ".") {
            hasPoint = true
            next = bytes.next()
            guard isDigit(next) else { return nil }
            while isDigit(next) {
                fraction += 1
                next = bytes.next()
            }
        }
        var exponent = 0
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            next = bytes.next()
            var negative = false
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") {
                negative = next == UInt8(ascii: "-")
                next = bytes.next()
            }
            guard isDigit(next) else { return nil }
            var magnitude = 0
            while let d = next, isDigit(d) {
                // Saturates: |exponent| stays below 10·exponentLimit, so no sum below overflows.
                if magnitude < WrittenNumber.exponentLimit { magnitude = magnitude * 10 + Int(d - 0x30) }
                next = bytes.next()
            }
            exponent = negative ? -magnitude : magnitude
        }
        guard next == nil else { return nil }
        // As the checker always read them: without a point, `2e-3` states 3 decimals and a bare
        // integer (or `5e0`) none; with one, the fraction's digits less the exponent.
        if hasPoint {
            decimals = min(max(0, fraction - exponent), WrittenNumber.maxDecimals)
        } else {
            decimals = exponent == 0 ? nil : min(max(0, -exponent), WrittenNumber.maxDecimals)
        }
        value = Double(String(literal)) ?? .nan
    }

    /// Half a unit of the `decimals`-th decimal, with a tiny slack for binary rounding:
    /// 0.5·10^−d·(1 + 10⁻⁹) + 10⁻¹². Saturates: any d past `maxDecimals` (or below 0) is read
    /// as `maxDecimals` (or 0), so the result is always finite and positive.
    public static func tolerance(decimals: Int) -> Double {
        let unit = units[min(max(decimals, 0), maxDecimals)]
        return 0.5 * unit * (1 + 1e-9) + 1e-12
    }

    /// 10^−d for d = 0…maxDecimals, by repeated division (the checker's arithmetic since the
    /// start, so every tolerance is the same double as before); it reaches 0 well before 400.
    static let units: [Double] = {
        var out: [Double] = []
        var unit = 1.0
        for _ in 0...maxDecimals {
            out.append(unit)
            unit /= 10
        }
        return out
    }()
}
