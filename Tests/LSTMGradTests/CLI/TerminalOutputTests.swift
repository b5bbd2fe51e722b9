import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Colour, wrapping and CSV: plain when piped, NO_COLOR honoured, `--color always` forces it,
/// colour only on structure (headers, section titles), never inside values.
@Suite struct TerminalOutputTests {
    static let esc = "\u{1B}["

    @Test func pipedOutputHasNoEscapeCodes() throws {
        for args in [["run", "--example", "gomez"], ["run", "--example", "gomez", "--color", "auto"],
                     ["run", "--example", "lstm-h2-x3-t4", "--format", "json"], ["run", "--example", "gomez", "--format", "csv"],
                     ["--help"], ["run", "--help"], ["examples"], ["help", "spec"]] {
            let r = try CLIRunner.run(args)
            #expect(r.status == 0)
            #expect(!r.stdout.contains("\u{1B}"), "\(args) printed an escape code")
        }
    }

    @Test func colorAlwaysColoursStructureOnly() throws {
        let plain = try CLIRunner.run(["run", "--example", "gomez", "--color", "never"])
        let colored = try CLIRunner.run(["run", "--example", "gomez", "--color", "always"])
        #expect(colored.status == 0)
        #expect(colored.stdout.contains("\(Self.esc)1;36mForward @ t=0\(Self.esc)0m\n"))
        #expect(colored.stdout.contains("\(Self.esc)1mspec: example:gomez\(Self.esc)0m\n"))
        // Every value line is untouched, and removing the codes gives the plain output back.
        for line in colored.stdout.split(separator: "\n") where line.hasPrefix("  ") {
            #expect(!line.contains("\u{1B}"), "colour inside a value line: \(line)")
        }
        #expect(Self.stripped(colored.stdout) == plain.stdout)
        // --color always wins over NO_COLOR (an explicit request).
        let forced = try CLIRunner.run(["run", "--example", "gomez", "--color", "always"], environment: ["NO_COLOR": "1"])
        #expect(forced.stdout == colored.stdout)
    }

    static func stripped(_ s: String) -> String {
        var out = ""
        var k = s.startIndex
        while k < s.endIndex {
            if s[k] == "\u{1B}", let m = s[k...].firstIndex(of: "m") {
                k = s.index(after: m)
                continue
            }
            out.append(s[k])
            k = s.index(after: k)
        }
        return out
    }

    /// On a real terminal (a pseudo-terminal from script(1)), auto colours unless NO_COLOR.
    @Test func autoColoursATerminalUnlessNoColor() throws {
        guard access("/usr/bin/script", X_OK) == 0 else { return }
        let cmd = "script -qec \(Shell.quote(CLIRunner.binary + " run --example gomez")) /dev/null"
        let tty = try Shell.run("env -u NO_COLOR " + cmd)
        #expect(tty.status == 0)
        #expect(tty.stdout.contains("\(Self.esc)1;36mForward @ t=0"))
        let noColor = try Shell.run("NO_COLOR=1 " + cmd)
        #expect(noColor.status == 0)
        #expect(noColor.stdout.contains("Forward @ t=0"))
        #expect(!noColor.stdout.contains("\u{1B}"))
        let never = try Shell.run("env -u NO_COLOR script -qec \(Shell.quote(CLIRunner.binary + " run --example gomez --color never")) /dev/null")
        #expect(!never.stdout.contains("\u{1B}"))
    }

    /// With COLUMNS set, a matrix wider than the line is printed as blocks of columns, each
    /// line within the width; the numbers are the same.
    @Test func wideMatricesWrapAtColumns() throws {
        let spec = try CLIRunner.run(["init", "--input", "12", "--hidden", "2", "--seed", "2"]).stdout
        let wide = try CLIRunner.run(["run", "-"], stdin: spec)
        let wrapped = try CLIRunner.run(["run", "-"], stdin: spec, environment: ["COLUMNS": "60"])
        #expect(wrapped.status == 0)
        #expect(wide.stdout.split(separator: "\n").contains { $0.unicodeScalars.count > 100 })
        #expect(!wide.stdout.contains("columns 0–"))
        #expect(wrapped.stdout.contains("  δW_a = columns 0–3 of 12\n"))
        for line in wrapped.stdout.split(separator: "\n") where !line.contains("(") {
            #expect(line.unicodeScalars.count <= 60, "too wide: \(line)")
        }
        // The same numbers (matrices now column block by column block).
        func numbers(_ s: String) -> [Substring] {
            s.split(separator: "\n").filter { !$0.contains("columns ") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" }) }
                .filter { Double($0) != nil }.sorted()
        }
        #expect(numbers(wrapped.stdout) == numbers(wide.stdout))
    }

    /// `analyze` wraps like `run`: with COLUMNS set, its (t, k) tables come in blocks of columns
    /// and its wide matrices in blocks "columns j–k of n", each line within the width (prose
    /// lines excepted), with the same numbers; a width the output fits in changes nothing.
    static let analyzeCases: [[String]] = [
        ["analyze", "--example", "rnn-vanishing"], ["analyze", "--example", "lstm-carousel"],
        ["analyze", "--matrix", wideMatrix],
    ]

    /// A 10×10 matrix: 0.5 on the diagonal, 0.25 on the cyclic superdiagonal (complex eigenvalues).
    static var wideMatrix: String {
        var rows: [String] = []
        for i in 0..<10 {
            var row: [String] = []
            for j in 0..<10 { row.append(i == j ? "0.5" : j == (i + 1) % 10 ? "0.25" : "0") }
            rows.append("[" + row.joined(separator: ",") + "]")
        }
        return "[" + rows.joined(separator: ",") + "]"
    }

    @Test(arguments: analyzeCases)
    func analyzeWrapsAtColumns(_ args: [String]) throws {
        let wide = try CLIRunner.run(args)
        #expect(wide.status == 0)
        #expect(try CLIRunner.run(args, environment: ["COLUMNS": "1000"]).stdout == wide.stdout)
        let wrapped = try CLIRunner.run(args, environment: ["COLUMNS": "64"])
        #expect(wrapped.status == 0)
        #expect(wrapped.stdout != wide.stdout)
        // Table and matrix lines: "  t\k …", "  3    …", "  [ …", "    [ …".
        for line in wrapped.stdout.split(separator: "\n") {
            let body = line.drop { $0 == " " }
            guard line.hasPrefix("  "), body.hasPrefix("t\\k") || body.hasPrefix("[") || body.first?.isNumber == true else { continue }
            #expect(line.unicodeScalars.count <= 64, "too wide: \(line)")
        }
        func numbers(_ s: String) -> [Substring] {
            s.split(separator: "\n").filter { !$0.contains("columns ") && !$0.hasPrefix("  t\\k") }
                .flatMap { $0.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" }) }
                .filter { Double($0) != nil && $0.contains(where: { $0 == "." || $0 == "e" }) }.sorted()
        }
        #expect(numbers(wrapped.stdout) == numbers(wide.stdout))
    }

    /// CSV: one row per number of every quantity; the values are the JSON output's.
    @Test func csvHasOneRowPerValue() throws {
        let r = try CLIRunner.run(["run", "--example", "lstm-h2-x3-t4", "--format", "csv"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "name,timestep,index,value")
        let report = try Fixtures.spec("lstm-h2-x3-t4.json").report()
        #expect(lines.count - 1 == report.uniqueQuantities.map { $0.value.numbers.count }.reduce(0, +))
        #expect(lines.contains("a,0,0,\(try value(report, "a[0]", 0))"))
        #expect(lines.contains("delta_state,-1,1,\(try value(report, "delta_state[-1]", 1))"))
        #expect(lines.contains("dW.a,,\"1,2\",\(try value(report, "dW.a", 5))"))
        #expect(lines.contains("loss,,,\(try value(report, "loss", 0))"))
    }

    func value(_ report: Report, _ key: String, _ k: Int) throws -> String {
        let q = try #require(report.uniqueQuantities.first { $0.key == key }, "\(key)")
        var b = OutputBuffer()
        b.writeShortest(q.value.numbers[k])
        return b.text
    }
}

