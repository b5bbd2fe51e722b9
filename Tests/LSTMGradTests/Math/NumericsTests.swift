import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Saturation gives exact limits, never NaN; a value that still overflows stops the run (see
/// `ErrorMessageTests`, overflow-*); the output is byte-identical from run to run.
@Suite struct NumericsTests {
    @Test(arguments: [1000.0, 1e5, 1e308, .greatestFiniteMagnitude])
    func sigmoidAndTanhSaturateExactly(_ z: Double) {
        #expect(sigmoid(z) == 1)
        #expect(sigmoid(-z) == 0)
        #expect(Activation.tanh.apply(z) == 1)
        #expect(Activation.tanh.apply(-z) == -1)
        // The derivatives at saturation are exactly zero, not NaN.
        #expect(Activation.sigmoid.derivative(z: z, y: sigmoid(z)) == 0)
        #expect(Activation.tanh.derivative(z: -z, y: Activation.tanh.apply(-z)) == 0)
        #expect(softplus(z).isFinite && softplus(-z) >= 0)
    }

    @Test func softmaxOfHugeLogitsIsExact() {
        #expect(softmax(Vector([1000, -1000])).values == [1, 0])
        #expect(softmax(Vector([1e308, 1e308])).values == [0.5, 0.5])
        #expect(softmax(Vector([-1e308, 0, 1e308])).values == [0, 0, 1])
        #expect(logSumExp(Vector([1000, -1000])) == 1000)
        #expect(logSumExp(Vector([1e308, 1e308])).isFinite)
        #expect(logSoftmax(Vector([1e308, 1e308])).values == [-log(2.0), -log(2.0)])
        #expect(logSoftmax(Vector([1000, -1000])).values == [0, -2000])
    }

    /// Two equal logits of 1e17: the loss is log 2 whichever class (lse − v would give 0 here).
    @Test func crossEntropyWithEqualHugeLogits() throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": 0, "i": 0, "f": 0, "o": 0}, "U": {"a": 0, "i": 0, "f": 0, "o": 0}},
             "inputs": [1], "head": {"type": "softmax", "V": [[0], [0]], "c": [1e17, 1e17]},
             "loss": "ce", "labels": [1]}
            """)
        let report = try spec.report()
        #expect(report.quantity("y[0]")?.value.numbers == [0.5, 0.5])
        #expect(report.quantity("loss[0]")?.value.numbers == [log(2.0)])
    }

    /// With every cell weight zero, out_t = 0 and the logits are v_t = c, so the loss is known by
    /// hand: CE with logits (1000, −1000) is 0 for class 0 and exactly 2000 for class 1, and
    /// dv = ŷ − onehot = (1, −1) for class 1.
    @Test func crossEntropyWithHugeLogits() throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": 0, "i": 0, "f": 0, "o": 0}, "U": {"a": 0, "i": 0, "f": 0, "o": 0}},
             "inputs": [1, 1], "head": {"type": "softmax", "V": [[0], [0]], "c": [1000, -1000]},
             "loss": "ce", "labels": [0, 1]}
            """)
        let report = try spec.report()
        #expect(report.quantity("y[0]")?.value.numbers == [1, 0])
        #expect(report.quantity("loss[0]")?.value.numbers == [0])
        #expect(report.quantity("loss[1]")?.value.numbers == [2000])
        #expect(report.quantity("dv[1]")?.value.numbers == [1, -1])
        #expect(report.quantity("dv[0]")?.value.numbers == [0, 0])
    }

    /// BCE on a sigmoid head with v = ±1000: L = softplus(v) − p·v, exactly 1000 or 0.
    @Test func binaryCrossEntropyWithHugeLogits() throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": 0, "i": 0, "f": 0, "o": 0}, "U": {"a": 0, "i": 0, "f": 0, "o": 0}},
             "inputs": [1, 1], "head": {"type": "sigmoid", "V": [[0], [0]], "c": [1000, -1000]},
             "loss": "bce", "labels": [[0, 0], [1, 0]]}
            """)
        let report = try spec.report()
        #expect(report.quantity("y[0]")?.value.numbers == [1, 0])
        #expect(report.quantity("loss[0]")?.value.numbers == [1000])
        #expect(report.quantity("loss[1]")?.value.numbers == [0])
    }

    /// A saturated cell (pre-activations of ±1000 and more) stays finite all the way through.
    @Test func saturatedCellIsFinite() throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": [1000, -1000], "i": [-1000, 1000], "f": [1e300, 1e300], "o": [-1000, -1000]},
                         "U": {"a": 1000, "i": -1000, "f": 1000, "o": 1000}},
             "inputs": [[1, 2], [0.5, 3]], "labels": [0.5, 1.25]}
            """)
        let report = try spec.report()
        for q in report.uniqueQuantities {
            #expect(q.value.numbers.allSatisfy { $0.isFinite }, "\(q.key)")
        }
    }

    /// Overflow in the library: the error names the first non-finite quantity and its section.
    @Test func overflowNamesTheFirstQuantity() throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": [1e308, -1e308], "i": [0, 0], "f": [0, 0], "o": [0, 0]}, "U": {"a": 0, "i": 0, "f": 0, "o": 0}},
             "inputs": [[2, 2]], "labels": [0]}
            """)
        #expect(throws: NumericError.self) { try spec.report() }
        do {
            _ = try spec.report()
        } catch {
            #expect(error.quantity == "a_0 (a[0])")
            #expect(error.value.isNaN)
            #expect(error.section == "Forward @ t=0")
        }
    }

    /// The same command gives the same bytes, every time, for text, JSON and errors.
    @Test(arguments: [["run", "fixtures/gomez.json"], ["run", "fixtures/gomez.json", "--format", "json"],
                      ["run", "fixtures/gomez.json", "--precision", "15"], ["run", "fixtures/errors/several.json"]])
    func outputIsByteIdenticalAcrossRuns(_ args: [String]) throws {
        let first = try CLIRunner.run(args)
        for _ in 0..<3 {
            let again = try CLIRunner.run(args)
            #expect(again.stdout == first.stdout)
            #expect(again.stderr == first.stderr)
            #expect(again.status == first.status)
        }
        #expect(!(first.stdout + first.stderr).isEmpty)
    }

    /// The log-softmax form of the cross-entropy loss has the same gradients as before: every
    /// block agrees with central differences (class labels and probability labels).
    @Test(arguments: ["[0, 2]", "[[0.2, 0.3, 0.5], [1, 0, 0]]"])
    func crossEntropyGradientsMatchFiniteDifferences(_ labels: String) throws {
        let spec = try Fixtures.spec(json: """
            {"weights": {"W": {"a": [[0.1, -0.2], [0.3, 0.4]], "i": [[0.5, 0.1], [-0.3, 0.2]], "f": [[0.2, 0.2], [0.1, -0.1]], "o": [[-0.4, 0.3], [0.2, 0.1]]},
                         "U": {"a": [[0.1, 0], [0, 0.1]], "i": [[0.2, 0.1], [0, 0.3]], "f": [[0.1, -0.2], [0.2, 0.1]], "o": [[0.3, 0], [0.1, 0.2]]},
                         "b": {"a": [0.1, -0.1], "i": [0, 0.2], "f": [0.5, 0.5], "o": [0, 0]}},
             "head": {"type": "softmax", "V": [[1, -0.5], [0.3, 0.8], [-0.7, 0.2]], "c": [0.1, 0, -0.1]},
             "loss": "ce", "inputs": [[1, 2], [0.5, -1]], "labels": \(labels)}
            """)
        guard let problem = spec.problem(as: LSTMCell.self) else { Issue.record("not an LSTM"); return }
        let blocks = FiniteDifferences.check(Pass(problem))
        #expect(blocks.count > 10)
        for block in blocks {
            let error = block.maxRelativeError(floor: 1e-7)
            #expect(error < 1e-5, "\(block.name): relative error \(error), tolerance 1e-5")
        }
    }
}
