/// A key of a PyTorch recurrent module's state dict (`nn.LSTM`, `nn.GRU`, `nn.RNN`):
/// `weight_ih_l1`, `bias_hh_l0_reverse`. Parsed and printed in this one place.
struct StateDictKey: Hashable {
    enum Block: String, CaseIterable {
        case weightIH = "weight_ih", weightHH = "weight_hh", biasIH = "bias_ih", biasHH = "bias_hh"
    }

    var block: Block
    var layer: Int
    var reverse: Bool

    init(block: Block, layer: Int, reverse: Bool) {
        self.block = block
        self.layer = layer
        self.reverse = reverse
    }

    /// Reads `weight_ih_l0`, `bias_hh_l2_reverse`; nil for anything else.
    init?(_ name: String) {
        var rest = Substring(name)
        var reverse = false
        if rest.hasSuffix("_reverse") {
            reverse = true
            rest = rest.dropLast("_reverse".count)
        }
        guard let block = Block.allCases.first(where: { rest.hasPrefix($0.rawValue + "_l") }) else { return nil }
        let digits = rest.dropFirst(block.rawValue.count + 2)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits == "0" || digits.first != "0",
              let layer = Int(digits) else { return nil }
        self.init(block: block, layer: layer, reverse: reverse)
    }

    /// The key as PyTorch spells it.
    var name: String { "\(block.rawValue)_l\(layer)" + (reverse ? "_reverse" : "") }
}
