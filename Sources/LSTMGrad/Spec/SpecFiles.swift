#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Spec members that name a tensor file instead of writing numbers, resolved before decoding:
///
///     "weights": {"file": "model.safetensors", "prefix": "lstm."}   every tensor named lstm.…, prefix dropped
///     "inputs":  {"file": "data.npz", "key": "x"}                   one array of an .npz or safetensors file
///     "labels":  {"file": "y.npy"}                                  the array of an .npy file
///
/// Paths are relative to the spec's directory. Each reference becomes the nested arrays (or,
/// without "key", the object of named arrays) it stands for, at the reference's place, so every
/// decoder reads file data exactly as it reads JSON, and its shape messages name the spec's
/// path. float32 and float64 little-endian tensors are read (computed in double); anything
/// else is an error naming the file, the tensor, what was expected and what was found.
public enum SpecFiles {
    public static let referenceKeys = ["file", "key", "prefix"]
    /// Tensor files larger than this are refused (a spec file has its own, smaller limit).
    public static let maxBytes = 4 << 30

    /// The document with every file reference replaced, and one header line per reference
    /// (`weights: model.safetensors, prefix "lstm.": 4 float32 tensors (computed in float64)`).
    /// Errors go to `reader`.
    public static func resolve(_ root: JSONNode, reader: SpecReader) -> (JSONNode, [String]) {
        var resolver = Resolver(reader: reader, directory: directory(of: reader.source.name))
        let out = resolver.walk(root, .root) ?? root
        return (out, resolver.notes)
    }

    /// The directory a spec's relative file names start from ("" for the working directory).
    static func directory(of specName: String) -> String {
        guard specName != "<stdin>", let slash = specName.lastIndex(of: "/") else { return "" }
        return String(specName[...slash])
    }

    /// The arrays of one file, by name, in the file's order.
    public static func read(_ path: String) throws(TensorFileError) -> [(name: String, tensor: Tensor)] {
        guard let format = Format(path: path) else {
            throw TensorFileError(expected: "a file name ending in .safetensors, .npz or .npy", found: "\"\(path)\"")
        }
        // A device or a pipe (/dev/zero) would be read up to the limit: only regular files.
        var st = stat()
        if stat(path, &st) == 0 && (st.st_mode & S_IFMT) != S_IFREG && (st.st_mode & S_IFMT) != S_IFDIR {
            throw TensorFileError(expected: "a regular file", found: "a device, pipe or socket")
        }
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(path, maxBytes: maxBytes)
        } catch {
            throw TensorFileError(expected: "a readable file", found: error.message)
        }
        switch format {
        case .safetensors: return try SafetensorsFile.tensors(bytes)
        case .npz: return try NumPyFile.archive(bytes)
        case .npy: return [("", try NumPyFile.array(bytes))]
        }
    }

    enum Format {
        case safetensors, npz, npy

        init?(path: String) {
            if path.hasSuffix(".safetensors") { self = .safetensors } else if path.hasSuffix(".npz") { self = .npz } else if path.hasSuffix(".npy") { self = .npy } else { return nil }
        }
    }

    /// A tensor as the JSON value a spec would write (a number, or an array that reads as its
    /// nested lists), at `offset` (the reference's place); numbers have no literal (they are
    /// written back in their shortest form).
    static func node(_ t: Tensor, offset: Int) -> JSONNode {
        JSONNode(t.shape.isEmpty ? .number(t.values[0], literal: "") : .tensor(t), offset: offset)
    }

    struct Resolver {
        let reader: SpecReader
        let directory: String
        var notes: [String] = []
        /// Files read so far (a model's weights and head often come from one file).
        var cache: [String: [(name: String, tensor: Tensor)]] = [:]

        /// The node with its references replaced, or nil when it has none.
        mutating func walk(_ node: JSONNode, _ path: JSONPath) -> JSONNode? {
            switch node.value {
            case .object(let members):
                if members.contains(where: { $0.key == "file" }) { return reference(node, path) }
                var changed = false
                var out = members
                for (k, m) in members.enumerated() {
                    if let n = walk(m.value, path / m.key) {
                        out[k].value = n
                        changed = true
                    }
                }
                return changed ? JSONNode(.object(out), offset: node.offset) : nil
            case .array(let items):
                // Arrays of numbers (the bulk of a spec) hold no reference.
                var out: [JSONNode]?
                for (k, item) in items.enumerated() {
                    switch item.value {
                    case .array, .object:
                        if let n = walk(item, path / k) {
                            if out == nil { out = items }
                            out![k] = n
                        }
                    default: continue
                    }
                }
                return out.map { JSONNode(.array($0), offset: node.offset) }
            default:
                return nil
            }
        }

        /// A `{"file": …}` member: its arrays, or a placeholder after an error.
        mutating func reference(_ node: JSONNode, _ path: JSONPath) -> JSONNode {
            let failed = JSONNode(.null, offset: node.offset)
            // A reference that stands for an object of arrays (no "key", not an .npy file) may
            // carry the object's other members (a GRU's "convention", an RNN's "activation").
            let written = node.members ?? []
            let fileName = written.first { $0.key == "file" }?.value.string ?? ""
            let standsForObject = !written.contains { $0.key == "key" } && Format(path: fileName) != .npy
            let others = standsForObject ? written.map(\.key).filter { !SpecFiles.referenceKeys.contains($0) } : []
            guard let f = reader.object(node, path, allowed: SpecFiles.referenceKeys + others),
                  let file = f["file"].flatMap({ reader.string($0, path / "file") }) else { return failed }
            let key = f["key"].flatMap { reader.string($0, path / "key") }
            let prefix = f["prefix"].flatMap { reader.string($0, path / "prefix") }
            if (f.has("key") && key == nil) || (f.has("prefix") && prefix == nil) { return failed }
            if key != nil && prefix != nil {
                reader.fail(.conflict("give \"key\" (one array) or \"prefix\" (every array whose name starts with it), not both"), node, path)
                return failed
            }
            let resolved = file.hasPrefix("/") ? file : directory + file
            func fail(_ e: TensorFileError) -> JSONNode {
                reader.fail(.file("\(file): \(e)"), f["file"]!, path / "file")
                return failed
            }
            let tensors: [(name: String, tensor: Tensor)]
            if let cached = cache[resolved] {
                tensors = cached
            } else {
                do {
                    tensors = try SpecFiles.read(resolved)
                } catch {
                    return fail(error)
                }
                cache[resolved] = tensors
            }
            let isNpy = Format(path: resolved) == .npy
            if isNpy && (key != nil || prefix != nil) {
                reader.fail(.conflict("a .npy file holds one array: remove \"\(key != nil ? "key" : "prefix")\""), node, path)
                return failed
            }
            let names = tensors.map(\.name)
            var chosen: [(name: String, tensor: Tensor)]
            if isNpy {
                chosen = tensors
            } else if let key {
                guard let t = tensors.first(where: { $0.name == key }) else {
                    let hint = suggestion(for: key, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
                    reader.fail(.file("\(file): expected an array named \"\(key)\"\(hint), found only \(listed(names))"), f["key"]!, path / "key")
                    return failed
                }
                chosen = [t]
            } else {
                let p = prefix ?? ""
                chosen = tensors.filter { $0.name.hasPrefix(p) && $0.name.count > p.count }.map { (String($0.name.dropFirst(p.count)), $0.tensor) }
                guard !chosen.isEmpty else {
                    reader.fail(.file("\(file): expected arrays whose names start with \"\(p)\", found only \(listed(names))"), f["prefix"] ?? node, path / "prefix")
                    return failed
                }
            }
            for (name, t) in chosen {
                if let bad = t.firstNonFinite {
                    let which = name.isEmpty ? (key.map { "array \"\($0)\"" } ?? "the array") : "array \"\((prefix ?? "") + name)\""
                    return fail(TensorFileError(which, expected: "finite numbers",
                                                found: "\(bad.value) at [\(bad.index.map(String.init).joined(separator: ", "))]"))
                }
            }
            let dtypes = Set(chosen.map(\.tensor.dtype))
            let dtype = dtypes.count == 1 ? dtypes.first!.rawValue : "float32 and float64"
            let what = key.map { ", array \"\($0)\"" } ?? prefix.map { ", prefix \"\($0)\"" } ?? ""
            let one = chosen[0].tensor.shape
            let shapes = !(isNpy || key != nil) ? "\(chosen.count) \(dtype) arrays"
                : one.isEmpty ? "a \(dtype) number" : "a \(dtype) array of shape \(Tensor.describe(shape: one))"
            notes.append("\(path): \(file)\(what): \(shapes)" + (dtypes.contains(.float32) ? " (computed in float64)" : ""))
            if isNpy || key != nil { return SpecFiles.node(chosen[0].tensor, offset: node.offset) }
            var members = f.order.filter { others.contains($0) }.map { f.members[$0]! }
            for (name, t) in chosen {
                if let first = members.first(where: { $0.key == name }) {
                    reader.fail(.conflict("\"\(name)\" is given here and read from \(file); give it once"), at: first.keyOffset, path / name)
                    return failed
                }
                members.append(JSONMember(key: name, keyOffset: node.offset, value: SpecFiles.node(t, offset: node.offset)))
            }
            return JSONNode(.object(members), offset: node.offset)
        }

        func listed(_ names: [String]) -> String {
            if names.isEmpty { return "no arrays" }
            let shown = names.prefix(8).map { "\"\($0)\"" }.joined(separator: ", ")
            return shown + (names.count > 8 ? " and \(names.count - 8) more" : "")
        }
    }
}
