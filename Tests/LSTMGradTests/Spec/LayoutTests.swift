import LSTMGrad
import Testing

/// The same network written in every weight layout decodes to the same parameters and gives
/// identical forward values and gradients; gradients and updates come back in the spec's layout.
@Suite struct LayoutTests {
    static let X = 3, H = 2
    static let p = HeadLossTests.parameters(X: X, H: H, seed: 40)

    static func json(_ m: Matrix) -> String { "[" + m.rowArrays.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }.joined(separator: ", ") + "]" }
    static func json(_ v: Vector) -> String { "[" + v.values.map { "\($0)" }.joined(separator: ", ") + "]" }
    static func gates<T>(_ names: [(String, LSTMGate)], _ value: (LSTMGate) -> T, _ f: (T) -> String) -> String {
        "{" + names.map { "\"\($0.0)\": \(f(value($0.1)))" }.joined(separator: ", ") + "}"
    }
    static let aifo: [(String, LSTMGate)] = [("a", .a), ("i", .i), ("f", .f), ("o", .o)]
    static let fico: [(String, LSTMGate)] = [("f", .f), ("i", .i), ("c", .a), ("o", .o)]

    /// Every layout's "weights" object for `p`.
    static let layouts: [String: String] = {
        func stack(_ order: [LSTMGate], _ m: (LSTMGate) -> Matrix) -> Matrix { Matrix.stack(order.map(m)) }
        func stackB(_ order: [LSTMGate]) -> Vector { Vector(order.flatMap { p.b[$0].values }) }
        let ifgo: [LSTMGate] = [.i, .f, .a, .o]
        let oafi: [LSTMGate] = [.o, .a, .f, .i]
        return [
            "per-gate": "{\"W\": \(gates(aifo, { p.W[$0] }, json)), \"U\": \(gates(aifo, { p.U[$0] }, json)), \"b\": \(gates(aifo, { p.b[$0] }, json))}",
            "seed000": "{\"Wx\": \(gates(fico, { p.W[$0] }, json)), \"Wh\": \(gates(fico, { p.U[$0] }, json)), \"W0\": \(gates(fico, { p.b[$0] }, json))}",
            "concat-hx": "{\"z\": \"hx\", \"Wz\": \(gates(fico, { Matrix.hcat(p.U[$0], p.W[$0]) }, json)), \"b\": \(gates(fico, { p.b[$0] }, json))}",
            "concat-xh": "{\"z\": \"xh\", \"Wz\": \(gates(aifo, { Matrix.hcat(p.W[$0], p.U[$0]) }, json)), \"b\": \(gates(aifo, { p.b[$0] }, json))}",
            "stacked-oafi": "{\"order\": [\"o\", \"a\", \"f\", \"i\"], \"W\": \(json(stack(oafi) { p.W[$0] })), \"U\": \(json(stack(oafi) { p.U[$0] })), \"b\": \(json(stackB(oafi)))}",
            "stacked-ifgo": "{\"order\": \"ifgo\", \"W\": \(json(stack(ifgo) { p.W[$0] })), \"U\": \(json(stack(ifgo) { p.U[$0] })), \"b\": \(json(stackB(ifgo)))}",
            "pytorch": "{\"weight_ih_l0\": \(json(stack(ifgo) { p.W[$0] })), \"weight_hh_l0\": \(json(stack(ifgo) { p.U[$0] })), \"bias_ih_l0\": \(json(stackB(ifgo))), \"bias_hh_l0\": \(json(Vector(zeros: 4 * H)))}",
            "keras": "{\"kernel\": \(json(stack(ifgo) { p.W[$0] }.transposed)), \"recurrent_kernel\": \(json(stack(ifgo) { p.U[$0] }.transposed)), \"bias\": \(json(stackB(ifgo)))}",
        ]
    }()

    static func spec(weights: String, extra: String = "") -> String {
        """
        {"model": "lstm", "weights": \(weights),
         "head": {"type": "softmax", "V": [[0.7, -0.4], [0.3, 0.9], [-0.5, 0.2]], "c": [0.1, -0.2, 0.05]},
         "inputs": [[0.5, -0.3, 0.8], [-0.6, 0.1, 0.4], [0.2, 0.9, -0.7], [0.3, 0.3, -0.1]],
         "labels": [2, 0, 1, 1], "loss": "ce", "learning_rate": 0.2,
         "initial": {"out": [0.3, -0.2], "state": [-0.4, 0.25]}\(extra)}
        """
    }

    static func problem(_ s: Spec) -> Problem<LSTMCell>? {
        if let p = s.problem(as: LSTMCell.self) { return p }
        return nil
    }

    @Test(arguments: layouts.keys.sorted())
    func sameNetworkInEveryLayout(_ name: String) throws {
        let reference = try #require(Self.problem(try Fixtures.spec(json: Self.spec(weights: Self.layouts["per-gate"]!))))
        let s = try Fixtures.spec(json: Self.spec(weights: Self.layouts[name]!))
        let problem = try #require(Self.problem(s))
        #expect(problem.cell.parameters == Self.p)
        let a = Pass(reference), b = Pass(problem)
        for t in 0..<a.steps.count {
            #expect(a.steps[t].out == b.steps[t].out && a.steps[t].state == b.steps[t].state)
            #expect(a.headSteps[t].y == b.headSteps[t].y)
        }
        #expect(a.gradients.parameters == b.gradients.parameters)
        #expect(a.headGradients == b.headGradients)
        // PyTorch stores the bias twice: each copy takes its own step −λ·δb and the bias after
        // it is their sum (b − 2λ·δb up to rounding); every other layout updates the same
        // parameters the same way.
        var expected = a.updated
        if name == "pytorch", case .pytorch(let bih, let bhh)? = problem.layout as? LSTMLayout {
            let λ = problem.learningRate
            let order: [LSTMGate] = [.i, .f, .a, .o]
            let δb = Vector(order.flatMap { a.gradients.parameters.b[$0].values })
            let sum = (bih - λ * δb) + (bhh - λ * δb)
            for (k, g) in order.enumerated() {
                expected.b[g] = Vector(Array(sum.values[(k * 2)..<((k + 1) * 2)]))
                let twice = problem.cell.parameters.b[g] - (2 * λ) * a.gradients.parameters.b[g]
                for (x, y) in zip(expected.b[g].values, twice.values) { #expect(abs(x - y) <= 1e-15) }
            }
        }
        #expect(b.updated == expected)
        // The report gives the gradients back in the spec's own blocks.
        let report = try s.report()
        if let blocks = (s.problem(as: LSTMCell.self)?.layout as? LSTMLayout)?.blocks(b.gradients.parameters) {
            for (block, value) in blocks { #expect(report.quantity("d_" + block)?.value == value, "\(name): d_\(block)") }
        }
    }

    /// PyTorch's two biases: the effective bias is their sum, each gets δb, and one SGD step
    /// moves the effective bias by 2λ·δb.
    @Test func pytorchTwoBiases() throws {
        let s = try Fixtures.spec("pytorch-layout.json")
        let problem = try #require(Self.problem(s))
        guard case .pytorch(let bih, let bhh) = (s.problem(as: LSTMCell.self)?.layout as? LSTMLayout) else { Issue.record("not the PyTorch layout"); return }
        let order: [LSTMGate] = [.i, .f, .a, .o]
        #expect(Vector(order.flatMap { problem.cell.parameters.b[$0].values }) == bih + bhh)
        let pass = Pass(problem)
        let text = try #require(try UpdatedSpec.json(s))
        let next = try Fixtures.spec(json: text, name: "updated.json")
        let updated = try #require(Self.problem(next)).cell.parameters
        let lr = problem.learningRate
        for g in LSTMGate.allCases {
            for k in 0..<problem.cell.hiddenSize {
                let expected = problem.cell.parameters.b[g][k] - 2 * lr * pass.gradients.parameters.b[g][k]
                #expect(abs(updated.b[g][k] - expected) < 1e-12)
            }
        }
        let report = try s.report()
        #expect(report.notes.contains { $0.contains("2·λ·δb") })
        #expect(report.quantity("d_bias_ih_l0")?.value == report.quantity("d_bias_hh_l0")?.value)
        // The canonical b_g' of the report are the effective bias after the step: the sum of
        // the two copies after theirs, exactly (b − 2λ·δb up to rounding).
        let ih = try #require(report.quantity("bias_ih_l0'")).value.numbers, hh = try #require(report.quantity("bias_hh_l0'")).value.numbers
        for (k, g) in order.enumerated() {
            let printed = try #require(report.quantity("b.\(g.rawValue)'")).value.numbers
            let expected = problem.cell.parameters.b[g] - (2 * lr) * pass.gradients.parameters.b[g]
            for (x, y) in zip(printed, expected.values) { #expect(abs(x - y) <= 1e-15) }
            let H = problem.cell.hiddenSize
            #expect(printed == (0..<H).map { ih[k * H + $0] + hh[k * H + $0] })
        }
    }

    /// `--write-updated` output, read back, is the SGD-updated network in the same layout.
    @Test(arguments: ["seed000-univariate", "seed002-concat-softmax", "seed003-stacked", "keras-layout", "gomez"])
    func updatedSpecRoundTrips(_ name: String) throws {
        let s = try Fixtures.spec(name + ".json")
        let problem = try #require(Self.problem(s))
        let pass = Pass(problem)
        let next = try Fixtures.spec(json: try #require(try UpdatedSpec.json(s)), name: "updated.json")
        let p2 = try #require(Self.problem(next))
        #expect((next.problem(as: LSTMCell.self)?.layout as? LSTMLayout) == (s.problem(as: LSTMCell.self)?.layout as? LSTMLayout))
        #expect(p2.cell.parameters == pass.updated)
        #expect(p2.head.parameters == pass.updatedHead)
        #expect(p2.inputs == problem.inputs && p2.targets == problem.targets && p2.loss == problem.loss)
    }

    // MARK: errors

    static func errors(_ weights: String) -> String {
        do {
            _ = try Fixtures.spec(json: spec(weights: weights))
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test func twoLayoutsAtOnce() {
        let e = Self.errors("{\"W\": {\"a\": 1}, \"weight_ih_l0\": [[1]]}")
        #expect(e.contains("weights.weight_ih_l0: two weight layouts at once"), "\(e)")
        let e2 = Self.errors("{\"kernel\": [[1]], \"Wx\": {}}")
        #expect(e2.contains("weights.Wx: two weight layouts at once"), "\(e2)")
    }

    @Test func missingGate() {
        let w = Self.layouts["concat-hx"]!.replacingOccurrences(of: "\"o\": [[", with: "\"x\": [[")
        let e = Self.errors(w)
        #expect(e.contains("weights.Wz.x: unknown key \"x\""), "\(e)")
        #expect(e.contains("weights.Wz: missing required field \"o\""), "\(e)")
        let perGate = Self.layouts["per-gate"]!.replacingOccurrences(of: "\"U\": {\"a\"", with: "\"U\": {\"A\"")
        let e2 = Self.errors(perGate)
        #expect(e2.contains("weights.U.A: unknown key \"A\"; did you mean \"a\"?"), "\(e2)")
        #expect(e2.contains("weights.U: missing required field \"a\""), "\(e2)")
        let dup = "{\"W\": {}, \"W\": {}, \"U\": {}}"
        #expect(Self.errors(dup).components("duplicate key").count == 2)  // reported once
    }

    @Test func orderMustBePermutation() {
        let w = Self.layouts["stacked-ifgo"]!.replacingOccurrences(of: "\"ifgo\"", with: "\"iffo\"")
        let e = Self.errors(w)
        #expect(e.contains("weights.order: expected a permutation of the four gates"), "\(e)")
        let missing = Self.layouts["stacked-ifgo"]!.replacingOccurrences(of: "\"order\": \"ifgo\", ", with: "")
        #expect(Self.errors(missing).contains("missing required field \"order\""))
    }

    @Test func wrongStackedShapes() {
        let e = Self.errors("{\"weight_ih_l0\": [[1, 2, 3]], \"weight_hh_l0\": [[1], [2], [3]]}")
        #expect(e.contains("weights.weight_hh_l0: expected a matrix with 4H entries"), "\(e)")
        let k = Self.layouts["keras"]!.replacingOccurrences(of: "\"bias\": [", with: "\"bias\": [0.5, ")
        #expect(Self.errors(k).contains("weights.bias: expected 8 numbers"), "\(Self.errors(k))")
    }

    @Test func candidateNamedTwice() {
        let w = "{\"Wx\": {\"a\": 1, \"c\": 1, \"i\": 1, \"f\": 1, \"o\": 1}, \"Wh\": {}, \"W0\": {}}"
        #expect(Self.errors(w).contains("weights.Wx.c: \"c\" and \"a\" both name the candidate gate"))
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension String {
    func components(_ separator: String) -> [Substring] {
        var out: [Substring] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            out.append(rest[..<r.lowerBound])
            rest = rest[r.upperBound...]
        }
        return out + [rest]
    }
}
