/// A model a spec names with `"model"`: its cell, how its weights are decoded in every layout
/// it accepts, and how `init` writes them. Models register in `CellRegistry.models`, the one
/// place that lists them; decoding, the report, `check`, `gradcheck`, `--steps`,
/// `--write-updated`, `init` and `help spec` reach every cell through this and `Cell`.
public protocol CellModel: Sendable {
    /// The `"model"` value (`lstm`, `rnn`, `gru`).
    var name: String { get }
    /// The spec decoded into a problem of the model's cell (its weights from `"weights"`, the
    /// rest through `SpecDecoder.decodeProblem`); nil after reporting every error to `reader`.
    func decode(_ context: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)?
    /// How `init` writes the model's weights.
    var template: SpecTemplate.ModelTemplate { get }
}

/// Every model a spec can name, in the order help and `init` list them.
public enum CellRegistry {
    public static let models: [any CellModel] = [LSTMModel(), RNNModel(), GRUModel()]

    public static func model(named name: String) -> (any CellModel)? { models.first { $0.name == name } }

    public static var names: [String] { models.map(\.name) }
}

/// A problem of any registered cell: every command reaches it through a `ProblemVisitor`,
/// written once and generically.
public protocol AnyProblem: Sendable {
    func accept<V: ProblemVisitor>(_ visitor: V) throws(V.Failure) -> V.Result
}

extension Problem: AnyProblem {
    public func accept<V: ProblemVisitor>(_ visitor: V) throws(V.Failure) -> V.Result { try visitor.visit(self) }
}

/// Something done to a problem of any cell kind (report, gradient check, answer check, …).
public protocol ProblemVisitor {
    associatedtype Result
    associatedtype Failure: Error
    func visit<C: Cell>(_ problem: Problem<C>) throws(Failure) -> Result
}
