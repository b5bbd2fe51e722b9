import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built-in examples are the fixtures listed in fixtures/examples.manifest, byte for byte,
/// and each runs to its fixture's golden output.
@Suite struct ExampleTests {
    /// Manifest entries (name, description), parsed by the same rules as
    /// scripts/generate-examples.sh.
    static let manifest: [(name: String, summary: String)] = {
        guard let bytes = try? InputFile.read(Fixtures.path("examples.manifest")) else { return [] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").compactMap { line in
            let l = line.trimmingWhitespace()
            if l.isEmpty || l.hasPrefix("#") { return nil }
            let name = l.prefix { !$0.isWhitespace }
            return (String(name), String(l.dropFirst(name.count)).trimmingWhitespace())
        }
    }()

    @Test func embeddedExamplesMatchTheManifest() {
        #expect(!Self.manifest.isEmpty)
        #expect(Self.manifest.map(\.name) == BuiltInExample.all.map(\.name),
                "run 'make examples' after editing fixtures/examples.manifest")
        #expect(Self.manifest.map(\.summary) == BuiltInExample.all.map(\.summary),
                "run 'make examples' after editing fixtures/examples.manifest")
        #expect(BuiltInExample.named("gomez") != nil, "make run uses the published example")
    }

    @Test(arguments: BuiltInExample.all.map(\.name))
    func embeddedCopyEqualsItsFixtureByteForByte(_ name: String) throws {
        let e = try #require(BuiltInExample.named(name))
        #expect(e.file == "fixtures/\(name).json")
        let fixture = try InputFile.read(Fixtures.path("\(name).json"))
        #expect(Array(e.text.utf8) == fixture, "fixtures/\(name).json changed: run 'make examples'")
    }

    @Test(arguments: BuiltInExample.all.map(\.name))
    func exampleRunsToItsGoldenOutput(_ name: String) throws {
        let r = try CLIRunner.run(["run", "--example", name])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let golden = String(decoding: try InputFile.read(Fixtures.path("\(name).expected.txt")), as: UTF8.self)
        #expect(r.stdout == golden.replacingFirstLine(with: "spec: example:\(name)"))
        // And printing it gives the fixture back, to be saved and edited.
        let printed = try CLIRunner.run(["examples", name])
        #expect(printed.status == 0)
        #expect(Array(printed.stdout.utf8) == (try InputFile.read(Fixtures.path("\(name).json"))))
    }

    /// Every command that reads a spec takes --example through the same helper.
    @Test(arguments: [
        (["gradcheck"], [String]()), (["analyze"], []), (["check"], ["fixtures/answers/gomez.answers.json"]),
    ] as [([String], [String])])
    func otherCommandsTakeExamples(_ command: [String], _ rest: [String]) throws {
        let fromExample = try CLIRunner.run(command + ["--example", "gomez"] + rest)
        let fromFile = try CLIRunner.run(command + ["fixtures/gomez.json"] + rest)
        #expect(fromExample.status == fromFile.status)
        #expect(fromExample.stderr == fromFile.stderr)
        let a = fromExample.stdout.replacingAll("example:gomez", "fixtures/gomez.json")
        #expect(a == fromFile.stdout, "\(command)")
        #expect(!fromExample.stdout.isEmpty)
    }

    @Test func listHasOneLinePerExample() throws {
        let r = try CLIRunner.run(["examples"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == BuiltInExample.all.count)
        for (line, e) in zip(lines, BuiltInExample.all) {
            #expect(line.hasPrefix(e.name + " "))
            #expect(line.hasSuffix(e.summary))
        }
    }

    @Test(arguments: [
        (["run", "--example", "gomze"], "lstm-grad: error: no built-in example 'gomze'; did you mean 'gomez'?; 'lstm-grad examples' lists them\nsee 'lstm-grad run --help'\n"),
        (["examples", "gomze"], "lstm-grad: error: no built-in example 'gomze'; did you mean 'gomez'?; 'lstm-grad examples' lists them\nsee 'lstm-grad examples --help'\n"),
        (["run", "fixtures/gomez.json", "--example", "gomez"], "lstm-grad: error: give either a spec file or --example, not both\nsee 'lstm-grad run --help'\n"),
    ] as [([String], String)])
    func unknownExamples(_ args: [String], _ stderr: String) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == stderr)
    }

    /// The committed generated file is exactly what `make examples` writes from the manifest
    /// and fixtures today.
    @Test func generatedFileIsUpToDate() throws {
        try withTemporaryDirectory { dir in
            let tmp = dir + "/generated.swift"
            let r = try Shell.run("./scripts/generate-examples.sh \(Shell.quote(tmp))")
            #expect(r.status == 0, "\(r.stderr)")
            let committed = try InputFile.read(Fixtures.root + "/Sources/LSTMGrad/Examples/BuiltInExample+Generated.swift")
            #expect(try InputFile.read(tmp) == committed, "run 'make examples'")
        }
    }

    /// A manifest entry without its fixture is refused with the line and the reason.
    @Test func generatorRefusesAMissingFixture() throws {
        let r = try withTemporaryDirectory { dir in try Shell.run("""
            mkdir -p \(dir)/scripts \(dir)/fixtures && cp scripts/generate-examples.sh \(dir)/scripts/ && \
            printf '# c\\n\\nnope  a missing fixture\\n' > \(dir)/fixtures/examples.manifest && \
            \(dir)/scripts/generate-examples.sh \(dir)/out.swift
            """) }
        #expect(r.status == 1)
        #expect(r.stderr == "generate-examples: fixtures/examples.manifest:3: 'nope' is listed but fixtures/nope.json does not exist\n")
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
