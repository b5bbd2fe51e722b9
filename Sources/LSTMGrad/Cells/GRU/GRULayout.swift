/// How a spec wrote the GRU's weights when not per gate: PyTorch's `nn.GRU` state dict
/// (`weight_ih_l0` = [W_r; W_z; W_n], 3H×X; `weight_hh_l0` = [U_r; U_z; U_n], 3H×H; `bias_ih_l0`
/// = [b_r; b_z; b_n]; `bias_hh_l0` = [bh_r; bh_z; bh_n]). The GRU keeps both biases as its own
/// blocks, so each is updated by its own gradient, as torch.optim does.
public enum GRULayout: ParameterLayout, Equatable {
    case pytorch

    public var name: String { "pytorch" }

    static let order = GRUGate.allCases

    public func blocks(_ p: GRUParameters) -> [(name: String, value: Value)] {
        StateDictKey.keys().map { key in
            switch key.block {
            case .weightIH: return (key.name, .matrix(p.weightIH))
            case .weightHH: return (key.name, .matrix(p.weightHH))
            case .biasIH: return (key.name, .vector(p.biasIH))
            case .biasHH: return (key.name, .vector(p.biasHH))
            }
        }
    }

    /// The state dict trains its own tensors (each with its optimizer state under its name).
    public var trainsTensors: Bool { true }

    /// The cell's own report already gives PyTorch's stacked gradients (with their equations).
    public var showsGradients: Bool { false }

    public func note(learningRate: Double) -> String? {
        "PyTorch layout: weight_ih_l0 = [W_r; W_z; W_n], weight_hh_l0 = [U_r; U_z; U_n], bias_ih_l0 = [b_r; b_z; b_n], bias_hh_l0 = [bh_r; bh_z; bh_n]."
    }
}
