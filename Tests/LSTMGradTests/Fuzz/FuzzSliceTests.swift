import LSTMGrad
import LSTMGradFuzz
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A bounded, fixed-seed slice of `make fuzz`: thousands of mutated fixture specs decoded and
/// run in-process (any trap would kill the test run), and a few hundred through the binary,
/// each of which must exit 0, 1 or 2, never by a signal, with a diagnostic when it fails.
@Suite struct FuzzSliceTests {
    /// Every spec under fixtures/ and fixtures/errors/ (their bytes), as mutation seeds.
    /// Valid specs come first and are used for three cases in four, so that most mutants still
    /// reach the calculator.
    static func seeds() throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for dir in ["", "errors/"] {
            for name in listDirectory(Fixtures.root + "/fixtures/" + dir).filter({ $0.hasSuffix(".json") }).sorted() {
                out.append((dir + name, try InputFile.read(Fixtures.path(dir + name))))
            }
        }
        return out
    }

    @Test func inProcess() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count > 10)
        var rng = SplitMix64(seed: 20_261_121)
        let mutator = Mutator()
        var decoded = 0, rejected = 0, overflowed = 0
        let valid = Fixtures.goldenNames().count
        for k in 0..<4000 {
            let (name, bytes) = k % 4 != 3 ? seeds[(k / 4) % valid] : seeds[valid + (k / 4) % (seeds.count - valid)]
            let input = mutator.mutate(bytes, using: &rng)
            let spec: Spec
            do {
                spec = try SpecDecoder.decode(SourceText(name: "case.json", bytes: input))
            } catch {
                rejected += 1
                #expect(!error.diagnostics.isEmpty, "case \(k) from \(name): rejected without a diagnostic")
                for d in error.diagnostics {
                    #expect(d.description.hasPrefix("case.json"), "case \(k) from \(name)")
                    #expect(!d.error.message.isEmpty && !d.description.contains("internal error"), "case \(k) from \(name): \(d)")
                }
                continue
            }
            decoded += 1
            do {
                let report = try spec.report()
                var text = OutputBuffer(), json = OutputBuffer()
                TextRenderer(decimals: 5).render(report, into: &text)
                JSONRenderer().render(report, model: spec.modelName, notation: spec.notation.name, into: &json)
            } catch {
                overflowed += 1
                #expect(!error.description.isEmpty)
            }
        }
        // The mix must reach the calculator, not only the parser.
        #expect(decoded > 100, "decoded \(decoded), rejected \(rejected), overflowed \(overflowed)")
        #expect(rejected > 1000)
    }

    @Test func throughTheBinary() throws {
        let seeds = try Self.seeds()
        var rng = SplitMix64(seed: 7)
        let mutator = Mutator()
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let file = dir + "/case.json"
        for k in 0..<300 {
            let (name, bytes) = seeds[k % seeds.count]
            let input = mutator.mutate(bytes, using: &rng)
            let viaStdin = k % 4 == 3
            if !viaStdin { FuzzRunner.save(input, to: file) }
            let outcome = FuzzRunner.run(CLIRunner.binary, ["run", viaStdin ? "-" : file], stdin: viaStdin ? input : [])
            let failure = FuzzRunner.failure(of: outcome)
            #expect(failure == nil, "case \(k) from \(name): \(failure ?? "")\n\(String(decoding: input.prefix(2000), as: UTF8.self))")
        }
    }

    /// The same seed gives the same cases (a saved crash can be reproduced from its seed).
    @Test func mutatorIsDeterministic() {
        let bytes = Array("{\"inputs\": [[1, 2]], \"labels\": [0.5]}".utf8)
        var a = SplitMix64(seed: 3), b = SplitMix64(seed: 3)
        for _ in 0..<100 {
            #expect(Mutator().mutate(bytes, using: &a) == Mutator().mutate(bytes, using: &b))
        }
    }
}
