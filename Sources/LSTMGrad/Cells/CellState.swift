/// The recurrent state carried between timesteps: `out` (h) for every cell, and `state` (C)
/// for an LSTM.
public struct CellState: Sendable, Equatable {
    public var out: Vector
    public var state: Vector?

    public init(out: Vector, state: Vector? = nil) {
        self.out = out
        self.state = state
    }

    /// The carried values in the order of `Cell.carried`.
    public var vectors: [Vector] { [out] + (state.map { [$0] } ?? []) }
}
