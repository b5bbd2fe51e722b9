import LSTMGrad
import Testing

/// `lstm-grad run` end to end: exit codes, stdout, stderr, stdin.
@Suite struct RunCommandTests {
    @Test func publishedExamplePrintsItsValues() throws {
        let r = try CLIRunner.run(["run", "fixtures/gomez.json"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        for line in ["  a_0     = 0.81775", "  state_0 = 0.78573", "  δstate_0      = -0.05348", "  Δout_-1       = -0.00343   (sum of the four gate terms)",
                     "  δb_o = -0.05361", "  W_o = [ 0.60259  0.41626 ]", "Backward @ t=1", "Updated parameters (SGD, λ = 0.1)"] {
            #expect(r.stdout.contains(line + "\n"), "missing line: \(line)")
        }
        // Backward runs from T−1 down to 0.
        let lines = r.stdout.split(separator: "\n")
        let b1 = try #require(lines.firstIndex(of: "Backward @ t=1"))
        let b0 = try #require(lines.firstIndex(of: "Backward @ t=0"))
        #expect(b1 < b0)
    }

    @Test func stdinIsTheSameAsTheFile() throws {
        let spec = String(decoding: try InputFile.read(Fixtures.path("gomez.json")), as: UTF8.self)
        let fromFile = try CLIRunner.run(["run", "fixtures/gomez.json"])
        let fromStdin = try CLIRunner.run(["run", "-"], stdin: spec)
        #expect(fromStdin.status == 0)
        #expect(fromStdin.stdout == fromFile.stdout.replacingFirstLine(with: "spec: <stdin>"))
    }

    @Test func precisionOption() throws {
        let r = try CLIRunner.run(["run", "fixtures/gomez.json", "--precision", "8"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("  a_0     = 0.81775408\n"))
        let r2 = try CLIRunner.run(["run", "--precision=2", "fixtures/gomez.json"])
        #expect(r2.stdout.contains("  a_0     = 0.82\n"))
    }

    /// `--format json` carries every quantity at full precision: parsed back, each equals the
    /// library's double exactly.
    @Test func jsonOutputRoundTrips() throws {
        let r = try CLIRunner.run(["run", "fixtures/lstm-h2-x3-t4.json", "--format", "json"])
        #expect(r.status == 0)
        let root = try JSONParser.parse(Array(r.stdout.utf8))
        let quantities = try #require(root.members?.first { $0.key == "quantities" }?.value.members)
        let report = try Fixtures.spec("lstm-h2-x3-t4.json").report()
        #expect(quantities.count == report.uniqueQuantities.count)
        for q in report.uniqueQuantities {
            let node = try #require(quantities.first { $0.key == q.key }?.value, "\(q.key) missing")
            #expect(flatten(node) == q.value.numbers, "\(q.key)")
        }
        for key in ["a[0]", "delta_state[3]", "Delta_out[-1]", "delta_state[-1]", "dW.a", "dW", "W.a'", "loss"] {
            #expect(quantities.contains { $0.key == key }, "\(key)")
        }
    }

    func flatten(_ node: JSONNode) -> [Double] {
        if let x = node.number { return [x] }
        return (node.array ?? []).flatMap(flatten)
    }

    @Test func outputIsByteIdenticalAcrossRuns() throws {
        let a = try CLIRunner.run(["run", "fixtures/lstm-h2-x3-t4.json", "--format", "json"])
        let b = try CLIRunner.run(["run", "fixtures/lstm-h2-x3-t4.json", "--format", "json"])
        #expect(a.stdout == b.stdout)
    }

    @Test func helpAndVersion() throws {
        let help = try CLIRunner.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("usage: lstm-grad <command> [options]"))
        #expect(help.stdout.contains("  run "))
        let runHelp = try CLIRunner.run(["run", "--help"])
        #expect(runHelp.status == 0)
        #expect(runHelp.stdout.contains("usage: lstm-grad run SPEC.json"))
        #expect(runHelp.stdout.contains("--precision N"))
        #expect(runHelp.stdout.contains("examples:"))
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("lstm-grad "))
    }

    @Test(arguments: [
        (["rnu", "x.json"], "lstm-grad: error: unknown command 'rnu'; did you mean 'run'?\nsee 'lstm-grad --help'\n"),
        ([], "lstm-grad: error: no command given; try 'lstm-grad run --example gomez'\nsee 'lstm-grad --help'\n"),
        (["run"], "lstm-grad: error: missing the spec file (or '-' for stdin)\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/gomez.json", "--precison", "3"], "lstm-grad: error: unknown option '--precison' for 'run'; did you mean '--precision'?\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/gomez.json", "--precision", "x"], "lstm-grad: error: --precision expects a whole number from 0 to 15, found 'x'\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/gomez.json", "--format", "jsn"], "lstm-grad: error: --format expects one of text, json, markdown, latex, csv, html, found 'jsn'; did you mean 'json'?\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/nope.json"], "lstm-grad: error: fixtures/nope.json: cannot open: No such file or directory\n"),
        (["run", "fixtures"], "lstm-grad: error: fixtures: is a directory, expected a JSON file\n"),
    ] as [([String], String)])
    func usageErrorsExitTwo(_ args: [String], _ stderr: String) throws {
        let r = try CLIRunner.run(args)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == stderr)
    }

    @Test func specErrorsNameTheirPlace() throws {
        let spec = """
            {
              "model": "lstm",
              "weights": {
                "W": {"a": [0.45, 0.25, 1], "i": [0.95, 0.8], "f": [0.7, 0.45], "o": [0.6, 0.4]},
                "U": {"a": 0.15, "i": 0.8, "f": 0.1, "o": 0.25},
                "b": {"a": 0.2, "i": 0.65, "f": 0.15, "o": 0.1}
              },
              "inputs": [[1, 2], [0.5, 3]],
              "lables": [0.5, 1.25]
            }
            """
        let r = try CLIRunner.run(["run", "-"], stdin: spec)
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == """
            <stdin>:1:1: error: missing required field "labels" (one label per timestep)
            <stdin>:4:16: error: weights.W.a: expected a 1×2 matrix (H×X), found 1×3: 3 columns, but input size X = 2 (from inputs[0])
            <stdin>:9:3: error: lables: unknown key "lables"; did you mean "labels"?
            3 errors

            """)
    }
}

extension String {
    func replacingFirstLine(with line: String) -> String {
        guard let nl = firstIndex(of: "\n") else { return line }
        return line + self[nl...]
    }
}
