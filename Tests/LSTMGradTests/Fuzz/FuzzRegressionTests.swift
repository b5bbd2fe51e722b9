import LSTMGrad
import LSTMGradFuzz
import Testing

/// The failures fuzzing found, kept in fixtures/fuzz/ and replayed through the binary by every
/// `make test`: `spec-*.json` through each path the spec harness drives (every format, the
/// summary, training, a sampled gradient check, --write-updated), `check-*.json` as the answers
/// file of each example the check harness grades against, as written, with --tol and with
/// --rounded. Each run must end with 0, 1 or 2 and a message when it fails, never by a signal or
/// a hang (a limit of 60 s, far above any of them).
@Suite struct FuzzRegressionTests {
    static let directory = Fixtures.root + "/fixtures/fuzz"
    static var specs: [String] { listDirectory(directory).filter { $0.hasPrefix("spec-") && $0.hasSuffix(".json") }.sorted() }
    static var answers: [String] { listDirectory(directory).filter { $0.hasPrefix("check-") && $0.hasSuffix(".json") }.sorted() }
    /// The examples of Fuzz/CheckHarness.
    static let examples = ["gomez", "keras-layout", "seed004-rnn", "gru-znew"]

    static func expectAcceptable(_ args: [String], _ name: String) {
        let o = FuzzRunner.run(CLIRunner.binary, args, timeout: 60)
        let failure = FuzzRunner.failure(of: o)
        #expect(failure == nil, "\(name): lstm-grad \(args.joined(separator: " ")): \(failure ?? "")\n\(String(decoding: o.stderr.prefix(2000), as: UTF8.self))")
    }

    @Test func theRegressionsAreThere() {
        #expect(Self.answers.count >= 2, "fixtures/fuzz/ lost its check regressions")
        for name in Self.specs + Self.answers { #expect(name.unicodeScalars.allSatisfy { $0.isASCII && $0 != " " }, "\(name)") }
    }

    @Test(arguments: specs)
    func spec(_ name: String) throws {
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let file = Self.directory + "/" + name
        for extra in [[], ["--format", "json"], ["--format", "csv"], ["--format", "markdown"], ["--show-work"], ["--summary"],
                      ["--steps", "2", "--last-report"], ["--no-recurrent-terms"], ["--write-updated", dir + "/updated.json", "--force"]] {
            Self.expectAcceptable(["run", file] + extra, name)
        }
        Self.expectAcceptable(["gradcheck", file, "--sample", "2"], name)
    }

    @Test(arguments: answers)
    func answersFile(_ name: String) {
        let file = Self.directory + "/" + name
        for example in Self.examples {
            for extra in [[], ["--tol", "1e-4"], ["--rounded", "3"]] {
                Self.expectAcceptable(["check", "--example", example, file] + extra, name)
            }
        }
    }
}
