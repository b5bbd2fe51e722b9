import LSTMGrad
import Testing

/// `SpecTemplate` (what `lstm-grad init` writes): every model × layout × head × loss decodes,
/// and its analytic gradients agree with central finite differences.
@Suite struct InitTemplateTests {
    /// Every combination init can write, with the loss each head allows.
    static var combinations: [(String, String, HeadKind, String)] {
        var out: [(String, String, HeadKind, String)] = []
        for m in SpecTemplate.models {
            for layout in m.layouts {
                for head in HeadKind.allCases {
                    let regression = ["mse", "l1", "huber", "smooth_l1"]
                    let losses = head == .softmax ? ["ce", "l2", "upstream"] : head == .sigmoid ? ["bce", "l2", "upstream"] + regression
                        : head == .linear ? ["l2", "upstream", "bce_with_logits"] + regression : ["l2", "upstream"] + regression
                    for loss in losses { out.append((m.name, layout, head, loss)) }
                }
            }
        }
        return out
    }

    struct GradCheck: ProblemVisitor {
        func visit<C: Cell>(_ problem: Problem<C>) -> [FiniteDifferences.Block] {
            FiniteDifferences.check(Pass(problem), step: 1e-6)
        }
    }

    @Test(arguments: combinations.map { "\($0.0) \($0.1) \($0.2.rawValue) \($0.3)" })
    func templatePassesFiniteDifferences(_ combination: String) throws {
        let parts = combination.split(separator: " ").map(String.init)
        for seed in [nil, 7] as [UInt64?] {
            // Zero weights put every ReLU pre-activation exactly at its kink, where the
            // derivative does not exist (central differences see ½): checked with a seed only.
            if parts[1] == "relu" && seed == nil { continue }
            let template = SpecTemplate(model: parts[0], layout: parts[1], inputSize: 3, hiddenSize: 2, steps: 3,
                                        head: HeadKind(rawValue: parts[2])!, loss: parts[3], seed: seed)
            let text = try template.render()
            let spec = try Fixtures.spec(json: text, name: "init.json")
            #expect(spec.modelName == parts[0])
            #expect(spec.warnings.isEmpty)
            let blocks = spec.visit(GradCheck())
            #expect(!blocks.isEmpty)
            for block in blocks {
                for (k, (a, n)) in zip(block.analytic, block.numeric).enumerated() {
                    // Relative 1e-6 plus an absolute 1e-8: central differences with h = 1e-6
                    // carry a round-off of about ε·L/h ≈ 1e-10, which dominates the tiny
                    // gradients of small seeded weights.
                    #expect(abs(a - n) <= 1e-6 * max(abs(a), abs(n)) + 1e-8, "\(combination) seed \(seed.map(String.init) ?? "none") \(block.name)[\(block.indices[k])]: analytic \(a), numeric \(n)")
                }
            }
        }
    }

    /// Zero weights by default; seeded weights in [−0.1, 0.1] with 4 decimals, the same for the
    /// same seed and different for another.
    @Test func seededWeightsAreSmallUniformAndReproducible() throws {
        let zero = try SpecTemplate(hiddenSize: 3).render()
        guard let p0 = try Fixtures.spec(json: zero).problem(as: LSTMCell.self) else { Issue.record("not lstm"); return }
        #expect(p0.cell.parameters.W.a.values.allSatisfy { $0 == 0 })
        let a = try SpecTemplate(inputSize: 4, hiddenSize: 5, seed: 1).render()
        let b = try SpecTemplate(inputSize: 4, hiddenSize: 5, seed: 1).render()
        let c = try SpecTemplate(inputSize: 4, hiddenSize: 5, seed: 2).render()
        #expect(a == b)
        #expect(a != c)
        guard let p = try Fixtures.spec(json: a).problem(as: LSTMCell.self) else { Issue.record("not lstm"); return }
        let params = p.cell.parameters
        let all = params.blockNames.flatMap { params[block: $0] }
        #expect(all.count == 4 * (5 * 4 + 5 * 5 + 5))
        #expect(all.allSatisfy { abs($0) <= 0.1 && ($0 * 10_000).rounded() == ($0 * 10_000) || abs(($0 * 10_000).rounded() - $0 * 10_000) < 1e-6 })
        #expect(Set(all).count > all.count / 2, "the draws are spread out")
        // Roughly centred: the mean of 180 draws from U(−0.1, 0.1) is well within ±0.03.
        #expect(abs(all.reduce(0, +) / Double(all.count)) < 0.03)
    }

    /// The documented init, checked against an independent implementation: SplitMix64 seeded
    /// with 1, u = (next >> 11)·2⁻⁵³, x = round(10⁴·0.1·(2u − 1))/10⁴, computed in Python:
    /// 0.0133, 0.0492, 0.0942, -0.0111 are the first four draws, i.e. W_a for X = H = 2.
    @Test func seedOneMatchesAnIndependentSplitMix64() throws {
        let text = try SpecTemplate(inputSize: 2, hiddenSize: 2, seed: 1).render()
        #expect(text.contains("\"a\": [[0.0133, 0.0492], [0.0942, -0.0111]]"))
    }

    /// Every layout init writes holds the same network: the same gradients as per-gate.
    @Test func everyLayoutIsTheSameNetwork() throws {
        let reference = try Fixtures.spec(json: try SpecTemplate(inputSize: 3, hiddenSize: 2, head: .linear, seed: 5).render()).report()
        let layouts = try #require(SpecTemplate.models.first { $0.name == "lstm" }).layouts
        #expect(layouts.count >= 6)
        // The peephole layout is another cell (the LSTM with p_i, p_f, p_o), not another spelling.
        for layout in layouts where layout != "peephole" {
            let text = try SpecTemplate(layout: layout, inputSize: 3, hiddenSize: 2, head: .linear, seed: 5).render()
            let report = try Fixtures.spec(json: text, name: layout).report()
            for key in ["dW.a", "dU.f", "db.o", "dV", "loss"] {
                let a = try #require(reference.uniqueQuantities.first { $0.key == key }).value.numbers
                let b = try #require(report.uniqueQuantities.first { $0.key == key }, "\(layout) \(key)").value.numbers
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 * max(1, abs($0)) }, "\(layout) \(key)")
            }
        }
    }

    @Test func shapesFollowTheSizes() throws {
        let text = try SpecTemplate(inputSize: 3, hiddenSize: 4, steps: 5, head: .linear, outputs: 2).render()
        guard let p = try Fixtures.spec(json: text).problem(as: LSTMCell.self) else { Issue.record("not lstm"); return }
        #expect(p.inputs.count == 5)
        #expect(p.inputs[0].count == 3)
        #expect(p.cell.parameters.W.f.rows == 4 && p.cell.parameters.W.f.cols == 3)
        #expect(p.head.parameters?.V.rows == 2 && p.head.parameters?.V.cols == 4)
    }

    @Test(arguments: [
        (SpecTemplate(head: .linear, loss: "ce"), "the ce loss needs --head softmax"),
        (SpecTemplate(head: .none, loss: "bce"), "the bce loss needs --head sigmoid"),
        (SpecTemplate(head: .softmax, outputs: 1), "a softmax head needs at least 2 outputs (--outputs K)"),
        (SpecTemplate(model: "lstm", layout: "stackd"), "the lstm model has no layout 'stackd'; init writes per-gate, seed000, concatenated, stacked, pytorch, keras, peephole"),
    ])
    func impossibleTemplatesSayWhy(_ template: SpecTemplate, _ message: String) {
        #expect(throws: SpecTemplate.Failure(message: message)) { try template.render() }
    }
}
