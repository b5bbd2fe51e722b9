/// NumPy's files: one array in the .npy format (versions 1, 2 and 3: the magic `\x93NUMPY`, the
/// version, the header length, a Python dict literal `{'descr': '<f8', 'fortran_order': False,
/// 'shape': (3, 2), }`, then the data), and an .npz archive of them (`numpy.savez`, stored, or
/// `savez_compressed`, deflated), each member `NAME.npy`.
public enum NumPyFile {
    /// The array of a .npy file (or member).
    public static func array(_ bytes: [UInt8]) throws(TensorFileError) -> Tensor {
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw TensorFileError(expected: "a .npy array (starting with \\x93NUMPY)", found: bytes.count < 10 ? "\(bytes.count) bytes" : "other bytes")
        }
        let major = Int(bytes[6])
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = bytes.le16(8)
        case 2, 3:
            guard bytes.count >= 12 else { throw TensorFileError("the header", expected: "a header length", found: "the file ends") }
            headerStart = 12
            headerLength = bytes.le32(8)
        default:
            throw TensorFileError(expected: ".npy format version 1, 2 or 3", found: "version \(major).\(bytes[7])")
        }
        guard headerStart + headerLength <= bytes.count else {
            throw TensorFileError("the header", expected: "\(headerLength) bytes", found: "\(bytes.count - headerStart) (the file is truncated)")
        }
        let text = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        let header = try Header(parsing: text)
        let dataStart = headerStart + headerLength
        guard let count = Tensor.count(of: header.shape) else {
            throw TensorFileError("the header", expected: "a shape of non-negative sizes", found: text)
        }
        let (need, overflow) = count.multipliedReportingOverflow(by: header.dtype.size)
        guard !overflow, bytes.count - dataStart >= need else {
            throw TensorFileError(expected: "\(count) × \(header.dtype.size) bytes of data (shape \(Tensor.describe(shape: header.shape)))",
                                  found: "\(bytes.count - dataStart) (the file is truncated)")
        }
        return Tensor(shape: header.shape, values: Tensor.decode(bytes, from: dataStart, count: count, dtype: header.dtype), dtype: header.dtype)
    }

    /// The arrays of an .npz archive by name (member names without `.npy`), in archive order.
    public static func archive(_ bytes: [UInt8]) throws(TensorFileError) -> [(name: String, tensor: Tensor)] {
        let zip = try ZipArchive(bytes)
        var out: [(String, Tensor)] = []
        for member in zip.members {
            let name = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
            do {
                out.append((name, try array(try zip.data(member))))
            } catch {
                throw error.part.hasPrefix("member") ? error : error.within("array \"\(name)\"")
            }
        }
        return out
    }

    /// The header's three entries.
    struct Header {
        var dtype: Tensor.DType
        var shape: [Int]

        init(parsing text: String) throws(TensorFileError) {
            var p = LiteralParser(Array(text.utf8))
            let dict: [String: LiteralParser.Value]
            do {
                dict = try p.dictionary()
            } catch {
                throw TensorFileError("the header", expected: "a Python dict literal {'descr': …, 'fortran_order': …, 'shape': (…)}", found: "\(text.trimmed) (\(error.message))")
            }
            guard case .string(let descr)? = dict["descr"] else {
                throw TensorFileError("the header", expected: "a 'descr' string (the dtype)", found: text.trimmed)
            }
            switch descr {
            case "<f4": dtype = .float32
            case "<f8": dtype = .float64
            case ">f4", ">f8":
                throw TensorFileError("the header", expected: "little-endian float32 or float64 ('<f4' or '<f8')",
                                      found: "'\(descr)', big-endian (convert with a.astype('<f8'))")
            default:
                throw TensorFileError("the header", expected: "dtype float32 or float64 ('<f4' or '<f8')",
                                      found: "'\(descr)'" + (Self.dtypeNames[descr].map { " (\($0))" } ?? "") + " (convert with a.astype('<f8'))")
            }
            if case .bool(true)? = dict["fortran_order"] {
                throw TensorFileError("the header", expected: "C order ('fortran_order': False)",
                                      found: "'fortran_order': True (save np.ascontiguousarray(a))")
            }
            guard case .tuple(let dims)? = dict["shape"] else {
                throw TensorFileError("the header", expected: "a 'shape' tuple", found: text.trimmed)
            }
            shape = dims
        }

        static let dtypeNames = ["<i8": "int64", "<i4": "int32", "<f2": "float16", "|b1": "bool", "|u1": "uint8", "|i1": "int8",
                                 "<u8": "uint64", "<c16": "complex128", "<c8": "complex64", "|O": "Python objects"]
    }
}

extension String {
    /// Without leading and trailing spaces and newlines (no Foundation).
    var trimmed: String {
        let scalars = unicodeScalars
        guard let a = scalars.firstIndex(where: { $0 != " " && $0 != "\n" }),
              let b = scalars.lastIndex(where: { $0 != " " && $0 != "\n" }) else { return "" }
        return String(scalars[a...b])
    }
}

/// The Python literals of a .npy header: a dict of string keys whose values are strings,
/// True/False, or tuples of integers.
struct LiteralParser {
    enum Value { case string(String), bool(Bool), tuple([Int]) }
    struct Failure: Error { var message: String }

    let bytes: [UInt8]
    var pos = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func skipSpace() { while pos < bytes.count && (bytes[pos] == 0x20 || bytes[pos] == 0x0A) { pos += 1 } }

    mutating func expect(_ c: UInt8) throws(Failure) {
        skipSpace()
        guard pos < bytes.count, bytes[pos] == c else { throw Failure(message: "expected '\(Character(Unicode.Scalar(c)))' at character \(pos)") }
        pos += 1
    }

    mutating func peek(_ c: UInt8) -> Bool {
        skipSpace()
        return pos < bytes.count && bytes[pos] == c
    }

    mutating func dictionary() throws(Failure) -> [String: Value] {
        try expect(UInt8(ascii: "{"))
        var out: [String: Value] = [:]
        while !peek(UInt8(ascii: "}")) {
            let key = try string()
            try expect(UInt8(ascii: ":"))
            out[key] = try value()
            if !peek(UInt8(ascii: ",")) { break }
            pos += 1
        }
        try expect(UInt8(ascii: "}"))
        return out
    }

    mutating func string() throws(Failure) -> String {
        skipSpace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "'") || bytes[pos] == UInt8(ascii: "\"") else {
            throw Failure(message: "expected a quoted string at character \(pos)")
        }
        let quote = bytes[pos]
        pos += 1
        let start = pos
        while pos < bytes.count && bytes[pos] != quote { pos += 1 }
        guard pos < bytes.count else { throw Failure(message: "an unterminated string") }
        defer { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    mutating func value() throws(Failure) -> Value {
        skipSpace()
        guard pos < bytes.count else { throw Failure(message: "the header ends early") }
        switch bytes[pos] {
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "T"), UInt8(ascii: "F"):
            for (word, value) in [("True", true), ("False", false)] where bytes[pos...].starts(with: word.utf8) {
                pos += word.utf8.count
                return .bool(value)
            }
            throw Failure(message: "expected True or False at character \(pos)")
        case UInt8(ascii: "("):
            pos += 1
            var dims: [Int] = []
            while !peek(UInt8(ascii: ")")) {
                let start = pos
                while pos < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[pos]) { pos += 1 }
                guard pos > start, let d = Int(String(decoding: bytes[start..<pos], as: UTF8.self)) else {
                    throw Failure(message: "expected a size at character \(start)")
                }
                // A trailing L (Python 2's long) is tolerated.
                if pos < bytes.count && bytes[pos] == UInt8(ascii: "L") { pos += 1 }
                dims.append(d)
                if !peek(UInt8(ascii: ",")) { break }
                pos += 1
            }
            try expect(UInt8(ascii: ")"))
            return .tuple(dims)
        default:
            throw Failure(message: "an unexpected value at character \(pos)")
        }
    }
}
