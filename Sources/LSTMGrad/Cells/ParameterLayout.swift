/// How a spec wrote a cell's parameters when not in the canonical blocks (PyTorch's state dict,
/// Keras, stacked, concatenated, the univariate sheet's names). Decoding converts the layout to
/// the canonical parameters; this converts back, for the report and `--write-updated`.
public protocol ParameterLayout<Parameters>: Sendable {
    associatedtype Parameters: ParameterSet
    /// The layout's name in the report (`pytorch`, `stacked (order a, i, f, o)`).
    var name: String { get }
    /// The spec's blocks of a parameter set (or of its gradients), in the spec's spelling and
    /// order.
    func blocks(_ p: Parameters) -> [(name: String, value: Value)]
    /// Parameters after updates, in the spec's layout; the copies as this layout holds them
    /// (the layout after the same update holds each copy after its own step).
    func updatedBlocks(_ updated: Parameters) -> [(name: String, value: Value)]
    /// A note the report prints for this layout, if any.
    func note(learningRate: Double) -> String?
    /// The blocks `--write-updated` and `init` write (by default the updated blocks).
    func writtenBlocks(_ p: Parameters) -> [(name: String, value: Value)]
    /// Members of the weights object that are not parameters (the gate order of a stacked
    /// layout), for a spec written from scratch.
    var writtenFields: [(String, String)] { get }
    /// Whether the report names the layout and gives its blocks (false where the cell's own
    /// report already gives them, as the GRU does for PyTorch's tensors).
    var isShownInReport: Bool { get }
    /// Whether the report adds the gradients in the layout's blocks (false where the cell's
    /// own report already gives them, as the GRU does for PyTorch's stacked tensors).
    var showsGradients: Bool { get }
    /// The update rule the layout implies for the canonical blocks.
    var update: UpdateRule { get }
    /// Whether an optimizer steps the layout's own tensors, each with its own state and named
    /// as the layout names it (PyTorch's state dicts: `exp_avg.weight_ih_l0`), rather than the
    /// canonical blocks.
    var trainsTensors: Bool { get }
    /// The tensors the layout keeps apart from the canonical blocks, by name: PyTorch's two
    /// bias copies, whose sum is the canonical bias (b = b_ih + b_hh). Each is trained as a
    /// tensor of its own (its own step, state and weight decay), so the copies may differ.
    var copies: [String: Value] { get }
    /// The same layout holding other values of its copies (after a step, or as written).
    func holding(_ copies: [String: Value]) -> Self
    /// `p` with the blocks the copies hold set to the copies' sum (b = b_ih + b_hh): how
    /// decoding forms the bias, and the bias after each copy's step.
    func summingCopies(into p: Parameters) -> Parameters
    /// False where the notation's own labels already are the layout's names (the univariate
    /// sheet's W^{xc} in colah's notation): the blocks are not printed twice.
    func showsBlocks(in notation: Notation) -> Bool
}

extension ParameterLayout {
    public func showsBlocks(in notation: Notation) -> Bool { true }
    public func updatedBlocks(_ updated: Parameters) -> [(name: String, value: Value)] {
        let own = copies
        guard !own.isEmpty else { return blocks(updated) }
        return blocks(updated).map { ($0.name, own[$0.name] ?? $0.value) }
    }
    public func writtenBlocks(_ p: Parameters) -> [(name: String, value: Value)] { updatedBlocks(p) }
    public var writtenFields: [(String, String)] { [] }
    public var isShownInReport: Bool { true }
    public var showsGradients: Bool { true }
    public var update: UpdateRule { .sgd }
    public var trainsTensors: Bool { false }
    public var copies: [String: Value] { [:] }
    public func holding(_ copies: [String: Value]) -> Self { self }
    public func summingCopies(into p: Parameters) -> Parameters { p }
}
