import LSTMGrad
import Testing

/// PyTorch's autograd and torch.optim (float64) against lstm-grad for networks, to 1e−9
/// relative: `fixtures/torch/net-train-cases.json`, written once by
/// `scripts/torch-reference-net-train.py` (randomized nn.LSTM, nn.GRU, nn.RNN tanh and relu
/// state dicts with 1–3 layers, one or two directions, B = 1–4 and a linear head; every loss in
/// both reductions; every optimizer over 5 steps with and without clipping over
/// model.parameters(), some with a frozen tensor). Per case: the gradients before the first
/// step, the loss before training and after each step, the parameters after the last step and
/// the optimizer's state after it, by their names at their place.
@Suite struct NetworkTorchReferenceTrainTests {
    static let cases = TorchReferenceTrainTests.load("torch/net-train-cases.json")

    @Test func theReferenceCoversEveryLossOptimizerCellAndShape() {
        #expect(Self.cases.count >= 75, "fixtures/torch/net-train-cases.json: \(Self.cases.count) cases")
        let names = Self.cases.map(\.name)
        for part in ["lstm-", "gru-", "rnn-tanh", "rnn-relu", "-L1-", "-L2-", "-L3-", "-D1-", "-D2-", "-B1-", "-B4-",
                     "-mse-", "-l1-", "-huber-", "-smooth_l1-", "-bce_with_logits-", "-cross_entropy-classes-", "-cross_entropy-probs-",
                     "-mean-", "-sum-", "-sgd", "-adagrad", "-rmsprop", "-adam", "-adamw", "-clip-norm", "-clip-value", "-frozen"] {
            #expect(names.contains { $0.contains(part) }, "no case with \(part)")
        }
        #expect(Self.cases.contains { $0.spec.contains("\"nesterov\": true") } && Self.cases.contains { $0.spec.contains("\"amsgrad\": true") })
    }

    @Test(arguments: cases)
    func agreesWithPyTorch(_ c: TorchReferenceTrainTests.Case) throws { try TorchReferenceTrainTests.compare(c) }

    /// nn.LSTM, nn.RNN (and nn.GRU) state dicts with a weight decay, each bias copy decaying by
    /// its own value, every optimizer with and without clipping.
    @Test func weightDecayOnStateDictBiases() throws {
        try TorchReferenceTrainTests.expectDecayCases(Self.cases, models: ["lstm-", "rnn-tanh-", "rnn-relu-"], file: "net-train-cases.json")
    }
}
