import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Number formatting against the C library's printf, the independent reference for "%.Nf".
@Suite struct FormattingTests {
    static func printf(_ x: Double, _ decimals: Int) -> String {
        var buf = [CChar](repeating: 0, count: 512)
        _ = withVaList([x]) { vsnprintf(&buf, 512, "%.\(decimals)f", $0) }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func fixed(_ x: Double, _ decimals: Int) -> String {
        var b = OutputBuffer()
        b.writeFixed(x, decimals: decimals)
        return b.text
    }

    /// Exact ties, near-ties and ordinary values: identical to printf, except that a value
    /// that rounds to zero prints without a minus sign.
    @Test func fixedMatchesPrintf() {
        var values: [Double] = [0, 1, -1, 0.5, 1.5, 2.5, 0.125, 0.375, 1.005, 2.675, 0.785726148, -0.05348368,
                                1e-7, -1e-7, 123456.789012, 9.999995, 0.000005, 0.0000049999, 0.0000150000001,
                                999999.999995, 1e14 + 0.5, -2.5e-6, 0.1 + 0.2, 4.35, 0.045]
        var seed: UInt64 = 12345
        for _ in 0..<5000 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let mantissa = Double(seed >> 11) / Double(1 << 53)
            let exponent = Int((seed >> 3) % 20) - 12
            values.append((seed & 1 == 0 ? 1 : -1) * mantissa * pow(10, Double(exponent)))
        }
        for x in values {
            for d in [0, 1, 2, 5, 8, 12] {
                var expected = Self.printf(x, d)
                if expected.hasPrefix("-"), expected.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
                    expected.removeFirst()
                }
                #expect(Self.fixed(x, d) == expected, "x = \(x), \(d) decimals")
            }
        }
    }

    @Test func negativeZeroPrintsUnsigned() {
        #expect(Self.fixed(-0.0, 5) == "0.00000")
        #expect(Self.fixed(-0.000001, 5) == "0.00000")
    }

    /// The shortest form reads back to the same double.
    @Test func shortestRoundTrips() throws {
        for x in [0.1, 1.0 / 3, -0.05348368434062697, 1e-300, 123456789.125, Double.leastNonzeroMagnitude] {
            var b = OutputBuffer()
            b.writeShortest(x)
            #expect(Double(b.text) == x)
            let node = try JSONParser.parse(Array(b.text.utf8))
            #expect(node.number == x)
        }
    }
}

/// The JSON parser's numbers equal the C library's strtod, and its errors say where.
@Suite struct JSONParserTests {
    @Test func numbersMatchStrtod() throws {
        let literals = ["0", "-0", "1", "0.45", "0.1", "1e-5", "1E+2", "123456789012345678901234567890",
                        "0.30000000000000004", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308",
                        "-0.05361302881790451", "0.000000000000000000000000000001", "9007199254740993"]
        for lit in literals {
            let node = try JSONParser.parse(Array(lit.utf8))
            #expect(node.number == strtod(lit, nil), "\(lit)")
            if case .number(_, let text) = node.value { #expect(text == lit) }
        }
    }

    @Test(arguments: [
        ("{\"a\": [1, 2,]}", "trailing comma before ']'", 13),
        ("{\"a\": 01}", "numbers must not have leading zeros", 7),
        ("{\"a\": NaN}", "expected a finite number, found NaN (NaN and Infinity are not JSON numbers)", 7),
        ("{\"a\" 1}", "expected ':' after the key \"a\", found '1'", 6),
        ("[1, 2", "unexpected end of input inside an array, expected ',' or ']'", 6),
        ("", "the file is empty, expected a JSON object", 1),
    ])
    func syntaxErrors(_ text: String, _ message: String, _ column: Int) {
        do {
            _ = try JSONParser.parse(Array(text.utf8))
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.message == message)
            #expect(SourceText(name: "x", bytes: Array(text.utf8)).location(of: error.offset).column == column)
        }
    }

    /// Arrays of numbers are stored packed; their items, literals, places and errors are those
    /// of a node per number.
    @Test func packedNumbersKeepLiteralsPlacesAndPaths() throws {
        let text = "{\"a\": [[0.5, -1e-3, 7], [2.50, 3]], \"b\": [1, \"x\", 2.0]}"
        let root = try JSONParser.parse(Array(text.utf8))
        let a = try #require(root.members?.first?.value.array)
        guard case .numbers(let row) = a[0].value else { Issue.record("row 0 not packed"); return }
        #expect(row.values == [0.5, -1e-3, 7])
        #expect((0..<row.count).map(row.literal) == ["0.5", "-1e-3", "7"])
        #expect(a[1].array?.map(\.offset) == [25, 31])
        #expect(a[1].array?.first.map(\.kindDescription) == "the number 2.50")
        #expect(a[0].kindDescription == "an array of 3")
        let b = try #require(root.members?.last?.value.array)
        #expect(b.map(\.kindDescription) == ["the number 1", "the string \"x\"", "the number 2.0"])
        for (bad, message, path) in [("[1, 2, 01]", "numbers must not have leading zeros", "[2]"),
                                     ("[[1], [2, -x]]", "expected a digit after '-', found 'x'", "[1][1]"),
                                     ("[1, 2 3]", "expected ',' or ']' in an array, found '3'", "(top level)"),
                                     ("[1, -Infinity]", "expected a finite number, found -Infinity (NaN and Infinity are not JSON numbers)", "[1]")] {
            #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(bad.utf8)) }
            do { _ = try JSONParser.parse(Array(bad.utf8)) } catch {
                #expect(error.message == message, "\(bad)")
                #expect(error.path.description == path, "\(bad)")
            }
        }
    }

    /// The fast path for short decimals inside arrays gives the correctly rounded double (the
    /// standard library's parser), at every digit count around its limit of 15 digits.
    @Test func packedNumbersAreCorrectlyRounded() throws {
        var rng = FastPathTests.Rng(state: 5)
        var literals: [String] = ["0", "-0", "0.0", "-0.0", "1", "0.1", "0.3", "9007199254740993", "123456789012345", "1234567890123456",
                                  "0.000000000000001", "0.0000000000000001", "99999999999999.9", "-1.5e3", "2.50", "0.1e1"]
        for _ in 0..<3000 {
            let digits = Int((rng.next() + 1) * 9) + 1  // 1 … 18
            let point = Int((rng.next() + 1) * Double(digits) / 2)
            var d = (0..<digits).map { _ in String(Int((rng.next() + 1) * 5) % 10) }.joined()
            while d.count > 1 && d.hasPrefix("0") && point > 0 { d.removeFirst() }
            let cut = min(point, d.count - 1)
            let int = cut == 0 ? "0" : String(d.prefix(cut)), frac = String(d.dropFirst(cut))
            literals.append((rng.next() < 0 ? "-" : "") + int + "." + frac)
        }
        let root = try JSONParser.parse(Array(("[" + literals.joined(separator: ", ") + "]").utf8))
        guard case .numbers(let p) = root.value else { Issue.record("not packed"); return }
        #expect(p.literals == literals)
        for (k, lit) in literals.enumerated() {
            #expect(p.values[k].bitPattern == Double(lit)!.bitPattern, "\(lit): \(p.values[k]) vs \(Double(lit)!)")
        }
    }

    @Test func nestingLimit() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(Array(deep.utf8), maxDepth: 64) }
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect(throws: Never.self) { try JSONParser.parse(Array(ok.utf8), maxDepth: 64) }
    }

    @Test func locationsCountUnicodeScalars() {
        let text = "{\n  \"δ\": x}"
        let src = SourceText(name: "s", bytes: Array(text.utf8))
        let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "x"))!
        #expect(src.location(of: offset) == SourceLocation(line: 2, column: 8))
    }
}
