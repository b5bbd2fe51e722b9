#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte buffer that formats numbers without `String(format:)`: fixed decimals with correct
/// rounding of the exact binary value (as printf does), and the shortest round-trip form.
public struct OutputBuffer: Sendable {
    public var bytes: [UInt8] = []

    public init() {}

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    public mutating func write(_ s: String) {
        bytes.append(contentsOf: s.utf8)
        if let fd = stream, bytes.count >= OutputBuffer.chunkSize { drain(to: fd) }
    }
    public mutating func write(_ s: Substring) { bytes.append(contentsOf: s.utf8) }
    public mutating func byte(_ b: UInt8) { bytes.append(b) }
    public mutating func spaces(_ n: Int) { for _ in 0..<max(0, n) { bytes.append(0x20) } }
    public mutating func newline() {
        bytes.append(0x0A)
        if let fd = stream, bytes.count >= OutputBuffer.chunkSize { drain(to: fd) }
    }

    /// When set, the buffer hands its bytes to this descriptor in chunks of about `chunkSize`
    /// (at line ends) instead of holding the whole output: set it once the computation has
    /// succeeded, so that nothing reaches stdout on failure. The rest goes on the final drain.
    public var stream: Int32?
    public static let chunkSize = 1 << 16

    /// The errno of the first write that failed in `drain` (a full disk, a closed descriptor,
    /// a pipe whose reader left); from then on output is discarded.
    public private(set) var writeError: Int32?
    /// Called once with that errno, as soon as a write fails: the executable reports it and
    /// ends there rather than render output that can no longer be delivered.
    public var onWriteError: (@Sendable (Int32) -> Void)?

    /// Writes what is buffered, every byte checked, and empties the buffer.
    public mutating func drain(to fd: Int32) {
        if writeError == nil, let code = OutputFile.writeAll(fd, bytes) {
            writeError = code
            onWriteError?(code)
        }
        bytes.removeAll(keepingCapacity: true)
    }

    static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    public static let maxDecimals = 15

    /// x with exactly `decimals` digits after the point, rounded half to even on the exact
    /// binary value. A result that rounds to zero prints without a sign ("0.00000").
    public mutating func writeFixed(_ x: Double, decimals: Int) {
        let p = min(max(decimals, 0), OutputBuffer.maxDecimals)
        guard x.isFinite else {
            write(x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf"))
            return
        }
        guard abs(x) < 1e15 else {
            write(x.description)
            return
        }
        let (whole, r) = OutputBuffer.fixedParts(x, decimals: p)
        let negative = x < 0 && (whole != 0 || r != 0)
        // Sign, whole digits, point and decimals assembled on the stack, appended at once.
        var tmp: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { buf in
            var w = UInt64(abs(whole))
            var digits = 1
            var probe = w
            while probe >= 10 {
                probe /= 10
                digits += 1
            }
            let sign = negative ? 1 : 0
            let length = sign + digits + (p > 0 ? p + 1 : 0)
            if negative { buf[0] = UInt8(ascii: "-") }
            var k = sign + digits - 1
            while k >= sign {
                buf[k] = UInt8(truncatingIfNeeded: w % 10) &+ 0x30
                w /= 10
                k -= 1
            }
            if p > 0 {
                buf[sign + digits] = UInt8(ascii: ".")
                var f = UInt64(r)
                var k = length - 1
                while k > sign + digits {
                    buf[k] = UInt8(truncatingIfNeeded: f % 10) &+ 0x30
                    f /= 10
                    k -= 1
                }
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[0..<length]))
        }
    }

    /// The whole part and the p-digit fraction of x rounded to p decimals (finite |x| < 1e15).
    @inline(__always)
    static func fixedParts(_ x: Double, decimals p: Int) -> (whole: Double, fraction: Double) {
        var whole = x.rounded(.towardZero)
        let frac = abs(x - whole)  // exact: both share the binade of x
        let scale = OutputBuffer.powersOfTen[p]
        // frac·scale = prod + err exactly (an error-free product; prod < 10^15 < 2^52).
        let prod = frac * scale
        let err = fma(frac, scale, -prod)
        let floorProd = prod.rounded(.down)
        let above = prod - floorProd - 0.5  // exact
        var r = floorProd
        // On an exact tie, round to the even last kept digit (the fraction's, or the whole part's
        // when there are no decimals).
        let lastKeptOdd = (p > 0 ? floorProd : whole).truncatingRemainder(dividingBy: 2) != 0
        if above > 0 || (above == 0 && (err > 0 || (err == 0 && lastKeptOdd))) {
            r += 1
        }
        if r >= scale {
            r -= scale
            whole += x < 0 ? -1 : 1
        }
        return (whole, r)
    }

    mutating func writeDigits(_ n: UInt64, minWidth: Int) {
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat {
                buf[count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            while count < minWidth && count < 20 {
                buf[count] = UInt8(ascii: "0")
                count += 1
            }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(buf[k]) }
        }
    }

    /// The shortest decimal that reads back as the same double.
    public mutating func writeShortest(_ x: Double) {
        if x == 0 {
            write("0")
            return
        }
        write(x.description)
    }

    /// The width `writeFixed` would produce.
    public static func fixedWidth(_ x: Double, decimals: Int) -> Int {
        let p = min(max(decimals, 0), OutputBuffer.maxDecimals)
        let a = abs(x)
        if a < 1e14 {
            // Fast estimate from a + ½·10^−p, exact unless a rounding boundary (the result
            // rounding to zero, or a carry into one more whole digit) lies within 1e−12 of it.
            let z = 0.5 / OutputBuffer.powersOfTen[p]
            let b = a + z
            if abs(a - z) > 1e-12 * z {
                var digits = 1
                var pw = 10.0
                while b >= pw {
                    digits += 1
                    pw *= 10
                }
                if abs(b - pw) > 1e-12 * pw && (digits == 1 || abs(b - pw / 10) > 1e-12 * pw) {
                    let negative = x < 0 && a > z
                    return (negative ? 1 : 0) + digits + (p > 0 ? p + 1 : 0)
                }
            }
        }
        if x.isFinite && a < 1e15 {
            // Computed, not written: sign, whole digits, point and decimals.
            let (whole, r) = fixedParts(x, decimals: p)
            var digits = 1
            var w = UInt64(abs(whole))
            while w >= 10 {
                w /= 10
                digits += 1
            }
            let negative = x < 0 && (whole != 0 || r != 0)
            return (negative ? 1 : 0) + digits + (p > 0 ? p + 1 : 0)
        }
        var b = OutputBuffer()
        b.writeFixed(x, decimals: decimals)
        return b.bytes.count
    }

    /// Writes to a file descriptor, all of it; the errno of a failed write, or nil.
    @discardableResult
    public func flush(to fd: Int32) -> Int32? {
        OutputFile.writeAll(fd, bytes)
    }
}
