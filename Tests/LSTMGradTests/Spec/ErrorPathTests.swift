import LSTMGrad
import Testing

/// Error paths linear in the input: messages built only for the errors shown, places from one
/// index of line starts, suggestions that skip names too far off to be accepted.
@Suite struct ErrorPathTests {
    /// The index gives the same line:column as a scan from the start, at every kind of offset:
    /// line starts and ends, multi-byte scalars, past 4 KiB checkpoints, the end and beyond.
    @Test func lineIndexAgreesWithAScan() {
        var rng = SplitMix64(seed: 17)
        let pieces: [[UInt8]] = [Array("a".utf8), Array(" ".utf8), Array("\n".utf8), Array("é".utf8), Array("δ".utf8),
                                 Array("⊙".utf8), Array("𝛁".utf8), Array("{\"key\": 1}".utf8), [0x0A, 0x0A]]
        for size in [0, 1, 50, 4095, 4096, 4097, 20_000] {
            var bytes: [UInt8] = []
            while bytes.count < size { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let source = SourceText(name: "t", bytes: bytes)
            let index = LineIndex(bytes)
            var offsets = [0, bytes.count, bytes.count + 5, -3, 4095, 4096, 4097, 8192]
            for _ in 0..<300 { offsets.append(bytes.isEmpty ? 0 : Int(rng.next() % UInt64(bytes.count))) }
            for k in offsets {
                #expect(index.location(of: k, in: bytes) == source.location(of: k), "size \(size), offset \(k)")
            }
        }
    }

    /// A reader keeps 20 errors and counts the rest without building their messages.
    @Test func messagesPastTheLimitAreNotBuilt() {
        final class Counter { var built = 0 }
        let counter = Counter()
        let reader = SpecReader(source: SourceText(name: "t", bytes: Array("{}".utf8)))
        func expensive(_ k: Int) -> SpecError {
            counter.built += 1
            return .unknownKey("k\(k)", suggestion: nil, allowed: [])
        }
        for k in 0..<1000 { reader.fail(expensive(k), at: 0, .root / "k\(k)") }
        #expect(reader.diagnostics.count == 20)
        #expect(reader.omitted == 980)
        #expect(counter.built == 20)
    }

    /// The skipping suggestion gives the same answer as comparing with every name.
    @Test func suggestionMatchesTheFullComparison() {
        func reference(_ word: String, _ candidates: [String]) -> String? {
            var best: (String, Int)?
            for c in candidates {
                let d = editDistance(word.lowercased(), c.lowercased())
                if best == nil || d < best!.1 { best = (c, d) }
            }
            guard let (c, d) = best else { return nil }
            return d <= max(1, min(3, c.count / 3 + 1)) ? c : nil
        }
        var rng = SplitMix64(seed: 5)
        let alphabet = Array("abcdeδ_[]0123ÉİK")
        func word() -> String {
            String((0..<Int(1 + rng.next() % 9)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
        }
        for _ in 0..<400 {
            let candidates = (0..<Int(rng.next() % 12)).map { _ in word() }
            let w = word()
            #expect(suggestion(for: w, among: candidates) == reference(w, candidates), "\(w) among \(candidates)")
        }
        let names = ["delta_state[0]", "delta_state[1]", "out[0]", "learning_rate"]
        #expect(suggestion(for: "delta_stat[1]", among: names) == "delta_state[1]")
        #expect(suggestion(for: "learning_rat", among: names) == "learning_rate")
    }

    /// Thousands of unknown and duplicate answers: 20 messages (with did-you-mean and the first
    /// line of each duplicate), the count of the rest; the answers that are fine are graded
    /// (exit 1).
    @Test func manyBadAnswersEndToEnd() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        var text = "{\n  \"a[0]\": 0.81775,\n"
        for k in 0..<3000 { text += "  \"delta_stat[\(k % 2)]x\(k)\": 1,\n" }
        for _ in 0..<1000 { text += "  \"a[0]\": 0.8,\n" }
        text += "  \"out[0]\": 0.5\n}\n"
        let path = dir + "/answers.json"
        try writeFile(path, text)
        let r = try CLIRunner.run(["check", "--example", "gomez", path])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("✓ a_0   = 0.81775"), "\(r.stdout)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 21, "\(lines.prefix(3))")
        #expect(lines.first == "\(path):3:3: error: [\"delta_stat[0]x0\"]: unknown quantity \"delta_stat[0]x0\"; did you mean \"delta_state[0]\"? (the canonical names of 'lstm-grad run SPEC --format json', or the labels the report prints)")
        #expect(lines.last == "20 errors shown, 3980 more not shown; fix these and run again")
        let duplicates = "{\n" + (0..<30).map { _ in "  \"a[0]\": 0.8" }.joined(separator: ",\n") + "\n}\n"
        let dup = dir + "/dup.json"
        try writeFile(dup, duplicates)
        let d = try CLIRunner.run(["check", "--example", "gomez", dup])
        #expect(d.status == 1)
        let dl = d.stderr.split(separator: "\n").map(String.init)
        #expect(dl.first == "\(dup):3:3: error: [\"a[0]\"]: duplicate key \"a[0]\" (first given on line 2)")
        #expect(dl.last == "20 errors shown, 9 more not shown; fix these and run again")
    }

    /// An answers file has the limits of a spec: its size (--max-input) and its nesting (64).
    @Test func answersFilesHaveTheSpecsLimits() throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let big = dir + "/big.json"
        try writeFile(big, "{\"a[0]\": 0.81775}" + String(repeating: " ", count: 2000))
        let r = try CLIRunner.run(["check", "--example", "gomez", big, "--max-input", "1000"])
        #expect(r.status == 2)
        #expect(r.stderr == "lstm-grad: error: \(big): the file is 2017 bytes, over the limit of 1000 bytes (raise it with --max-input BYTES)\n")
        let deep = try CLIRunner.run(["check", "--example", "gomez", "-"], stdin: "{\"a[0]\": " + String(repeating: "[", count: 100_000))
        #expect(deep.status == 2)
        #expect(deep.stderr == "<stdin>:1:73: error: invalid JSON: JSON nested deeper than 64 levels (the limit)\n")
    }
}
