/// The GRU's gates in PyTorch's order: reset r, update z, candidate n.
public enum GRUGate: String, CaseIterable, Sendable {
    case r, z, n
}

/// Which state the update gate z keeps.
public enum GRUConvention: String, CaseIterable, Sendable {
    /// PyTorch `nn.GRU` (and Cho et al.): h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}.
    case pytorch
    /// The other common form: h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}.
    case zNew = "z_new"

    public var formula: String {
        switch self {
        case .pytorch: return "h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}"
        case .zNew: return "h_t = z_t ⊙ n_t + (1 − z_t) ⊙ h_{t−1}"
        }
    }
}

/// One value per GRU gate, stored apart.
public struct GRUGates<T: Sendable>: Sendable {
    public var r: T, z: T, n: T

    public init(r: T, z: T, n: T) {
        self.r = r
        self.z = z
        self.n = n
    }

    public init(_ make: (GRUGate) -> T) { self.init(r: make(.r), z: make(.z), n: make(.n)) }

    public subscript(gate: GRUGate) -> T {
        get {
            switch gate {
            case .r: return r
            case .z: return z
            case .n: return n
            }
        }
        set {
            switch gate {
            case .r: r = newValue
            case .z: z = newValue
            case .n: n = newValue
            }
        }
    }

    public func map<U>(_ body: (T) -> U) -> GRUGates<U> { GRUGates<U> { body(self[$0]) } }
}

extension GRUGates: Equatable where T: Equatable {}
