/// A model a spec names with `"model"`: its cell, how its weights are decoded in every layout
/// it accepts, and how `init` writes them. Models register in `CellRegistry.models`, the one
/// place that lists them; decoding, the report, `check`, `gradcheck`, `--steps`,
/// `--write-updated`, `init` and `help spec` reach every cell through this and `Cell`.
public protocol CellModel: Sendable {
    /// The `"model"` value (`lstm`, `rnn`, `gru`).
    var name: String { get }
    /// Whether this model reads the spec's weights (a variant of a model, such as the peephole
    /// LSTM, claims the specs whose weights carry its parameters).
    func accepts(weights: JSONNode?) -> Bool
    /// The spec decoded into a problem of the model's cell (its weights from `"weights"`, the
    /// rest through `SpecDecoder.decodeProblem`); nil after reporting every error to `reader`.
    func decode(_ context: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)?
    /// How `init` writes the model's weights.
    var template: SpecTemplate.ModelTemplate { get }
    /// A stacked, bidirectional or batched network of the model's cell (`NetworkDecoder`);
    /// nil after reporting every error to `reader`.
    func decodeNetwork(_ context: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)?
}

extension CellModel {
    public func accepts(weights: JSONNode?) -> Bool { true }

    public func decodeNetwork(_ context: SpecDecoder.ModelContext, reader: SpecReader) -> (any AnyProblem)? {
        reader.fail(.conflict("this model has no stacked, bidirectional or batched form; give one layer, one direction and one sequence"),
                    context.fields["weights"] ?? context.fields.node, .root / "weights")
        return nil
    }
}

/// Every model a spec can name, in the order help and `init` list them; a model's variants
/// follow it under the same name.
public enum CellRegistry {
    public static let models: [any CellModel] = [LSTMModel(), PeepholeLSTMModel(), RNNModel(), GRUModel()]

    /// The model a spec names, given its weights (the first of that name that accepts them).
    public static func model(named name: String, weights: JSONNode?) -> (any CellModel)? {
        models.first { $0.name == name && $0.accepts(weights: weights) }
    }

    /// The model names, each once.
    public static var names: [String] {
        var seen = Set<String>()
        return models.map(\.name).filter { seen.insert($0).inserted }
    }
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
    /// A stacked, bidirectional or batched network. A visitor that has no meaning for a
    /// network keeps the default; its command refuses networks (`Spec.isNetwork`) before visiting.
    func visit<C: Cell>(network: NetworkProblem<C>) throws(Failure) -> Result
}

extension ProblemVisitor {
    public func visit<C: Cell>(network: NetworkProblem<C>) throws(Failure) -> Result {
        preconditionFailure("\(Self.self) does not handle networks; the command refuses them first")
    }
}

extension NetworkProblem: AnyProblem {
    public func accept<V: ProblemVisitor>(_ visitor: V) throws(V.Failure) -> V.Result { try visitor.visit(network: self) }
}

/// A one-layer, one-direction, one-sequence problem (what every command handles).
public protocol SingleProblem {}
extension Problem: SingleProblem {}
