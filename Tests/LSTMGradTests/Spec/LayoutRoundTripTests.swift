@testable import LSTMGrad
import Testing

/// Every layout in, the same layout out, for every cell: `init --model M --layout L` writes a
/// spec that runs; `run --write-updated` writes it back in the same layout, with exactly the
/// updated values the report printed under the layout's own names (`weight_ih_l0'` …), and
/// the written spec, run again, starts where one SGD step ended (its loss is `--steps 1`'s).
@Suite struct LayoutRoundTripTests {
    static let pairs: [(model: String, layout: String)] = SpecTemplate.models.flatMap { m in m.layouts.map { (m.name, $0) } }

    @Test func everyModelHasAStateDictLayout() {
        for model in ["lstm", "gru", "rnn"] {
            #expect(Self.pairs.contains { $0 == (model, "pytorch") }, "init --model \(model) --layout pytorch")
        }
    }

    @Test(arguments: Self.pairs.map { "\($0.model) \($0.layout)" })
    func writtenSpecRerunsFromThePrintedUpdate(_ pair: String) throws {
        let parts = pair.split(separator: " ").map(String.init)
        try withTemporaryDirectory { dir in try roundTrip(model: parts[0], layout: parts[1], in: dir) }
    }

    func roundTrip(model: String, layout: String, in dir: String) throws {
        let spec = dir + "/spec.json", written = dir + "/updated.json"
        let made = try CLIRunner.run(["init", "--model", model, "--layout", layout, "--seed", "11", "--head", "linear", "--outputs", "2",
                                      "-o", spec])
        #expect(made.status == 0, "init --model \(model) --layout \(layout): \(made.stderr)")
        let run = try CLIRunner.run(["run", spec, "--write-updated", written, "--format", "json"])
        #expect(run.status == 0, "\(model) \(layout): \(run.stderr)")
        let printed = try JSONOutput.quantityTable(run.stdout)

        // The written weights keep the spec's members, in its layout, and each numeric block
        // the report printed under that name holds exactly the printed numbers.
        let before = try JSONParser.parse(try InputFile.read(spec))
        let after = try JSONParser.parse(try InputFile.read(written))
        let keysBefore = try #require(JSONOutput.member(before, ["weights"])?.members).map(\.key)
        let keysAfter = try #require(JSONOutput.member(after, ["weights"])?.members).map(\.key)
        // (A block the spec left out but the cell learns, as the GRU's bh, is appended.)
        #expect(Array(keysAfter.prefix(keysBefore.count)) == keysBefore, "\(model) \(layout): weights members \(keysBefore) became \(keysAfter)")
        var compared = 0
        for (name, numbers) in numericMembers(try #require(JSONOutput.member(after, ["weights"])), prefix: "") {
            guard let shown = printed[name + "'"] else { continue }
            #expect(shown == numbers, "\(model) \(layout): written \(name) \(numbers), printed \(name)' \(shown)")
            compared += 1
        }
        #expect(compared > 0, "\(model) \(layout): no written block found among the printed updates \(printed.keys.filter { $0.hasSuffix("'") }.sorted())")

        // Run again: the loss after one step.
        let step = try CLIRunner.run(["run", spec, "--steps", "1", "--format", "json"])
        let expected = try #require(try JSONOutput.quantityTable(step.stdout)["loss_step[1]"]?.first)
        let rerun = try CLIRunner.run(["run", written, "--format", "json"])
        #expect(rerun.status == 0, "\(model) \(layout): \(rerun.stderr)")
        let loss = try #require(try JSONOutput.quantityTable(rerun.stdout)["loss"]?.first)
        #expect(relativeError(loss, expected) <= 1e-12, "\(model) \(layout): rerun loss \(loss), after one step \(expected)")
    }

    /// Every member holding numbers, by its dotted name (`W.a`, `weight_ih_l0`).
    func numericMembers(_ node: JSONNode, prefix: String) -> [(String, [Double])] {
        guard let members = node.members else {
            let numbers = JSONOutput.flatten(node)
            return numbers.isEmpty ? [] : [(prefix, numbers)]
        }
        return members.flatMap { numericMembers($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
    }
}

/// PyTorch's parameter names, printed and parsed in one place.
@Suite struct StateDictKeyTests {
    @Test func parsesEveryBlockLayerAndDirection() throws {
        let k = try #require(StateDictKey("bias_hh_l1_reverse"))
        #expect(k.block == .biasHH && k.layer == 1 && k.reverse)
        #expect(StateDictKey("weight_ih_l0") == StateDictKey(.weightIH))
        #expect(StateDictKey("weight_hh_l12")?.layer == 12)
        for block in StateDictKey.Block.allCases {
            for layer in [0, 1, 7] {
                for reverse in [false, true] {
                    let key = StateDictKey(block, layer: layer, reverse: reverse)
                    #expect(StateDictKey(key.name) == key, "\(key.name)")
                }
            }
        }
        #expect(StateDictKey.keys().map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
    }

    @Test(arguments: ["weight_ih", "weight_ih_l", "weight_ih_l01", "weight_ih_lx", "weight_xx_l0", "bias_ih_l0_reversed",
                      "weight_ih_l0reverse", "W", "weight_ih_l-1", "lstm.weight_ih_l0", "weight_ih_l99999999999"])
    func refusesOtherNames(_ name: String) {
        #expect(StateDictKey(name) == nil, "\(name)")
    }
}
