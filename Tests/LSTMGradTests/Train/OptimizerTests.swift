@testable import LSTMGrad
import Testing

/// The optimizers and clipping on hand-checkable numbers, independent of the PyTorch fixtures:
/// Adam's first step is lr·g/(|g| + eps), SGD's momentum buffer starts as the gradient, Adagrad
/// divides by √(g² + initial), clipping by norm leaves the norm at max_norm, frozen blocks stay.
@Suite struct OptimizerTests {
    static let W = QuantityName(.W), V = QuantityName(.V)
    static let parameters: [(QuantityName, [Double])] = [(W, [1.0, -2.0, 0.5]), (V, [0.25])]
    static let gradients: [QuantityName: [Double]] = [W: [0.3, -0.4, 0.0], V: [1.2]]

    func step(_ setup: TrainingSetup, copy: QuantityName? = nil, learningRate: Double = 0.1) -> ([QuantityName: [Double]], OptimizerState) {
        // `copy`: a second tensor holding V, with V's gradient (a bias stored twice).
        let parameters = Self.parameters + (copy.map { [($0, [0.25])] } ?? [])
        var gradients = Self.gradients
        if let copy { gradients[copy] = gradients[Self.V] }
        let r = setup.step(parameters: parameters, gradients: gradients, learningRate: learningRate)
        return (Dictionary(uniqueKeysWithValues: r.parameters), r.state)
    }

    @Test func adamFirstStepIsLrTimesTheSign() {
        var o = Optimizer(.adam)
        o.lr = 0.01
        let (p, state) = step(TrainingSetup(optimizer: o))
        for (block, before) in Self.parameters {
            for k in before.indices {
                let g = Self.gradients[block]![k]
                // m̂ = g, v̂ = g²: θ − lr·g/(|g| + eps)
                #expect(abs(p[block]![k] - (before[k] - 0.01 * g / (abs(g) + 1e-8))) < 1e-15)
            }
        }
        #expect(state.step == 1 && state.buffers[Self.W]?[.expAvg]?.count == 3)
    }

    @Test func sgdMomentumStartsFromTheGradient() {
        var o = Optimizer(.sgd)
        o.lr = 0.1
        o.momentum = 0.9
        o.dampening = 0.5
        var setup = TrainingSetup(optimizer: o)
        let (p1, s1) = step(setup)
        // Step 1: buf = g, θ − lr·g (dampening does not apply yet).
        #expect(p1[Self.V] == [0.25 - 0.1 * 1.2])
        #expect(s1.buffers[Self.V]?[.momentumBuffer] == [1.2])
        setup.state = s1
        let (p2, s2) = step(setup)
        // Step 2: buf = 0.9·1.2 + 0.5·1.2 = 1.68 (from the same parameters).
        #expect(abs(s2.buffers[Self.V]![.momentumBuffer]![0] - 1.68) < 1e-15)
        #expect(abs(p2[Self.V]![0] - (0.25 - 0.1 * 1.68)) < 1e-15)
    }

    @Test func adagradDividesByTheAccumulatedSquares() {
        var o = Optimizer(.adagrad)
        o.lr = 0.5
        o.initialAccumulatorValue = 0.16
        let (p, state) = step(TrainingSetup(optimizer: o))
        // sum = 0.16 + 1.44 = 1.6; θ − 0.5·1.2/(√1.6 + 1e−10)
        #expect(abs(state.buffers[Self.V]![.sum]![0] - 1.6) < 1e-15)
        #expect(abs(p[Self.V]![0] - (0.25 - 0.5 * 1.2 / (1.6.squareRoot() + 1e-10))) < 1e-15)
    }

    /// ‖g‖₂ = 1.3 over both blocks: clipped to max_norm 0.65, every entry halves (up to the
    /// 1e−6 in torch's denominator); a bias stored twice is two tensors, both in the norm.
    @Test func clipByNormScalesEveryBlockTogether() {
        let (p, _) = step(TrainingSetup(clip: .norm(maxNorm: 0.65, normType: 2)), learningRate: 1)
        let factor = 0.65 / (1.3 + 1e-6)
        #expect(abs(p[Self.V]![0] - (0.25 - 1.2 * factor)) < 1e-15)
        #expect(abs(p[Self.W]![1] - (-2.0 + 0.4 * factor)) < 1e-15)
        // V and a copy of it: ‖g‖ = √(0.25 + 2·1.44); each copy steps by the clipped gradient.
        let copy = QuantityName(Symbol("V_copy"))
        let (q, _) = step(TrainingSetup(clip: .norm(maxNorm: 0.65, normType: 2)), copy: copy, learningRate: 1)
        let twice = 0.65 / ((0.25 + 2 * 1.44).squareRoot() + 1e-6)
        #expect(abs(q[Self.V]![0] - (0.25 - 1.2 * twice)) < 1e-15 && q[copy] == q[Self.V])
        // The ∞-norm: the largest |g| = 1.2.
        let (r, _) = step(TrainingSetup(clip: .norm(maxNorm: 0.6, normType: .infinity)), learningRate: 1)
        #expect(abs(r[Self.V]![0] - (0.25 - 1.2 * 0.6 / (1.2 + 1e-6))) < 1e-15)
    }

    @Test func clipByValueAndFrozenBlocks() {
        let (p, state) = step(TrainingSetup(optimizer: Optimizer(.sgd), clip: .value(0.35), frozen: [Self.V]))
        #expect(p[Self.V] == [0.25])
        #expect(p[Self.W] == [1.0 - 0.001 * 0.3, -2.0 + 0.001 * 0.35, 0.5])
        #expect(state.buffers[Self.V] == nil && state.blocks == [Self.W])
    }
}
