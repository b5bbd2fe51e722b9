@testable import LSTMGrad
import Testing

/// Stacked, bidirectional and batched networks against PyTorch's own autograd (float64, the
/// fixtures `scripts/torch-reference-net.py` wrote), and against finite differences.
@Suite struct NetworkReferenceTests {
    static let cases = listDirectory(Fixtures.root + "/fixtures/torch-net").filter { $0.hasSuffix(".json") && !$0.hasSuffix(".expected.json") }.sorted()

    /// Every gradient and the loss `run --format json` prints agree with torch.autograd to 1e−9 relative.
    @Test(arguments: cases)
    func agreesWithPyTorch(_ name: String) throws {
        try Self.compare(["run", "fixtures/torch-net/" + name, "--format", "json"], expected: "torch-net/" + String(name.dropLast(5)) + ".expected.json")
    }

    /// Runs `args` (a `--format json` run) and compares every quantity of the fixture `expected`
    /// (canonical name → numbers) with it to 1e−9 relative.
    static func compare(_ args: [String], expected file: String) throws {
        let out = try CLIRunner.run(args)
        let name = file
        #expect(out.status == 0 && out.stderr.isEmpty, "\(name): \(out.stderr)")
        let ours = try JSONOutput.quantityTable(out.stdout)
        let expectedText = try String(decoding: InputFile.read(Fixtures.path(file)), as: UTF8.self)
        let expected = try JSONParser.parse(Array(expectedText.utf8))
        var compared = 0
        for member in expected.members ?? [] {
            let e = JSONOutput.flatten(member.value)
            guard let o = ours[member.key] else {
                Issue.record("\(name): no quantity \(member.key) in the output")
                continue
            }
            #expect(o.count == e.count, "\(name) \(member.key): \(o.count) numbers, expected \(e.count)")
            for (a, b) in zip(o, e) {
                let err = relativeError(a, b)
                #expect(err <= 1e-9, "\(name) \(member.key): ours \(a), PyTorch \(b), relative error \(err), tolerance 1e-9")
            }
            compared += 1
        }
        #expect(compared > 3)
    }

    /// The analytic gradients of every block agree with five-point central differences (the
    /// independent proof, without PyTorch).
    @Test(arguments: cases.prefix(8))
    func agreesWithFiniteDifferences(_ name: String) throws {
        let spec = try Fixtures.spec("torch-net/" + name)
        let check = spec.gradientCheck(tolerance: 1e-7)
        #expect(!check.rows.isEmpty)
        for row in check.rows {
            #expect(row.error <= 1e-7, "\(name) \(row.block.name): max error \(row.error), tolerance 1e-7")
        }
    }
}

/// Names at a place in a network: one printer, one parser; names outside a network unchanged.
@Suite struct NetworkNameTests {
    @Test(arguments: ["out@l1.reverse[3]", "dW.a@l0.b2", "x@b1[0]", "W.a@l2.reverse'", "delta_state@l0.reverse.b3[-1]", "Delta_top@b0[2]",
                      "state[1]", "W.a'", "full.dU.o", "dW.a"])
    func roundTrips(_ key: String) {
        let n = QuantityName(parsing: key)
        #expect(n?.description == key)
    }

    @Test func placesAreTyped() {
        let n = QuantityName(parsing: "out@l1.reverse.b2[3]")
        #expect(n?.layer == 1 && n?.reverse == true && n?.sequence == 2 && n?.t == 3 && n?.symbol == Symbol("out"))
        #expect(QuantityName(parsing: "state[1]")?.hasPlace == false)
    }

    @Test(arguments: ["out@", "out@l", "out@reverse.l1", "out@b1.l0", "out@lx", "out@l1.l2", "out@q1", "out@l-1"])
    func rejectsMalformedPlaces(_ key: String) {
        #expect(QuantityName(parsing: key) == nil)
    }

    @Test func stateDictKeys() {
        #expect(StateDictKey("weight_ih_l0") == StateDictKey(.weightIH, layer: 0, reverse: false))
        #expect(StateDictKey("bias_hh_l12_reverse") == StateDictKey(.biasHH, layer: 12, reverse: true))
        #expect(StateDictKey("weight_hh_l2_reverse")?.name == "weight_hh_l2_reverse")
        for bad in ["weight_ih", "weight_ih_l", "weight_ih_l01", "weight_ih_lx", "kernel", "weight_ih_l0_rev", "bias_ih_l-1"] {
            #expect(StateDictKey(bad) == nil, "\(bad)")
        }
    }
}

/// What commands do with networks: run prints them, a chosen sequence, and the commands that
/// refuse what a network cannot mean, with a clear message and exit 2, printing nothing on stdout.
@Suite struct NetworkCommandTests {
    @Test func runChoosesOneSequence() throws {
        let all = try CLIRunner.run(["run", "fixtures/torch-net/case-02.json"])
        let one = try CLIRunner.run(["run", "fixtures/torch-net/case-02.json", "--sequence", "1"])
        #expect(all.status == 0 && one.status == 0)
        #expect(all.stdout.contains("Forward @ sequence 0, layer 0, t=0") && all.stdout.contains("Forward @ sequence 2, layer 0, t=0"))
        #expect(!one.stdout.contains("sequence 0,") && one.stdout.contains("Forward @ sequence 1, layer 0, t=0"))
        // The totals are over the whole batch either way.
        let totals = { (s: String) in s.split(separator: "Gradients (summed over t and the batch)").last.map(String.init) ?? "" }
        #expect(totals(all.stdout) == totals(one.stdout))
    }

    @Test(arguments: [
        (["run", "fixtures/torch-net/case-02.json", "--sequence", "3"], "lstm-grad: error: --sequence 3: the batch has 3 sequences (0…2)\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/gomez.json", "--sequence", "0"], "lstm-grad: error: --sequence chooses a sequence of a batch; fixtures/gomez.json has one sequence\nsee 'lstm-grad run --help'\n"),
        (["run", "fixtures/torch-net/case-02.json", "--steps", "2", "--sequence", "1"], "lstm-grad: error: --sequence chooses what one pass prints; --steps prints the losses and the final parameters, drop --sequence\nsee 'lstm-grad run --help'\n"),
        (["analyze", "fixtures/torch-net/case-02.json", "--sequence", "3"], "lstm-grad: error: --sequence 3: the batch has 3 sequences (0…2)\nsee 'lstm-grad analyze --help'\n"),
        (["analyze", "fixtures/gomez.json", "--sequence", "0"], "lstm-grad: error: --sequence chooses a sequence of a batch; fixtures/gomez.json has one sequence\nsee 'lstm-grad analyze --help'\n"),
    ])
    func refuses(_ args: [String], _ stderr: String) throws {
        let out = try CLIRunner.run(args)
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == stderr)
    }
}

/// The network through each cell's fast kernel gives the values of the equations.
@Suite struct NetworkFastPathTests {
    struct Compare: ProblemVisitor {
        typealias Result = (compared: Int, worst: Double, worstName: String)
        var options = BackwardOptions()
        func visit<C: Cell>(_ problem: Problem<C>) -> Result { (0, 0, "") }
        func visit<C: Cell>(network: NetworkProblem<C>) -> Result {
            let fast = NetworkPass(network, options: options, fast: true), slow = NetworkPass(network, options: options, fast: false)
            var worst = 0.0, worstName = "", compared = 0
            for (name, value) in slow.values.values {
                guard let other = fast.values[name] else { continue }
                compared += 1
                // Relative to the value's own scale, as the cell kernels' tests compare (a
                // summation in another order moves an entry near zero by ε·scale).
                let scale = max(value.numbers.map(abs).max() ?? 0, 1e-300)
                for (a, b) in zip(value.numbers, other.numbers) where abs(a - b) / scale > worst {
                    worst = abs(a - b) / scale
                    worstName = name.description
                }
            }
            return (compared, worst, worstName)
        }
    }

    /// With the full gradient and the truncated one (`--no-recurrent-terms`).
    @Test(arguments: [true, false])
    func fastKernelMatchesEquations(recurrentTerms: Bool) throws {
        let spec = try Fixtures.spec("torch-net/case-16.json")
        let r = spec.visit(Compare(options: BackwardOptions(recurrentTerms: recurrentTerms)))
        #expect(r.compared > 1000)
        #expect(r.worst <= 1e-12, "\(r.worstName): max difference / scale \(r.worst), tolerance 1e-12")
    }
}

/// `run --summary` of a large LSTM network (through the kernel alone) gives PyTorch's loss and
/// every block's sum and norm.
@Suite struct NetworkSummaryTests {
    @Test func kernelSummaryAgreesWithPyTorch() throws {
        let out = try CLIRunner.run(["run", "fixtures/torch-net/case-16.json", "--summary", "--format", "json"])
        #expect(out.status == 0 && out.stderr.isEmpty, "\(out.stderr)")
        let root = try JSONParser.parse(Array(out.stdout.utf8))
        let expected = try JSONParser.parse(InputFile.read(Fixtures.path("torch-net/case-16.expected.json")))
        var compared = 0
        for member in expected.members ?? [] {
            let e = JSONOutput.flatten(member.value)
            if member.key == "loss" {
                let loss = JSONOutput.member(root, ["loss"])?.number ?? .nan
                #expect(relativeError(loss, e[0]) <= 1e-9, "loss: ours \(loss), PyTorch \(e[0])")
                continue
            }
            guard let block = JSONOutput.member(root, ["blocks", member.key]) else {
                Issue.record("no block \(member.key) in the summary")
                continue
            }
            let norm = e.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let sum = JSONOutput.member(block, ["sum"])?.number ?? .nan, ourNorm = JSONOutput.member(block, ["norm"])?.number ?? .nan
            #expect(abs(sum - e.reduce(0, +)) <= 1e-9 * norm, "\(member.key) sum: ours \(sum), PyTorch \(e.reduce(0, +)), scale \(norm)")
            #expect(relativeError(ourNorm, norm) <= 1e-9, "\(member.key) norm: ours \(ourNorm), PyTorch \(norm)")
            compared += 1
        }
        #expect(compared == 50)
    }
}

/// A bad network spec: the exact message (file:line:column, the spec's own key names), exit 2,
/// nothing on stdout.
@Suite struct NetworkErrorTests {
    @Test(arguments: [
        ("missing-reverse", "fixtures/errors-net/missing-reverse.json:3:14: error: weights: missing required field \"weight_ih_l0_reverse\" (layer 0, reverse direction's input weights)\n"),
        ("h0-shape", "fixtures/errors-net/h0-shape.json:9:22: error: initial.out: expected 2 entries (layers·directions = 2·1), found 1\n"),
        ("labels-batch", "fixtures/errors-net/labels-batch.json:5:13: error: labels: expected 3 labels (one per sequence, B = 3 from inputs), found 2\n"),
        ("no-layers", "fixtures/errors-net/no-layers.json:3:25: error: weights.layers: expected at least one layer, found an empty array\n"),
        ("bias-reverse", "fixtures/errors-net/bias-reverse.json:6:27: error: weights.bias_hh_l1_reverse: expected 1 number (hidden size H = 1), found 2\n"),
    ])
    func exactDiagnostic(_ name: String, _ stderr: String) throws {
        let out = try CLIRunner.run(["run", "fixtures/errors-net/\(name).json"])
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == stderr)
    }
}
