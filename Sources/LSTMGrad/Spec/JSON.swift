/// A parsed JSON value that remembers where it stood in the source (a byte offset, turned into
/// line:column only when a message needs it). Objects keep their members in source order, with
/// duplicates, so that the decoder can report them.
public struct JSONNode: Sendable {
    /// Not `indirect`: arrays and objects already live in heap buffers, and a box per number
    /// would double the memory a large file takes.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number and its literal text as written (for "digits the student wrote").
        case number(Double, literal: String)
        case string(String)
        case array([JSONNode])
        /// A non-empty array whose items are all numbers, packed (8 bytes a number and 4 for its
        /// place) instead of a node per number; `array` gives the nodes when asked.
        case numbers(JSONNumbers)
        case object([JSONMember])
        /// An array read from a tensor file (`SpecFiles`), rank 1 or more: it reads as the
        /// nested arrays it stands for (`array` gives its rows), without a node per number, and
        /// the spec reader takes vectors and matrices from it in one copy.
        case tensor(Tensor)
    }

    public var value: Value
    /// Byte offset of the value's first character.
    public var offset: Int

    public init(_ value: Value, offset: Int) {
        self.value = value
        self.offset = offset
    }

    /// The kind of value, as an error message names it ("a number", "an array of 3", …).
    public var kindDescription: String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let v, let literal): return "the number \(literal.isEmpty ? shortest(v) : literal)"
        case .string(let s): return "the string \"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .array(let items): return items.isEmpty ? "an empty array" : "an array of \(items.count)"
        case .numbers(let p): return "an array of \(p.count)"
        case .object(let members): return members.isEmpty ? "an empty object" : "an object"
        case .tensor(let t): return t.shape[0] == 0 ? "an empty array" : "an array of \(t.shape[0])"
        }
    }

    public var number: Double? {
        if case .number(let v, _) = value { return v }
        return nil
    }

    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    /// The items of an array (packed numbers turned into nodes).
    public var array: [JSONNode]? {
        switch value {
        case .array(let items): return items
        case .tensor(let t): return t.rows.map { JSONNode($0, offset: offset) }
        case .numbers(let p): return p.nodes
        default: return nil
        }
    }

    /// The number of items of an array, without building the nodes of packed numbers.
    public var arrayCount: Int? {
        switch value {
        case .array(let items): return items.count
        case .numbers(let p): return p.count
        case .tensor(let t): return t.shape[0]
        default: return nil
        }
    }

    public var members: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }
}

/// The items of an array of numbers: their values only (8 bytes a number). The place and the
/// literal of an item are found again in the source text when a message or an updated spec
/// needs them (the array is valid JSON: numbers, commas and whitespace).
public struct JSONNumbers: Sendable {
    public var values: [Double] = []
    /// The parsed text (shared, not copied) and the offset of the array's '['.
    let source: [UInt8]
    let start: Int

    public var count: Int { values.count }

    static func continuesNumber(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
             UInt8(ascii: "e"), UInt8(ascii: "E"):
            return true
        default:
            return false
        }
    }

    /// The byte offsets of every item's literal, in one pass over the array's text.
    public var offsets: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        var k = start + 1
        while out.count < count {
            while !Self.continuesNumber(source[k]) { k += 1 }  // whitespace and the comma
            out.append(k)
            while Self.continuesNumber(source[k]) { k += 1 }
        }
        return out
    }

    /// The byte offset of item k's literal.
    public func offset(_ k: Int) -> Int { offsets[k] }

    /// The literal of the item at a byte offset, as written.
    func literal(at offset: Int) -> String {
        var end = offset
        while end < source.count && Self.continuesNumber(source[end]) { end += 1 }
        return String(decoding: source[offset..<end], as: UTF8.self)
    }

    public func literal(_ k: Int) -> String { literal(at: offset(k)) }

    public var literals: [String] { offsets.map { literal(at: $0) } }

    public var nodes: [JSONNode] {
        zip(values, offsets).map { v, o in JSONNode(.number(v, literal: literal(at: o)), offset: o) }
    }
}

public struct JSONMember: Sendable {
    public var key: String
    public var keyOffset: Int
    public var value: JSONNode
}

/// A syntax error: where the parse stopped and why.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    public var offset: Int
    public var message: String
    /// The path of the value being parsed where it broke (`inputs[1]`), the root when outside any.
    public var path: JSONPath = .root
}

/// A strict RFC 8259 parser over UTF-8 bytes with a nesting limit. It never traps: every
/// malformed input ends in a `JSONSyntaxError` at the offending byte.
public struct JSONParser {
    public static let defaultMaxDepth = 64

    let bytes: [UInt8]
    var pos = 0
    let maxDepth: Int
    /// The keys and indices leading to the value being parsed, for error messages.
    var path: [JSONPath.Component] = []

    public init(bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes: bytes, maxDepth: maxDepth)
        // A UTF-8 byte order mark is tolerated.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { parser.pos = 3 }
        parser.skipWhitespace()
        if parser.pos == bytes.count { throw parser.error("the file is empty, expected a JSON object") }
        let node = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos != bytes.count {
            throw parser.error("unexpected \(parser.describeHere()) after the end of the JSON value")
        }
        return node
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? pos, message: message, path: JSONPath(path))
    }

    /// What stands at `pos`, for messages: `'x'`, `end of input`.
    func describeHere() -> String {
        guard pos < bytes.count else { return "end of input" }
        let b = bytes[pos]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        if b == 0x20 { return "a space" }
        if b < 0x20 { return "control character 0x\(String(b, radix: 16, uppercase: true))" }
        // Decode one UTF-8 scalar for the message.
        var it = bytes[pos...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&it) { return "'\(Character(s))'" }
        return "an invalid UTF-8 byte"
    }

    mutating func skipWhitespace() {
        while pos < bytes.count {
            switch bytes[pos] {
            case 0x20, 0x09, 0x0A, 0x0D: pos += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard pos < bytes.count else { throw error("unexpected end of input, expected a value") }
        let start = pos
        switch bytes[pos] {
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw JSONSyntaxError(offset: pos, message: "JSON nested deeper than \(maxDepth) levels (the limit)") }
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw JSONSyntaxError(offset: pos, message: "JSON nested deeper than \(maxDepth) levels (the limit)") }
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return JSONNode(.string(try parseString()), offset: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        case UInt8(ascii: "t"):
            try expectWord("true")
            return JSONNode(.bool(true), offset: start)
        case UInt8(ascii: "f"):
            try expectWord("false")
            return JSONNode(.bool(false), offset: start)
        case UInt8(ascii: "n"):
            try expectWord("null")
            return JSONNode(.null, offset: start)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            if matchesWord("NaN") || matchesWord("Infinity") {
                throw error("expected a finite number, found \(matchesWord("NaN") ? "NaN" : "Infinity") (NaN and Infinity are not JSON numbers)")
            }
            throw error("expected a value, found \(describeHere())")
        case UInt8(ascii: "'"):
            throw error("strings must use double quotes, found '")
        default:
            throw error("expected a value, found \(describeHere())")
        }
    }

    func matchesWord(_ word: String) -> Bool {
        let w = Array(word.utf8)
        guard pos + w.count <= bytes.count else { return false }
        return Array(bytes[pos..<(pos + w.count)]) == w
    }

    mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        guard matchesWord(word) else { throw error("expected a value, found \(describeHere())") }
        pos += word.utf8.count
    }

    mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        pos += 1
        var members: [JSONMember] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") {
            pos += 1
            return JSONNode(.object(members), offset: start)
        }
        while true {
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input inside an object, expected a key") }
            guard bytes[pos] == UInt8(ascii: "\"") else {
                if bytes[pos] == UInt8(ascii: "}") { throw error("trailing comma before '}'") }
                throw error("expected a key in double quotes, found \(describeHere())")
            }
            let keyOffset = pos
            let key = try parseString()
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key \"\(key)\", found \(describeHere())")
            }
            pos += 1
            skipWhitespace()
            path.append(.key(key))
            let value = try parseValue(depth: depth)
            path.removeLast()
            members.append(JSONMember(key: key, keyOffset: keyOffset, value: value))
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input inside an object, expected ',' or '}'") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw error("expected ',' or '}' in an object, found \(describeHere())")
        }
        return JSONNode(.object(members), offset: start)
    }

    /// True when the value at `pos` is a number (or a stray '-').
    func atNumber() -> Bool {
        guard pos < bytes.count else { return false }
        let b = bytes[pos]
        return b == UInt8(ascii: "-") || b >= 0x30 && b <= 0x39
    }

    mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        pos += 1
        var items: [JSONNode] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") {
            pos += 1
            return JSONNode(.array(items), offset: start)
        }
        if atNumber() {
            // Numbers go straight into packed storage, without a node or a path entry each.
            var packed = JSONNumbers(source: bytes, start: start)
            while true {
                if let v = fastNumber() {
                    packed.values.append(v)
                } else {
                    do {
                        packed.values.append(try scanNumber())
                    } catch {
                        throw JSONSyntaxError(offset: error.offset, message: error.message, path: JSONPath(path + [.index(packed.count)]))
                    }
                }
                skipWhitespace()
                guard pos < bytes.count else { throw error("unexpected end of input inside an array, expected ',' or ']'") }
                if bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    return JSONNode(.numbers(packed), offset: start)
                }
                guard bytes[pos] == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array, found \(describeHere())") }
                pos += 1
                skipWhitespace()
                if !atNumber() { break }
            }
            // Something other than a number follows: the rest is read as nodes.
            items = packed.nodes
        }
        while true {
            skipWhitespace()
            if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { throw error("trailing comma before ']'") }
            path.append(.index(items.count))
            items.append(try parseValue(depth: depth))
            path.removeLast()
            skipWhitespace()
            guard pos < bytes.count else { throw error("unexpected end of input inside an array, expected ',' or ']'") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; break }
            throw error("expected ',' or ']' in an array, found \(describeHere())")
        }
        return JSONNode(.array(items), offset: start)
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        let start = pos
        pos += 1
        var out: [UInt8] = []
        var runStart = pos
        while true {
            guard pos < bytes.count else { throw error("unterminated string", at: start) }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<pos])
                pos += 1
                break
            }
            if b < 0x20 {
                throw error(b == 0x0A ? "unterminated string (a line break inside quotes)" : "control character 0x\(String(b, radix: 16, uppercase: true)) inside a string; escape it")
            }
            if b == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<pos])
                pos += 1
                guard pos < bytes.count else { throw error("unterminated string", at: start) }
                let e = bytes[pos]
                pos += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
                        }
                        pos += 2
                        let low = try parseHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(scalar) {
                        throw error("unpaired surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
                    }
                    guard let s = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default:
                    pos -= 1
                    throw error("invalid escape \\\(describeHere().trimmingQuotes) in a string")
                }
                runStart = pos
                continue
            }
            pos += 1
        }
        guard let s = String(validating: out, as: UTF8.self) else {
            throw error("the string is not valid UTF-8", at: start)
        }
        return s
    }

    mutating func parseHex4() throws(JSONSyntaxError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[pos]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected 4 hex digits in \\u escape, found \(describeHere())")
            }
            v = v * 16 + d
            pos += 1
        }
        return v
    }

    static let exactPowersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// The short decimal people write (-?digits, optionally .digits, at most 15 digits, no
    /// exponent), read in one pass over the bytes without bounds checks and converted exactly
    /// (Clinger's fast path: the digits and 10^k are exact doubles, so one division rounds
    /// correctly); nil, without moving, for anything else, which `scanNumber` then reads with its
    /// diagnostics.
    mutating func fastNumber() -> Double? {
        let found: (Double, Int)? = bytes.withUnsafeBufferPointer { p in
            let n = p.count
            var k = pos
            let negative = k < n && p[k] == UInt8(ascii: "-")
            if negative { k += 1 }
            var mantissa: UInt64 = 0
            let intStart = k
            while k < n, p[k] &- 0x30 < 10 {
                mantissa = mantissa &* 10 &+ UInt64(p[k] &- 0x30)
                k += 1
            }
            let intDigits = k - intStart
            // No digit, or a leading zero ("01"): scanNumber says which.
            guard intDigits > 0, intDigits == 1 || p[intStart] != UInt8(ascii: "0") else { return nil }
            var fraction = 0
            if k < n && p[k] == UInt8(ascii: ".") {
                k += 1
                let start = k
                while k < n, p[k] &- 0x30 < 10 {
                    mantissa = mantissa &* 10 &+ UInt64(p[k] &- 0x30)
                    k += 1
                }
                fraction = k - start
                guard fraction > 0 else { return nil }
            }
            // An exponent, a second '.', or more digits than an exact double holds: scanNumber.
            guard intDigits + fraction <= 15 else { return nil }
            if k < n, p[k] == UInt8(ascii: "e") || p[k] == UInt8(ascii: "E") || p[k] == UInt8(ascii: ".") { return nil }
            var scale = 1.0
            for _ in 0..<fraction { scale *= 10 }  // 10^k, exact for k ≤ 22
            let value = Double(mantissa) / scale
            return (negative ? -value : value, k)
        }
        guard let (value, end) = found else { return nil }
        pos = end
        return value
    }

    /// A number and its literal.
    mutating func parseNumber() throws(JSONSyntaxError) -> JSONNode {
        let start = pos
        let value = try scanNumber()
        return JSONNode(.number(value, literal: String(decoding: bytes[start..<pos], as: UTF8.self)), offset: start)
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, in one pass and without allocating,
    /// converted with correct rounding: exactly by Clinger's fast path when the digits fit
    /// (mantissa < 2^53, |power of ten| ≤ 22), else by the standard library's parser.
    mutating func scanNumber() throws(JSONSyntaxError) -> Double {
        let start = pos
        var negative = false
        if bytes[pos] == UInt8(ascii: "-") {
            negative = true
            pos += 1
        }
        func isDigit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= 0x30 && bytes[k] <= 0x39 }
        guard isDigit(pos) else {
            if matchesWord("Infinity") { throw error("expected a finite number, found -Infinity (NaN and Infinity are not JSON numbers)", at: start) }
            throw error("expected a digit after '-', found \(describeHere())")
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = 0  // integer digits beyond 19 that did not fit
        var exponent10 = 0
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if isDigit(pos) { throw error("numbers must not have leading zeros", at: start) }
        } else {
            while isDigit(pos) {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[pos] - 0x30)
                    if mantissa != 0 { digits += 1 }
                } else {
                    dropped += 1
                }
                pos += 1
            }
        }
        var inexact = dropped > 0
        exponent10 += dropped
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard isDigit(pos) else { throw error("expected a digit after '.', found \(describeHere())") }
            while isDigit(pos) {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[pos] - 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent10 -= 1
                } else if bytes[pos] != 0x30 {
                    inexact = true
                }
                pos += 1
            }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            var expNegative = false
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) {
                expNegative = bytes[pos] == UInt8(ascii: "-")
                pos += 1
            }
            guard isDigit(pos) else { throw error("expected a digit in the exponent, found \(describeHere())") }
            var e = 0
            while isDigit(pos) {
                if e < 100_000 { e = e * 10 + Int(bytes[pos] - 0x30) }
                pos += 1
            }
            exponent10 += expNegative ? -e : e
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") || bytes[pos] >= 0x30 && bytes[pos] <= 0x39 {
            throw error("invalid number", at: start)
        }
        if !inexact && mantissa < (1 << 53) && abs(exponent10) <= 22 {
            var value = Double(mantissa)
            if exponent10 < 0 { value /= JSONParser.exactPowersOfTen[-exponent10] } else { value *= JSONParser.exactPowersOfTen[exponent10] }
            return negative ? -value : value
        }
        return Double(String(decoding: bytes[start..<pos], as: UTF8.self)) ?? .nan
    }
}

extension String {
    var trimmingQuotes: String {
        var s = self
        if s.hasPrefix("'") { s.removeFirst() }
        if s.hasSuffix("'") { s.removeLast() }
        return s
    }
}

/// The text of a source file, able to turn a byte offset into line:column.
public struct SourceText: Sendable {
    public let name: String
    public let bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    /// Line and column (in Unicode scalars, 1-based) of a byte offset.
    public func location(of offset: Int) -> SourceLocation {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var k = 0
        while k < end {
            if bytes[k] == 0x0A {
                line += 1
                lineStart = k + 1
            }
            k += 1
        }
        var column = 1
        k = lineStart
        while k < end {
            // Count scalars: every byte that is not a UTF-8 continuation byte.
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return SourceLocation(line: line, column: column)
    }
}
