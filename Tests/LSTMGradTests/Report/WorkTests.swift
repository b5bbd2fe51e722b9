import LSTMGrad
import Testing

/// The equations attached to quantities: each evaluates, from its operands' values in the
/// report, to the value printed (for large LSTMs the fast kernel computed it: two
/// implementations agree), and the hand-rounded replay reproduces the published example's
/// rounding drifts.
@Suite struct WorkTests {
    static let specs: [String] = Fixtures.goldenNames().map { "fixtures/" + $0 } + ShowWorkTests.headSpecs.keys.sorted()

    func spec(_ name: String) throws -> Spec {
        if let json = ShowWorkTests.headSpecs[name] { return try Fixtures.spec(json: json, name: name) }
        return try Fixtures.spec(String(name.dropFirst("fixtures/".count)))
    }

    @Test(arguments: specs)
    func everyEquationEvaluatesToItsQuantity(_ name: String) throws {
        let spec = try spec(name)
        let report = try spec.report(work: true)
        var withWork = 0
        for q in report.uniqueQuantities {
            guard let r = try q.evaluated(in: report)?.numbers else { continue }
            withWork += 1
            #expect(r.count == q.value.numbers.count, "\(name): \(q.key)")
            for (a, b) in zip(r, q.value.numbers) {
                #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(name): \(q.key): equation gives \(a), cell computed \(b)")
            }
        }
        #expect(withWork > 20, "\(name): only \(withWork) quantities carry their work")
    }

    @Test func truncatedGradientEquations() throws {
        let report = try Fixtures.spec("gomez.json").report(options: BackwardOptions(recurrentTerms: false), work: true)
        var withWork = 0
        for q in report.uniqueQuantities {
            guard let r = try q.evaluated(in: report) else { continue }
            withWork += 1
            for (a, b) in zip(r.numbers, q.value.numbers) {
                #expect(abs(a - b) <= 1e-12 * max(1, abs(b)), "\(q.key): equation gives \(a), cell computed \(b)")
            }
        }
        #expect(report.quantity("Delta_out_dropped[0]")?.equation != nil)
        #expect(withWork > 40)
    }

    @Test func plainRunsCarryNoWork() throws {
        let spec = try Fixtures.spec("gomez.json")
        #expect(try spec.report().uniqueQuantities.allSatisfy { $0.equation == nil })
        #expect(try spec.report(work: true).quantity("a[0]")?.equation != nil)
    }

    @Test func replayWithoutRoundingIsTheExactPass() throws {
        let report = try Fixtures.spec("gomez.json").report(work: true)
        var raw: [QuantityName: Value] = [:]
        let values = report.replay(finish: { $0 }, raw: &raw)
        for q in report.uniqueQuantities where q.equation != nil {
            let v = try #require(values[q.name])
            for (a, b) in zip(v.numbers, q.value.numbers) { #expect(abs(a - b) <= 1e-12, "\(q.key)") }
        }
    }

    @Test func handRoundingReproducesThePublishedDrifts() throws {
        let rounded = try Fixtures.spec("gomez.json").report(work: true).handRounded(decimals: 5)
        // PublishedExampleTests.roundingDrifts: δW_i[1] and δW_o[1] follow from the rounded δgates.
        let dWi = try #require(rounded[name("dW.i")]).numbers[1]
        let dWo = try #require(rounded[name("dW.o")]).numbers[1]
        #expect(abs(dWi - (-0.00165 * 2 + -0.00112 * 3)) < 1e-12, "\(dWi)")
        #expect(abs(dWo - (0.00176 * 2 + -0.05538 * 3)) < 1e-12, "\(dWo)")
        #expect(Value.scalar(-0.003155).rounded(decimals: 5).numbers == [-0.00316])
        #expect(Value.scalar(-0.003155).rounded(decimals: 5, truncating: true).numbers == [-0.00315])
    }
}
