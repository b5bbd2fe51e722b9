/// Mutates a JSON file into a likely-broken variant: byte flips, truncation, duplication, type
/// swaps, huge and odd numbers, deep nesting, deleted and spliced spans. Each case applies one
/// to three mutations to the original bytes, so that most cases stay close to a valid spec and
/// reach the decoder's and the calculator's deeper paths.
public struct Mutator: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case byteFlip, truncate, duplicate, typeSwap, hugeNumber, deepNesting, deleteSpan, insertToken, growArray
    }

    /// Inputs are capped at this size (a mutation that would exceed it is skipped).
    public var maxSize: Int

    public init(maxSize: Int = 1 << 20) { self.maxSize = maxSize }

    static let numbers = [
        "1e308", "-1e308", "1.7976931348623157e308", "1e309", "-1e400", "1e-400", "4.9e-324", "0", "-0", "1",
        "-1", "1000", "-1000", "1e30", "123456789012345678901234567890", "0.1e-5", "9007199254740993", "2",
        "3", "0.5", "1e5", "100000000000000000000000",
    ]
    static let values = [
        "\"x\"", "\"\"", "[]", "{}", "null", "true", "false", "[1,2]", "[[1,2],[3]]", "[[]]", "{\"a\":1}",
        "\"lstm\"", "\"softmax\"", "\"ce\"", "\"upstream\"", "-", "1.", ".5", "01", "NaN", "Infinity", "-Infinity",
        "\"\\ud800\"", "\"\\u00e9\"",
    ]
    static let tokens: [[UInt8]] = [
        Array(",".utf8), Array("}".utf8), Array("]".utf8), Array("{".utf8), Array("[".utf8), Array("\"".utf8),
        Array(":".utf8), Array("\\".utf8), [0], [0xFF], [0xC3], [0xE2, 0x82], Array("\n".utf8), Array("NaN".utf8),
        Array("\"head\": {\"type\": \"softmax\", \"V\": [[1],[2]]},".utf8), Array("\"loss\": \"ce\",".utf8),
        Array("\"loss\": \"upstream\",".utf8), Array("\"learning_rate\": -1,".utf8), Array("\"model\": \"gru\",".utf8),
        Array("\"initial\": {\"out\": [1e308]},".utf8), Array("\"head\": {\"type\": \"linear\", \"V\": [[1e308]]},".utf8),
        Array("\"head\": {\"type\": \"sigmoid\", \"V\": 1},".utf8), Array("\"loss\": \"bce\",".utf8),
        Array("\"loss\": {\"type\": \"l2\", \"half\": false, \"reduction\": \"mean\"},".utf8),
    ]

    /// One mutated case of `input`.
    public func mutate<G: RandomNumberGenerator>(_ input: [UInt8], using g: inout G) -> [UInt8] {
        var out = input
        // One mutation half the time: small changes get past the parser to the calculator.
        let count = [1, 1, 1, 2, 2, 3].randomElement(using: &g)!
        for _ in 0..<count {
            let kind = Kind.allCases.randomElement(using: &g)!
            let next = apply(kind, to: out, using: &g)
            if next.count <= maxSize { out = next }
        }
        return out
    }

    public func apply<G: RandomNumberGenerator>(_ kind: Kind, to input: [UInt8], using g: inout G) -> [UInt8] {
        var b = input
        let n = b.count
        switch kind {
        case .byteFlip:
            guard n > 0 else { return [UInt8.random(in: 0...255, using: &g)] }
            for _ in 0..<Int.random(in: 1...4, using: &g) {
                let k = Int.random(in: 0..<n, using: &g)
                if Bool.random(using: &g) {
                    b[k] ^= UInt8(1) << UInt8.random(in: 0...7, using: &g)
                } else {
                    b[k] = Array("{}[],:\"0123456789-+.eE \ntfnul\\".utf8).randomElement(using: &g)!
                }
            }
            return b
        case .truncate:
            return Array(b.prefix(Int.random(in: 0...n, using: &g)))
        case .duplicate:
            guard n > 0 else { return b }
            let span = randomSpan(b, using: &g)
            let at = Int.random(in: 0...n, using: &g)
            b.insert(contentsOf: b[span], at: at)
            return b
        case .deleteSpan:
            guard n > 0 else { return b }
            let span = randomSpan(b, using: &g)
            b.removeSubrange(span)
            return b
        case .typeSwap:
            guard let span = valueSpan(b, using: &g) else { return b }
            b.replaceSubrange(span, with: Array(Mutator.values.randomElement(using: &g)!.utf8))
            return b
        case .hugeNumber:
            let spans = numberSpans(b)
            guard let span = spans.randomElement(using: &g) else { return b }
            b.replaceSubrange(span, with: Array(Mutator.numbers.randomElement(using: &g)!.utf8))
            return b
        case .deepNesting:
            let depth = [2, 10, 63, 64, 65, 100, 1000, 100_000].randomElement(using: &g)!
            let open: UInt8 = Bool.random(using: &g) ? UInt8(ascii: "[") : UInt8(ascii: "{")
            if open == UInt8(ascii: "["), let span = valueSpan(b, using: &g) {
                let inner = Array(b[span])
                b.replaceSubrange(span, with: [UInt8](repeating: UInt8(ascii: "["), count: depth) + inner
                                    + [UInt8](repeating: UInt8(ascii: "]"), count: depth))
                return b
            }
            let nested = [UInt8](repeating: 0, count: 0) + Array(String(repeating: "{\"a\":", count: depth).utf8) + Array("1".utf8)
                + [UInt8](repeating: UInt8(ascii: "}"), count: depth)
            guard let span = valueSpan(b, using: &g) else { return nested }
            b.replaceSubrange(span, with: nested)
            return b
        case .insertToken:
            let at = Int.random(in: 0...n, using: &g)
            b.insert(contentsOf: Mutator.tokens.randomElement(using: &g)!, at: at)
            return b
        case .growArray:
            // Repeat one element of an array: [a, b] → [a, b, b], a length or shape mismatch.
            guard let span = valueSpan(b, using: &g) else { return b }
            var copy = Array(b[span])
            copy.insert(UInt8(ascii: ","), at: 0)
            let times = Int.random(in: 1...3, using: &g)
            var insert: [UInt8] = []
            for _ in 0..<times { insert += copy }
            b.insert(contentsOf: insert, at: span.upperBound)
            return b
        }
    }

    func randomSpan<G: RandomNumberGenerator>(_ b: [UInt8], using g: inout G) -> Range<Int> {
        let start = Int.random(in: 0..<b.count, using: &g)
        let length = Int.random(in: 1...max(1, min(64, b.count - start)), using: &g)
        return start..<min(b.count, start + length)
    }

    /// The index just past the string literal that opens at `start` (best effort on broken input).
    func stringEnd(_ b: [UInt8], from start: Int) -> Int {
        var k = start + 1
        while k < b.count {
            if b[k] == UInt8(ascii: "\\") { k += 2; continue }
            if b[k] == UInt8(ascii: "\"") { return k + 1 }
            k += 1
        }
        return b.count
    }

    /// Visits every byte outside string literals from `start`, each string's opening quote
    /// included (its contents are skipped); `visit` returns the next index, or nil to stop.
    func scanOutsideStrings(_ b: [UInt8], from start: Int = 0, _ visit: (Int) -> Int?) {
        var k = start
        while k < b.count {
            guard let next = visit(k) else { return }
            k = b[k] == UInt8(ascii: "\"") && next == k + 1 ? stringEnd(b, from: k) : next
        }
    }

    /// The byte ranges of number literals (outside strings).
    func numberSpans(_ b: [UInt8]) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        scanOutsideStrings(b) { k in
            let c = b[k]
            guard c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else { return k + 1 }
            var end = k + 1
            while end < b.count, (b[end] >= 0x30 && b[end] <= 0x39) || [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
                                                                       UInt8(ascii: "+"), UInt8(ascii: "-")].contains(b[end]) { end += 1 }
            spans.append(k..<end)
            return end
        }
        return spans
    }

    /// The range of one JSON value: a number, a string, or a bracketed array or object.
    func valueSpan<G: RandomNumberGenerator>(_ b: [UInt8], using g: inout G) -> Range<Int>? {
        var starts: [Int] = []
        scanOutsideStrings(b) { k in
            switch b[k] {
            case UInt8(ascii: "\""):
                starts.append(k)
            case UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "-"), 0x30...0x39, UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                if k == 0 || !(b[k - 1] >= 0x30 && b[k - 1] <= 0x39 || b[k - 1] == UInt8(ascii: ".") || b[k - 1] == UInt8(ascii: "-")
                               || b[k - 1] == UInt8(ascii: "e") || b[k - 1] == UInt8(ascii: "E") || b[k - 1] == UInt8(ascii: "+")) {
                    starts.append(k)
                }
            default: break
            }
            return k + 1
        }
        guard let start = starts.randomElement(using: &g) else { return nil }
        return start..<valueEnd(b, from: start)
    }

    /// Where the value starting at `start` ends (best effort on broken input).
    func valueEnd(_ b: [UInt8], from start: Int) -> Int {
        let c = b[start]
        if c == UInt8(ascii: "\"") { return stringEnd(b, from: start) }
        if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
            var depth = 0
            var end = b.count
            scanOutsideStrings(b, from: start) { k in
                if b[k] == UInt8(ascii: "[") || b[k] == UInt8(ascii: "{") {
                    depth += 1
                } else if b[k] == UInt8(ascii: "]") || b[k] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 {
                        end = k + 1
                        return nil
                    }
                }
                return k + 1
            }
            return end
        }
        var k = start + 1
        while k < b.count, ![UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "\n")].contains(b[k]) {
            k += 1
        }
        return k
    }
}
