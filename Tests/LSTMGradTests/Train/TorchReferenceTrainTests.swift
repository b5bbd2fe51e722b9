import LSTMGrad
import Testing

/// PyTorch's own autograd and torch.optim (float64) against lstm-grad, to 1e−9 relative:
/// `fixtures/torch/train-cases.json`, written once by `scripts/torch-reference-train.py`
/// (randomized nn.LSTM in both layouts, nn.GRU, nn.RNN tanh and relu; every loss in both
/// reductions; every optimizer over 5 steps with and without clipping, some with frozen
/// tensors). Per case: the gradients before the first step, the loss before training and
/// after each step, the parameters after the last step and the optimizer's state after it.
@Suite struct TorchReferenceTrainTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var spec: String
        var steps: Int
        var expected: [(key: String, numbers: [Double])]
        var testDescription: String { name }
    }

    static let cases = load("torch/train-cases.json")

    /// The cases of a reference file written by a `scripts/torch-reference-*train.py`.
    static func load(_ file: String) -> [Case] {
        guard let bytes = try? InputFile.read(Fixtures.path(file)),
              let root = try? JSONParser.parse(bytes),
              let items = JSONOutput.member(root, ["cases"])?.array else { return [] }
        return items.map { item in
            Case(name: JSONOutput.member(item, ["name"])?.string ?? "?",
                 spec: JSONOutput.member(item, ["spec"])?.string ?? "",
                 steps: Int(JSONOutput.member(item, ["steps"])?.number ?? 0),
                 expected: (JSONOutput.member(item, ["expected"])?.members ?? []).map { ($0.key, JSONOutput.flatten($0.value)) })
        }
    }

    /// |a − b| ≤ 1e−9·max(|a|, |b|), with an absolute floor of 1e−15 for entries that are zero
    /// in torch's arithmetic and a rounding error in ours.
    static func agree(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-6) }

    @Test func theReferenceCoversEveryLossOptimizerAndCell() {
        #expect(Self.cases.count >= 100, "fixtures/torch/train-cases.json: \(Self.cases.count) cases")
        let names = Self.cases.map(\.name)
        for part in ["lstm-pytorch", "lstm-per-gate", "gru", "rnn-tanh", "rnn-relu", "-mse-", "-l1-", "-huber-", "-smooth_l1-",
                     "-bce_with_logits-", "-cross_entropy-classes-", "-cross_entropy-probs-", "-mean-", "-sum-",
                     "-sgd", "-adagrad", "-rmsprop", "-adam", "-adamw", "-clip-norm", "-clip-value", "-frozen"] {
            #expect(names.contains { $0.contains(part) }, "no case with \(part)")
        }
    }

    /// torch's state of a canonical block (`exp_avg.W.a@l1.reverse`, as the cases written
    /// before each state-dict tensor was trained apart name it), read from the state-dict
    /// tensor lstm-grad names it by (`exp_avg.weight_ih_l1_reverse`): the gate's rows in
    /// PyTorch's order; a bias stored twice reads bias_ih's state (without a weight decay both
    /// copies have the same).
    static func stateOfBlock(_ key: String, in report: Report, spec: String) -> [Double]? {
        guard let dot = key.firstIndex(of: "."), OptimizerState.Buffer(rawValue: String(key[..<dot])) != nil else { return nil }
        let buffer = key[..<dot]
        var block = String(key[key.index(after: dot)...]), layer = 0, reverse = false
        if let at = block.firstIndex(of: "@") {
            var place = block[block.index(after: at)...].dropFirst()  // "l"
            if place.hasSuffix(".reverse") { reverse = true; place = place.dropLast(".reverse".count) }
            layer = Int(place) ?? 0
            block = String(block[..<at])
        }
        let parts = block.split(separator: ".").map(String.init)
        let model = ["gru", "rnn"].first { spec.contains("\"model\": \"\($0)\"") } ?? "lstm"
        let order = model == "gru" ? ["r", "z", "n"] : ["i", "f", "a", "o"]
        let tensors = model == "rnn" ? ["W": "weight_hh", "U": "weight_ih", "b": "bias_ih"]
                                     : ["W": "weight_ih", "U": "weight_hh", "b": "bias_ih", "bh": "bias_hh"]
        guard let tensor = tensors[parts[0]],
              let q = report.quantity("\(buffer).\(tensor)_l\(layer)" + (reverse ? "_reverse" : "")) else { return nil }
        let numbers = q.value.numbers
        guard parts.count == 2, let k = order.firstIndex(of: parts[1]) else { return model == "rnn" ? numbers : nil }
        let share = numbers.count / order.count
        return Array(numbers[(k * share)..<((k + 1) * share)])
    }

    @Test(arguments: cases)
    func agreesWithPyTorch(_ c: Case) throws { try Self.compare(c) }

    /// The cases with a weight decay on nn.LSTM and nn.RNN state dicts (each bias copy decays
    /// by its own value), every optimizer with and without clipping: their worst relative error.
    @Test func weightDecayOnStateDictBiases() throws {
        try Self.expectDecayCases(Self.cases, models: ["lstm-pytorch", "rnn-tanh-pytorch", "rnn-relu-pytorch"], file: "train-cases.json")
    }

    static func expectDecayCases(_ cases: [Case], models: [String], file: String) throws {
        let decay = cases.filter { $0.name.hasSuffix("-decay") }
        for model in models {
            for optimizer in ["-sgd-", "-adagrad-", "-rmsprop-", "-adam-", "-adamw-"] {
                let some = decay.filter { $0.name.hasPrefix(model) && $0.name.contains(optimizer) }
                #expect(some.contains { $0.name.contains("-clip-") } && some.contains { !$0.name.contains("-clip-") }, "\(model)\(optimizer)")
            }
        }
        #expect(decay.contains { $0.spec.contains("\"adamw\"") && !$0.spec.contains("weight_decay") }, "AdamW at its default weight_decay")
        var worst = 0.0
        for c in decay {
            // Each bias copy and its state apart, under the state dict's names.
            #expect(c.expected.contains { $0.key.hasPrefix("bias_hh_l0") } && c.expected.contains { $0.key.hasSuffix(".bias_ih_l0") }, "\(c.name)")
            worst = max(worst, try compare(c))
        }
        print("note: \(file): \(decay.count) weight-decay cases on state dicts agree with PyTorch; worst relative error \(worst)")
    }

    /// The gradients of one pass and the training's losses, parameters and optimizer state
    /// against torch's, every number; returns the worst relative error.
    @discardableResult
    static func compare(_ c: Case) throws -> Double {
        let spec = try Fixtures.spec(json: c.spec, name: c.name + ".json")
        let gradients = try spec.report()
        let trained = try spec.trainingReport(steps: c.steps, lastReport: false)
        var compared = 0, worst = 0.0
        for (key, numbers) in c.expected {
            let report = key.hasPrefix("d") ? gradients : trained
            // Cases by the state dict's names find every key as printed.
            let ours = try #require(report.quantity(key)?.value.numbers ?? (c.name.hasSuffix("-decay") ? nil : stateOfBlock(key, in: report, spec: c.spec)),
                                    "\(c.name): lstm-grad prints no \(key)")
            #expect(ours.count == numbers.count, "\(c.name): \(key) has \(ours.count) numbers, torch \(numbers.count)")
            for (a, b) in zip(ours, numbers) { worst = max(worst, abs(a - b) / max(abs(a), abs(b), 1e-6)) }
            for (a, b) in zip(ours, numbers) where !agree(a, b) {
                Issue.record("\(c.name): \(key): lstm-grad \(ours), torch \(numbers); relative error \(relativeError(a, b)) > 1e-9")
                break
            }
            compared += numbers.count
        }
        #expect(compared > 0)
        return worst
    }
}
