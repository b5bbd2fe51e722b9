import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every head × loss combination against central finite differences, on a network with
/// X = 3, H = 2, T = 3 (K = 3 outputs) and a nonzero initial state.
@Suite struct HeadLossTests {
    static func number(_ k: Int) -> Double {
        // Deterministic, irregular values in (−0.9, 0.9).
        let x = sin(Double(k) * 12.9898 + 78.233) * 43758.5453
        return (x - x.rounded(.down)) * 1.8 - 0.9
    }

    static func parameters(X: Int, H: Int, seed: Int) -> LSTMParameters {
        var k = seed
        func next() -> Double { k += 1; return number(k) }
        return LSTMParameters(
            W: PerGate { _ in Matrix(rows: H, cols: X, values: (0..<(H * X)).map { _ in next() }) },
            U: PerGate { _ in Matrix(rows: H, cols: H, values: (0..<(H * H)).map { _ in next() }) },
            b: PerGate { _ in Vector((0..<H).map { _ in next() }) })
    }

    static let X = 3, H = 2, T = 3, K = 3
    static let inputs = [Vector([0.5, -0.3, 0.8]), Vector([-0.6, 0.1, 0.4]), Vector([0.2, 0.9, -0.7])]
    static let initial = CellState(out: Vector([0.3, -0.2]), state: Vector([-0.4, 0.25]))
    static let head = HeadParameters(V: Matrix([[0.7, -0.4], [0.3, 0.9], [-0.5, 0.2]]), c: Vector([0.1, -0.2, 0.05]))

    struct Case: CustomStringConvertible, Sendable {
        var head: HeadKind
        var loss: Loss
        var targets: Targets
        var description: String { "\(head.rawValue) + \(loss.kind.rawValue)(\(loss.parameter)) half=\(loss.half) mean=\(loss.mean) \(targets)" }
    }

    static let cases: [Case] = {
        let width: [HeadKind: Int] = [.none: H, .linear: K, .sigmoid: K, .softmax: K]
        func vectors(_ n: Int, _ f: (Int, Int) -> Double) -> [Vector] { (0..<T).map { t in Vector((0..<n).map { f(t, $0) }) } }
        var out: [Case] = []
        for kind in HeadKind.allCases {
            let n = width[kind]!
            let labels = vectors(n) { t, k in number(100 + 7 * t + k) }
            let given = vectors(n) { t, k in number(200 + 5 * t + k) }
            for half in [true, false] {
                for mean in [false, true] {
                    out.append(Case(head: kind, loss: Loss(kind: .l2, half: half, mean: mean), targets: .values(labels)))
                }
            }
            for mean in [false, true] {
                out.append(Case(head: kind, loss: Loss(kind: .upstream, mean: mean), targets: .gradients(given)))
            }
            // PyTorch's elementwise losses (labels spread wide, so that huber, smooth_l1 and l1
            // meet both branches), with their parameters and both reductions; bce_with_logits
            // reads a linear head's logits.
            let wide = vectors(n) { t, k in 3 * number(400 + 7 * t + k) }
            for mean in [false, true] {
                for (loss, p) in [(LossKind.mse, 1.0), (.l1, 1), (.huber, 1), (.huber, 0.25), (.smoothL1, 1), (.smoothL1, 0.3), (.smoothL1, 0)] {
                    out.append(Case(head: kind, loss: Loss(kind: loss, mean: mean, parameter: p), targets: .values(wide)))
                }
                if kind == .linear {
                    let soft = vectors(K) { t, k in 0.5 + 0.5 * number(500 + 3 * t + k) }
                    out.append(Case(head: kind, loss: Loss(kind: .bceWithLogits, mean: mean), targets: .values(soft)))
                }
            }
            if kind == .softmax {
                for mean in [false, true] {
                    out.append(Case(head: kind, loss: Loss(kind: .crossEntropy, mean: mean), targets: .classes([2, 0, 1])))
                    let probs = [Vector([0.2, 0.5, 0.3]), Vector([0.1, 0.1, 0.8]), Vector([0.6, 0.3, 0.1])]
                    out.append(Case(head: kind, loss: Loss(kind: .crossEntropy, mean: mean), targets: .values(probs)))
                }
            }
            if kind == .sigmoid {
                for mean in [false, true] {
                    let bits = [Vector([1, 0, 1]), Vector([0, 0, 1]), Vector([1, 1, 0])]
                    out.append(Case(head: kind, loss: Loss(kind: .binaryCrossEntropy, mean: mean), targets: .values(bits)))
                    out.append(Case(head: kind, loss: Loss(kind: .binaryCrossEntropy, mean: mean), targets: .values(vectors(K) { t, k in 0.5 + 0.4 * number(300 + 3 * t + k) })))
                }
            }
        }
        return out
    }()

    static func problem(_ c: Case) -> Problem<LSTMCell> {
        let head = c.head == .none ? Head.none : Head(kind: c.head, parameters: Self.head)
        return Problem(cell: LSTMCell(parameters: parameters(X: X, H: H, seed: 1)), head: head, loss: c.loss,
                       inputs: inputs, targets: c.targets, initial: initial, learningRate: 0.1)
    }

    @Test(arguments: cases)
    func finiteDifferences(_ c: Case) {
        let pass = Pass(Self.problem(c))
        let blocks = FiniteDifferences.check(pass, step: 1e-5)
        #expect(blocks.contains { $0.name == "dV" } == (c.head != .none))
        for b in blocks {
            // Relative error, with an absolute floor of 1e−6 on the denominator for entries
            // that are (near) zero in both.
            // Entries of 1e−4 or less (a softmax after an L1 loss) are held to 1e−10·max(1, L)
            // absolute: the differences' own rounding is about ε·L/h ≈ 1e−11·L.
            let err = b.maxRelativeError(floor: 1e-8)
            #expect(err < 1e-6 || b.maxAbsoluteError < 1e-10 * max(1, abs(pass.loss)), "\(c): \(b.name) relative error \(err), absolute \(b.maxAbsoluteError)")
        }
    }

    /// The mean of an elementwise loss divides by B·T·K (nn.MSELoss(): no ½, every element), of
    /// cross-entropy by B·T; the gradients scale alike.
    @Test(arguments: [LossKind.mse, .l1, .huber, .smoothL1, .bceWithLogits, .crossEntropy])
    func meanDividesByTheCount(_ kind: LossKind) {
        let c = Self.cases.first { $0.loss.kind == kind && $0.loss.parameter == 1 && ($0.head == .linear || kind == .crossEntropy) }!
        var sum = Self.problem(c), mean = sum
        sum.loss.mean = false
        mean.loss.mean = true
        let count = Double(kind == .crossEntropy ? Self.T : Self.T * Self.K)
        #expect(sum.loss.count(sequences: sum.sequenceCount, steps: Self.T, outputs: Self.K) == Int(count))
        #expect(abs(Pass(mean).loss - Pass(sum).loss / count) < 1e-15)
        let a = Pass(mean).headGradients!.V.values, b = Pass(sum).headGradients!.V.values
        for k in a.indices { #expect(abs(a[k] - b[k] / count) < 1e-15) }
    }

    /// δV and δc are printed and take one SGD step: V' = V − λ·δV.
    @Test func headGradientsArePrintedAndUpdated() throws {
        let c = Self.cases.first { $0.head == .softmax && $0.loss.kind == .crossEntropy }!
        let pass = Pass(Self.problem(c))
        let report = try ReportBuilder.build(pass, names: .published)
        let dV = try #require(report.quantity("dV")), dc = try #require(report.quantity("dc"))
        let V1 = try #require(report.quantity("V'")), c1 = try #require(report.quantity("c'"))
        #expect(dV.value.numbers == pass.headGradients!.V.values)
        #expect(dc.value.numbers == pass.headGradients!.c.values)
        for (k, v) in Self.head.V.values.enumerated() { #expect(V1.value.numbers[k] == v - 0.1 * dV.value.numbers[k]) }
        for (k, v) in Self.head.c.values.enumerated() { #expect(c1.value.numbers[k] == v - 0.1 * dc.value.numbers[k]) }
    }

    /// Softmax + cross-entropy: dv = ŷ − y (seed 002), for a one-hot label.
    @Test func softmaxCrossEntropyIsYHatMinusY() {
        let c = Self.cases.first { $0.head == .softmax && $0.loss.kind == .crossEntropy && !$0.loss.mean }!
        let pass = Pass(Self.problem(c))
        for (t, k) in [2, 0, 1].enumerated() {
            var expected = pass.headSteps[t].y
            expected[k] -= 1
            #expect(pass.dv[t] == expected)
        }
    }
}
