import LSTMGrad
import Testing

/// The text output of every fixture against its golden file. A golden file guards against
/// regressions only; the values themselves are proven by the published numbers and by finite
/// differences elsewhere. `make fixtures` regenerates them deliberately.
@Suite struct GoldenTests {
    static let specs = Fixtures.goldenNames().filter { name in
        listDirectory(Fixtures.root + "/fixtures").contains(String(name.dropLast(5)) + ".expected.txt")
    }

    @Test func everyFixtureHasAGoldenFile() {
        #expect(Self.specs.contains("gomez.json"))
        #expect(Self.specs.count == Fixtures.goldenNames().count,
                "fixtures without a golden .expected.txt: \(Set(Fixtures.goldenNames()).subtracting(Self.specs).sorted())")
    }

    @Test(arguments: specs)
    func textOutputMatchesGolden(_ name: String) throws {
        let output = try CLIRunner.run(["run", "fixtures/" + name])
        #expect(output.status == 0, "\(name): exit \(output.status), stderr: \(output.stderr)")
        let expected = try InputFile.read(Fixtures.path(String(name.dropLast(5)) + ".expected.txt"))
        let actual = Array(output.stdout.utf8)
        if actual != expected {
            let e = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let a = output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(e, a)).firstIndex { $0 != $1 } ?? min(e.count, a.count)
            Issue.record("""
                \(name): output differs from \(name.dropLast(5)).expected.txt at line \(line + 1)
                  expected: \(line < e.count ? String(e[line]) : "<end>")
                  actual:   \(line < a.count ? String(a[line]) : "<end>")
                (run 'make fixtures' only if the change is intended)
                """)
        }
    }
}
