/// A block of the spec's weight layout that is exactly one canonical parameter block, in the
/// layout's spelling: the univariate sheet's `Wh.i` is `U.i`, its `W0.c` is `b.a`. (A stacked
/// `W` or PyTorch's `bias_ih_l0` mixes several blocks and is none.) `check` suggests the
/// canonical names for these spellings (`dWh.i` → `dU.i`).
public struct LayoutBlockName: Sendable, Equatable {
    public var spelling: String
    public var block: QuantityName

    public init(spelling: String, block: QuantityName) {
        self.spelling = spelling
        self.block = block
    }
}

extension ParameterLayout {
    /// The layout's blocks that are one canonical block each, found by converting a probe: a
    /// copy of `parameters` with block k filled with the number k + 1, so a layout block that
    /// holds only the number k + 1, as many times as block k has entries, is block k.
    public func blockNames(of parameters: Parameters) -> [LayoutBlockName] {
        let names = parameters.blockNames
        return blocks(parameters.probe).compactMap { spelling, value in
            let numbers = value.numbers
            guard let first = numbers.first, numbers.allSatisfy({ $0 == first }),
                  let k = Int(exactly: first), k >= 1, k <= names.count,
                  parameters[block: names[k - 1]].count == numbers.count else { return nil }
            return LayoutBlockName(spelling: spelling, block: names[k - 1])
        }
    }

    /// Every tensor of the layout with the canonical blocks it holds (any share of them):
    /// `weight_hh_l0` holds U.a, U.i, U.f, U.o; the concatenated `Wz.f` holds W.f and U.f.
    public func tensors(of parameters: Parameters) -> [(name: String, blocks: Set<QuantityName>)] {
        let names = parameters.blockNames
        return blocks(parameters.probe).map { spelling, value in
            // Which blocks appear, marked once per block (a tensor holds millions of numbers).
            var seen = [Bool](repeating: false, count: names.count)
            for x in value.numbers { if let k = Int(exactly: x), k >= 1, k <= names.count { seen[k - 1] = true } }
            return (spelling, Set(names.indices.filter { seen[$0] }.map { names[$0] }))
        }
    }
}

extension ParameterSet {
    /// A copy with block k filled with the number k + 1: after a layout's conversion, each
    /// number says which block it came from.
    var probe: Self {
        var p = self
        for (k, name) in blockNames.enumerated() {
            p[block: name] = Array(repeating: Double(k + 1), count: self[block: name].count)
        }
        return p
    }
}
