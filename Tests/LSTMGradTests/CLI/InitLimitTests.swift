import LSTMGrad
import Testing

/// `init` writes only specs the readers accept: a size whose spec would exceed the input limit is
/// refused (exit 2) with the option that lifts it, before any number is drawn when the count of
/// numbers alone rules it out.
@Suite struct InitLimitTests {
    /// The count of numbers is exact (the learning rate aside; PyTorch writes a second bias), and
    /// 3 bytes a number is a lower bound of the text, for every combination init writes.
    @Test(arguments: InitTemplateTests.combinations.map { "\($0.0) \($0.1) \($0.2.rawValue) \($0.3)" })
    func numberCountAndMinimumSize(_ combination: String) throws {
        let parts = combination.split(separator: " ").map(String.init)
        for seed in [nil, 3] as [UInt64?] {
            for (X, H, T) in [(1, 1, 1), (3, 2, 4), (2, 5, 3)] {
                let template = SpecTemplate(model: parts[0], layout: parts[1], inputSize: X, hiddenSize: H, steps: T,
                                            head: HeadKind(rawValue: parts[2])!, loss: parts[3], seed: seed)
                let text = try template.render()
                func count(_ node: JSONNode) -> Int {
                    switch node.value {
                    case .number: return 1
                    case .array(let items): return items.map(count).reduce(0, +)
                    case .numbers(let p): return p.count
                    case .object(let members): return members.map { count($0.value) }.reduce(0, +)
                    default: return 0
                    }
                }
                let written = count(try JSONParser.parse(Array(text.utf8))) - 1  // less the learning rate
                // PyTorch's second bias: one per gate (LSTM 4H, GRU 3H, RNN H).
                let gates = ["lstm": 4, "gru": 3, "rnn": 1][parts[0]] ?? 0
                let extra = parts[1] == "pytorch" ? gates * H : 0
                #expect(written == template.numberCount + extra, "\(combination) X=\(X) H=\(H) T=\(T)")
                #expect(template.minimumBytes <= text.utf8.count, "\(combination) X=\(X) H=\(H) T=\(T)")
            }
        }
    }

    /// The largest sizes init accepts: 4(H·X + H² + H) weights + T·X inputs + T·H labels + 2H
    /// initial = 134,234,112 + 409,600,000 + 409,600,000 + 8,192 numbers. Refused at once, by count.
    @Test func hugeSizesAreRefusedBeforeDrawing() throws {
        let r = try CLIRunner.run(["init", "--input", "4096", "--hidden", "4096", "--steps", "100000", "--seed", "1"])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == """
            lstm-grad: error: the spec would hold 953442304 numbers, at least 2860326912 bytes: over the limit of 67108864 bytes \
            that run, check, gradcheck and analyze read by default; use smaller sizes, or raise the limit with --max-input BYTES \
            (here and when reading the spec)
            see 'lstm-grad init --help'

            """)
    }

    /// At the limit a spec is written, and `run` reads it with the same limit; one byte less
    /// and it is refused, by its exact size.
    @Test func theLimitIsTheReadersLimit() throws {
        let full = try CLIRunner.run(["init", "--steps", "40", "--seed", "2"])
        #expect(full.status == 0)
        let size = full.stdout.utf8.count
        let at = try CLIRunner.run(["init", "--steps", "40", "--seed", "2", "--max-input", "\(size)"])
        #expect(at.status == 0, "\(at.stderr)")
        #expect(at.stdout == full.stdout)
        #expect(try CLIRunner.run(["run", "-", "--max-input", "\(size)"], stdin: at.stdout).status == 0)
        #expect(try CLIRunner.run(["run", "-", "--max-input", "\(size - 1)"], stdin: at.stdout).status == 2)
        let below = try CLIRunner.run(["init", "--steps", "40", "--seed", "2", "--max-input", "\(size - 1)"])
        #expect(below.status == 2)
        #expect(below.stdout.isEmpty)
        #expect(below.stderr == """
            lstm-grad: error: the spec would be \(size) bytes: over the limit of \(size - 1) bytes that run, check, gradcheck and \
            analyze read with --max-input \(size - 1); use smaller sizes, or raise the limit with --max-input BYTES (here and when \
            reading the spec)
            see 'lstm-grad init --help'

            """)
    }

    @Test func forceNeedsAFile() throws {
        let r = try CLIRunner.run(["init", "--force"])
        #expect(r.status == 2)
        #expect(r.stderr == "lstm-grad: error: --force goes with -o FILE\nsee 'lstm-grad init --help'\n")
    }
}
