/// A parameter name of PyTorch's recurrent modules (`nn.LSTM`, `nn.GRU`, `nn.RNN`):
/// `weight_ih_l0`, `weight_hh_l1`, `bias_ih_l0_reverse`, … — one block (input or recurrent
/// weights or bias), one layer, one direction. Every state-dict name is printed and parsed here.
public struct StateDictKey: Hashable, Sendable, CustomStringConvertible {
    public enum Block: String, CaseIterable, Sendable {
        case weightIH = "weight_ih", weightHH = "weight_hh", biasIH = "bias_ih", biasHH = "bias_hh"

        /// Whether the block is a matrix (a weight) rather than a vector (a bias).
        public var isWeight: Bool { self == .weightIH || self == .weightHH }
    }

    public var block: Block
    /// 0 for the first layer.
    public var layer: Int
    /// The backward direction of a bidirectional module (`_reverse`).
    public var reverse: Bool

    public init(_ block: Block, layer: Int = 0, reverse: Bool = false) {
        self.block = block
        self.layer = layer
        self.reverse = reverse
    }

    /// Parses `weight_ih_l0`, `bias_hh_l2_reverse`; nil for any other name (a layer written
    /// with a leading zero, `l01`, is not PyTorch's and is refused).
    public init?(_ name: String) {
        var rest = Substring(name)
        guard let block = Block.allCases.first(where: { rest.hasPrefix($0.rawValue + "_l") }) else { return nil }
        rest = rest.dropFirst(block.rawValue.count + 2)
        var reverse = false
        if rest.hasSuffix("_reverse") {
            reverse = true
            rest = rest.dropLast("_reverse".count)
        }
        guard !rest.isEmpty, rest.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), rest == "0" || rest.first != "0",
              rest.count <= 9, let layer = Int(rest) else { return nil }
        self.init(block, layer: layer, reverse: reverse)
    }

    /// The name as PyTorch writes it.
    public var name: String { "\(block.rawValue)_l\(layer)" + (reverse ? "_reverse" : "") }

    public var description: String { name }

    /// The four keys of one layer and direction, in PyTorch's order.
    public static func keys(layer: Int = 0, reverse: Bool = false) -> [StateDictKey] {
        Block.allCases.map { StateDictKey($0, layer: layer, reverse: reverse) }
    }
}
