/// A place in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A path into a JSON document, printed as `weights.W.i`, `inputs[0][1]`, `["odd key"]`.
public struct JSONPath: Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Component: Equatable, Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(_ index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }
    public static func / (path: JSONPath, key: String) -> JSONPath { path.appending(key) }
    public static func / (path: JSONPath, index: Int) -> JSONPath { path.appending(index) }

    public var description: String {
        var out = ""
        for component in components {
            switch component {
            case .index(let k):
                out += "[\(k)]"
            case .key(let key):
                if JSONPath.isPlainKey(key) {
                    out += out.isEmpty ? key : "." + key
                } else {
                    out += "[\"" + key + "\"]"
                }
            }
        }
        return out.isEmpty ? "(top level)" : out
    }

    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !(("0"..."9").contains(first)) else { return false }
        return key.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "_"
                || s.properties.isAlphabetic
        }
    }
}

/// Byte offsets of one text to line:column, after one pass over it: the start of every line,
/// and every 4 KiB the number of Unicode scalars before that byte. A location then costs a
/// binary search and at most 4 KiB of counting, however many errors a file has and however
/// long its lines (a message for the 1,000th duplicate key no longer rescans the file).
public struct LineIndex: Sendable {
    /// Byte offset of the first byte of each line (line 1 starts at 0).
    let lineStarts: [Int]
    /// scalarsBefore[k]: Unicode scalars in bytes[0 ..< k·stride].
    let scalarsBefore: [Int]
    static let strideShift = 12

    public init(_ bytes: [UInt8]) {
        var starts = [0]
        var checkpoints: [Int] = []
        checkpoints.reserveCapacity(bytes.count >> LineIndex.strideShift + 1)
        var scalars = 0
        let mask = (1 << LineIndex.strideShift) - 1
        for k in bytes.indices {
            if k & mask == 0 { checkpoints.append(scalars) }
            let b = bytes[k]
            // A scalar starts at every byte that is not a UTF-8 continuation byte.
            if b & 0xC0 != 0x80 { scalars += 1 }
            if b == 0x0A { starts.append(k + 1) }
        }
        checkpoints.append(scalars)  // for an offset at the very end
        lineStarts = starts
        scalarsBefore = checkpoints
    }

    /// Line and column (in Unicode scalars, 1-based) of a byte offset of `bytes`, the text the
    /// index was built from; the same answer as `SourceText.location(of:)`.
    public func location(of offset: Int, in bytes: [UInt8]) -> SourceLocation {
        let end = min(max(offset, 0), bytes.count)
        // The last line start ≤ end.
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= end { lo = mid } else { hi = mid - 1 }
        }
        let column = scalars(before: end, in: bytes) - scalars(before: lineStarts[lo], in: bytes) + 1
        return SourceLocation(line: lo + 1, column: column)
    }

    /// Unicode scalars in bytes[0 ..< offset].
    func scalars(before offset: Int, in bytes: [UInt8]) -> Int {
        let block = offset >> LineIndex.strideShift
        var n = scalarsBefore[block]
        var k = block << LineIndex.strideShift
        while k < offset {
            if bytes[k] & 0xC0 != 0x80 { n += 1 }
            k += 1
        }
        return n
    }
}
