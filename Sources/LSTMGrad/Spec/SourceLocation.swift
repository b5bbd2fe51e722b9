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
