/// An n-dimensional array read from a tensor file (safetensors, .npy, .npz), its values
/// widened to double in row-major (C) order.
public struct Tensor: Sendable, Equatable {
    /// The element type as the file stored it (computation is always in double).
    public enum DType: String, Sendable {
        case float32, float64

        /// Bytes per element.
        public var size: Int { self == .float32 ? 4 : 8 }
    }

    public var shape: [Int]
    /// prod(shape) values, the last index fastest.
    public var values: [Double]
    public var dtype: DType

    public init(shape: [Int], values: [Double], dtype: DType) {
        self.shape = shape
        self.values = values
        self.dtype = dtype
    }

    /// "3×2", "a scalar", "5".
    public static func describe(shape: [Int]) -> String {
        shape.isEmpty ? "a scalar" : shape.map(String.init).joined(separator: "×")
    }

    /// The number of elements a shape holds, or nil when it overflows.
    public static func count(of shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (m, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = m
        }
        return n
    }

    /// Little-endian float32 or float64 bytes `bytes[start ..< start + count·size]` as doubles.
    /// The caller has checked the range.
    static func decode(_ bytes: [UInt8], from start: Int, count: Int, dtype: DType) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + start
                switch dtype {
                case .float32:
                    for k in 0..<count {
                        out[k] = Double(Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self))))
                    }
                case .float64:
                    for k in 0..<count {
                        out[k] = Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)))
                    }
                }
            }
            initialized = count
        }
    }

    /// The entries along the first axis, as JSON values: numbers for a vector, tensors of one
    /// rank less otherwise.
    public var rows: [JSONNode.Value] {
        guard let n = shape.first else { return [] }
        if shape.count == 1 { return values.map { .number($0, literal: "") } }
        let inner = Array(shape.dropFirst())
        let stride = inner.reduce(1, *)
        return (0..<n).map { k in .tensor(Tensor(shape: inner, values: Array(values[(k * stride)..<((k + 1) * stride)]), dtype: dtype)) }
    }

    /// The first index (as `[i, j]`) of a value that is not finite, if any.
    public var firstNonFinite: (index: [Int], value: Double)? {
        guard let k = values.firstIndex(where: { !$0.isFinite }) else { return nil }
        var index = [Int](repeating: 0, count: shape.count)
        var rest = k
        for d in shape.indices.reversed() where shape[d] > 0 {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return (index, values[k])
    }
}

/// What is wrong with a tensor file: the part of the file (a tensor's name, the zip member,
/// the header), what was expected and what was found. The spec decoder adds the file's name
/// and the spec's place.
public struct TensorFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `tensor "lstm.weight_ih_l0"`, `the header`, `member "x.npy"`; empty for the whole file.
    public var part: String
    public var expected: String
    public var found: String

    public init(_ part: String = "", expected: String, found: String) {
        self.part = part
        self.expected = expected
        self.found = found
    }

    public var description: String { (part.isEmpty ? "" : part + ": ") + "expected \(expected), found \(found)" }

    /// The same error inside a part (`member "x.npy"`), keeping an inner part after it.
    func within(_ outer: String) -> TensorFileError {
        TensorFileError(part.isEmpty ? outer : outer + ", " + part, expected: expected, found: found)
    }
}

/// Little-endian integers at byte offsets, with the bounds checked by the caller.
extension Array where Element == UInt8 {
    @inline(__always) func le16(_ at: Int) -> Int { Int(self[at]) | Int(self[at + 1]) << 8 }
    @inline(__always) func le32(_ at: Int) -> Int { le16(at) | le16(at + 2) << 16 }
    @inline(__always) func le64(_ at: Int) -> UInt64 { UInt64(le32(at)) | UInt64(le32(at + 4)) << 32 }
}
