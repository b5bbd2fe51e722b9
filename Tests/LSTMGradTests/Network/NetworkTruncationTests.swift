@testable import LSTMGrad
import Testing

/// `run --no-recurrent-terms` on a network: within each layer's and direction's own recurrence
/// the terms from its next step are dropped, while Δ_t from the layer above (δx_t) still flows.
@Suite struct NetworkTruncationTests {
    static let cases = listDirectory(Fixtures.root + "/fixtures/torch-net-truncated").filter { $0.hasSuffix(".json") && !$0.hasSuffix(".expected.json") }.sorted()

    /// The truncated gradients agree with torch.autograd on the same network with every step's
    /// recurrent inputs detached (`scripts/torch-reference-net-truncated.py`), to 1e−9 relative.
    @Test(arguments: cases)
    func agreesWithDetachedRecurrence(_ name: String) throws {
        try NetworkReferenceTests.compare(["run", "fixtures/torch-net-truncated/" + name, "--no-recurrent-terms", "--format", "json"],
                                          expected: "torch-net-truncated/" + String(name.dropLast(5)) + ".expected.json")
    }

    /// The report states the truncation, and prints the full gradient (with its own values, the
    /// ones `run` prints) and the distance after it.
    @Test func reportComparesWithTheFullGradient() throws {
        let spec = "fixtures/torch-net-truncated/gru-2l-bi-b2.json"
        let truncated = try CLIRunner.run(["run", spec, "--no-recurrent-terms", "--format", "json"])
        let full = try JSONOutput.quantityTable(try CLIRunner.run(["run", spec, "--format", "json"]).stdout)
        let t = try JSONOutput.quantityTable(truncated.stdout)
        #expect(truncated.status == 0)
        for block in ["dW.r@l0", "dU.n@l1.reverse", "dV"] {
            #expect(t["full." + block] == full[block], "\(block)")
        }
        // The head has no recurrence: its gradient is the full one; the cells' are not.
        #expect(t["dV"] == full["dV"] && t["dU.n@l0.reverse"] != full["dU.n@l0.reverse"] && t["dW.z@l1"] != full["dW.z@l1"])
        let text = try CLIRunner.run(["run", spec, "--no-recurrent-terms"])
        #expect(text.stdout.contains("truncated gradient (--no-recurrent-terms): in each layer and direction, the terms from its own next step are dropped (Δh from t+1 forward, from t−1 reverse); Δ_t from the layer above (its δx_t) still flows; the full gradient is printed after it"))
        #expect(text.stdout.contains("Full gradient (with the recurrent terms) and its distance from the truncated one"))
    }

    /// The fixture `name` (one cell) as a network of one layer, one direction and one sequence.
    static func batchOfOne(_ name: String) throws -> String {
        // The spec with its inputs and labels (one line each) as a batch of one, [[…]], and
        // its initial states as PyTorch's h0/c0, layers·directions × B × H = 1 × 1 × H.
        let text = try String(decoding: InputFile.read(Fixtures.path(name)), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { sub -> String in
            let line = String(sub)
            for key in ["inputs", "labels"] where line.hasPrefix("  \"\(key)\": ") {
                let value = String(line.dropFirst(key.count + 6).dropLast(line.hasSuffix(",") ? 1 : 0))
                return "  \"\(key)\": [" + value + "]" + (line.hasSuffix(",") ? "," : "")
            }
            if line.hasPrefix("  \"initial\": ") {
                return line.replacingOccurrences(of: ": [", with: ": [[[").replacingOccurrences(of: "]", with: "]]]")
            }
            return line
        }
        return lines.joined(separator: "\n")
    }

    /// A network of one layer, one direction and one sequence (inputs written B×T×X with B = 1)
    /// gives exactly the one cell's truncated values, number for number.
    @Test(arguments: ["pytorch-layout.json", "lstm-h2-x3-t4.json", "gru-pytorch.json", "seed004-rnn.json"])
    func batchOfOneIsTheCell(_ name: String) throws {
        let cell = try Fixtures.spec(name)
        #expect(!cell.isNetwork)
        let network = try Fixtures.spec(json: try Self.batchOfOne(name), name: "batch-of-one.json")
        #expect(network.isNetwork)
        let options = BackwardOptions(recurrentTerms: false)
        let one = try cell.report(options: options), net = try network.report(options: options)
        var table: [QuantityName: [Double]] = [:]
        for q in net.sections.flatMap({ $0.quantities }) { table[q.name] = q.value.numbers }
        var compared = 0
        for q in one.sections.flatMap({ $0.quantities }) where AnswerCheck.isGradient(q.name) || q.name.updated {
            let placed = q.name.placed(layer: 0, reverse: false, sequence: nil)
            // The one cell's extra views (the layout's stacked blocks) have no network twin.
            guard let n = table[placed] ?? table[q.name] else { continue }
            #expect(n == q.value.numbers, "\(name) \(q.name): network \(n), cell \(q.value.numbers)")
            compared += 1
        }
        // Every δ at every step, every gradient and every updated block.
        #expect(compared >= 20, "\(name): \(compared) compared")
    }
}
