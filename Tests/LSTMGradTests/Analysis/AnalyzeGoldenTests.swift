import LSTMGrad
import Testing

/// `analyze` text output of the fixtures that have a `NAME.analyze.txt` beside them. Regression
/// guard only: the numbers are proven by AnalysisTests (hand-derived values, finite
/// differences). `make analyze-fixtures` regenerates them deliberately.
@Suite struct AnalyzeGoldenTests {
    static let names = listDirectory(Fixtures.root + "/fixtures").filter { $0.hasSuffix(".analyze.txt") }.sorted()

    @Test func seed004HasOne() { #expect(Self.names.contains("seed004-rnn.analyze.txt")) }

    @Test(arguments: names)
    func analyzeOutputMatchesGolden(_ golden: String) throws {
        let spec = String(golden.dropLast(".analyze.txt".count)) + ".json"
        let output = try CLIRunner.run(["analyze", "fixtures/" + spec])
        #expect(output.status == 0, "\(spec): \(output.stderr)")
        let expected = String(decoding: try InputFile.read(Fixtures.path(golden)), as: UTF8.self)
        if output.stdout != expected {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(e, a)).firstIndex { $0 != $1 } ?? min(e.count, a.count)
            Issue.record("\(golden) differs at line \(line + 1)\n  expected: \(line < e.count ? String(e[line]) : "<end>")\n  actual:   \(line < a.count ? String(a[line]) : "<end>")")
        }
    }
}
