extension Cell {
    /// Backpropagation through time for a cell whose only recurrent state is h_t (RNN, GRU): walks
    /// t = T−1 … 0, hands `step` Δh_t (from step t+1), δh_t = Δ_t + Δh_t and the gradients to add to,
    /// and passes back the Δh_{t−1} it returns unless recurrent terms are off.
    func backwardThroughOutputs(_ count: Int, fromLoss: [Vector], options: BackwardOptions,
                                _ step: (_ t: Int, _ fromNext: Vector, _ dh: Vector, _ grads: inout Parameters)
                                    -> (deltas: StepDeltas, x: Vector, toPrev: Vector)) -> CellGradients<Self> {
        var grads = parameters.zeroed
        var deltas: [StepDeltas] = []
        deltas.reserveCapacity(count)
        var dInputs = [Vector](repeating: Vector(zeros: inputSize), count: count)
        var fromNext = Vector(zeros: hiddenSize)
        var toPrev = Vector(zeros: hiddenSize)
        for t in (0..<count).reversed() {
            // δh_t = Δ_t + Δh_t
            let r = step(t, fromNext, fromLoss[t] + fromNext, &grads)
            deltas.append(r.deltas)
            dInputs[t] = r.x
            toPrev = r.toPrev
            if options.recurrentTerms { fromNext = r.toPrev }
        }
        return CellGradients(deltas: deltas.reversed(), parameters: grads, initial: CellState(out: toPrev), inputs: dInputs)
    }
}
