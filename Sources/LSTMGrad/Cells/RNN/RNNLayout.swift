/// How a spec wrote the RNN's weights when not as the sheet's W, U, b: PyTorch's `nn.RNN`
/// state dict (`weight_ih_l0` = U, H×X; `weight_hh_l0` = W, H×H; `bias_ih_l0` and `bias_hh_l0`,
/// whose sum is the sheet's b). Decoding converts to `RNNParameters`; the report and
/// `--write-updated` convert back here.
public enum RNNLayout: ParameterLayout, Equatable {
    /// The two biases as the spec gave them (nil: `bias=False`, no bias at all).
    case pytorch(biasIH: Vector?, biasHH: Vector?)

    public var name: String { "pytorch" }

    public func blocks(_ p: RNNParameters) -> [(name: String, value: Value)] {
        var out: [(name: String, value: Value)] = [(StateDictKey(.weightIH).name, .matrix(p.U)), (StateDictKey(.weightHH).name, .matrix(p.W))]
        // Both biases receive the gradient of their sum b.
        if let b = p.b { out += [(StateDictKey(.biasIH).name, .vector(b)), (StateDictKey(.biasHH).name, .vector(b))] }
        return out
    }

    /// The state dict trains its own tensors, each bias copy apart.
    public var trainsTensors: Bool { true }

    /// The two bias copies (b = bias_ih_l0 + bias_hh_l0), as given or as trained.
    public var copies: [String: Value] {
        guard case .pytorch(let bih?, let bhh?) = self else { return [:] }
        return [StateDictKey(.biasIH).name: .vector(bih), StateDictKey(.biasHH).name: .vector(bhh)]
    }

    /// b = bias_ih_l0 + bias_hh_l0.
    public func summingCopies(into p: RNNParameters) -> RNNParameters {
        guard case .pytorch(let bih?, let bhh?) = self else { return p }
        var out = p
        out.b = bih + bhh
        return out
    }

    public func holding(_ copies: [String: Value]) -> RNNLayout {
        guard case .pytorch(let bih?, let bhh?) = self else { return self }
        return .pytorch(biasIH: copies[StateDictKey(.biasIH).name]?.vector ?? bih, biasHH: copies[StateDictKey(.biasHH).name]?.vector ?? bhh)
    }

    public var update: UpdateRule { UpdateRule(doubled: [.b]) }

    public func note(learningRate: Double) -> String? {
        "PyTorch layout: weight_ih_l0 = U, weight_hh_l0 = W, b = bias_ih_l0 + bias_hh_l0; both biases receive the same gradient δb, so one SGD step moves the effective bias by 2·λ·δb (λ = \(shortest(learningRate)))."
    }
}
