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
    /// succeeded, so that nothing reaches stdout on failure. The rest goes on the final flush.
    public var stream: Int32?
    public static let chunkSize = 1 << 16

    /// Writes what is buffered and empties the buffer.
    public mutating func drain(to fd: Int32) {
        flush(to: fd)
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
        let negative = x < 0 && (whole != 0 || r != 0)
        if negative { bytes.append(UInt8(ascii: "-")) }
        writeDigits(UInt64(abs(whole)), minWidth: 1)
        if p > 0 {
            bytes.append(UInt8(ascii: "."))
            writeDigits(UInt64(r), minWidth: p)
        }
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
        var b = OutputBuffer()
        b.writeFixed(x, decimals: decimals)
        return b.bytes.count
    }

    /// Writes to a file descriptor, all of it.
    public func flush(to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            guard raw.count > 0 else { return }
            var offset = 0
            while offset < raw.count {
                let n = platformWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
