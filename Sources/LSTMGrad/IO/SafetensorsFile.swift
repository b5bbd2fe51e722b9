/// The safetensors format (what `safetensors.torch.save_file(model.state_dict(), path)` writes):
/// an 8-byte little-endian header length N, a JSON header of N bytes mapping each tensor's name
/// to `{"dtype": "F32", "shape": [3, 2], "data_offsets": [begin, end]}` (offsets into the data
/// after the header; an optional `"__metadata__"` entry of strings), then the data,
/// little-endian.
public enum SafetensorsFile {
    /// Every tensor, in the header's order.
    public static func tensors(_ bytes: [UInt8]) throws(TensorFileError) -> [(name: String, tensor: Tensor)] {
        guard bytes.count >= 8 else {
            throw TensorFileError(expected: "a safetensors file (an 8-byte header length, a JSON header, the data)", found: "\(bytes.count) bytes")
        }
        let length = bytes.le64(0)
        guard length <= UInt64(bytes.count - 8) else {
            throw TensorFileError("the header", expected: "\(length) bytes (from the length prefix)", found: "\(bytes.count - 8) (truncated, or not a safetensors file)")
        }
        let dataStart = 8 + Int(length)
        let root: JSONNode
        do {
            root = try JSONParser.parse(Array(bytes[8..<dataStart]))
        } catch {
            throw TensorFileError("the header", expected: "JSON", found: "\(error.message) at byte \(8 + error.offset)")
        }
        guard let members = root.members else {
            throw TensorFileError("the header", expected: "a JSON object", found: root.kindDescription)
        }
        let dataLength = bytes.count - dataStart
        var out: [(String, Tensor)] = []
        for m in members where m.key != "__metadata__" {
            let part = "tensor \"\(m.key)\""
            func field(_ key: String) -> JSONNode? { m.value.members?.first { $0.key == key }?.value }
            guard case .string(let dtypeName)? = field("dtype")?.value else {
                throw TensorFileError(part, expected: "a \"dtype\" string", found: field("dtype")?.kindDescription ?? "none")
            }
            let dtype: Tensor.DType
            switch dtypeName {
            case "F32": dtype = .float32
            case "F64": dtype = .float64
            default:
                throw TensorFileError(part, expected: "dtype F32 or F64 (float32, float64)",
                                      found: "\(dtypeName) (save with tensor.float() or tensor.double())")
            }
            guard let shapeItems = field("shape")?.array else {
                throw TensorFileError(part, expected: "a \"shape\" array", found: field("shape")?.kindDescription ?? "none")
            }
            var shape: [Int] = []
            for item in shapeItems {
                guard let d = item.number, d >= 0, d == d.rounded(), d < 9e15 else {
                    throw TensorFileError(part, expected: "a shape of non-negative integers", found: item.kindDescription)
                }
                shape.append(Int(d))
            }
            guard let offsets = field("data_offsets")?.array, offsets.count == 2,
                  let begin = offsets[0].number, let end = offsets[1].number,
                  begin >= 0, end >= begin, begin == begin.rounded(), end == end.rounded(), end < 9e15 else {
                throw TensorFileError(part, expected: "\"data_offsets\": [begin, end]", found: field("data_offsets")?.kindDescription ?? "none")
            }
            guard let count = Tensor.count(of: shape), count.multipliedReportingOverflow(by: dtype.size).overflow == false,
                  Int(end) - Int(begin) == count * dtype.size else {
                throw TensorFileError(part, expected: "\(Tensor.describe(shape: shape)) × \(dtype.size) bytes of \(dtypeName)",
                                      found: "data_offsets [\(Int(begin)), \(Int(end))]: \(Int(end) - Int(begin)) bytes")
            }
            guard Int(end) <= dataLength else {
                throw TensorFileError(part, expected: "data at bytes \(Int(begin))…\(Int(end)) after the header",
                                      found: "\(dataLength) bytes of data (the file is truncated)")
            }
            out.append((m.key, Tensor(shape: shape, values: Tensor.decode(bytes, from: dataStart + Int(begin), count: count, dtype: dtype), dtype: dtype)))
        }
        return out
    }
}
