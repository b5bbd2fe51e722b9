/// One cell's part in training (the one cell, or a network's layer and direction): the tensors
/// an optimizer steps. These are the canonical blocks (`W.a`, at their place `W.a@l1.reverse`),
/// or, where the layout trains its own tensors (a PyTorch state dict), the layout's tensors
/// (`weight_ih_l0`, at their place `weight_ih_l1_reverse`). A bias the state dict stores twice
/// is then two tensors, as in torch: each copy receives the gradient δb of the bias
/// b = b_ih + b_hh and takes its own step with its own state and weight decay; the bias after
/// the step is the sum of the copies after it.
struct TrainedCell<P: ParameterSet> {
    var parameters: P
    var layout: (any ParameterLayout<P>)?
    /// A canonical block's name at its place.
    var place: (QuantityName) -> QuantityName = { $0 }
    /// A layout tensor's name at its place.
    var spell: (String) -> String = { $0 }

    /// The layout that trains its own tensors, if any.
    var tensorLayout: (any ParameterLayout<P>)? { layout?.trainsTensors == true ? layout : nil }

    /// A layout tensor's name as the report names it (`weight_hh_l1_reverse`).
    func name(_ spelling: String) -> QuantityName { ReportBuilder.layoutName(spell(spelling)) }

    /// The tensors with their values (each bias copy its own).
    var tensors: [(name: QuantityName, value: Value)] {
        guard let layout = tensorLayout else { return parameters.blockNames.map { (place($0), parameters.value(of: $0)) } }
        return layout.updatedBlocks(parameters).map { (name($0.name), $0.value) }
    }

    /// Each tensor's gradient by the tensor's name, from the canonical gradients `g` (both bias
    /// copies: δb).
    func gradients(_ g: P) -> [QuantityName: [Double]] {
        guard let layout = tensorLayout else {
            return Dictionary(uniqueKeysWithValues: g.blockNames.map { (place($0), g[block: $0]) })
        }
        return Dictionary(layout.blocks(g).map { (name($0.name), $0.value.numbers) }, uniquingKeysWith: { a, _ in a })
    }

    /// The canonical blocks, at their place, each tensor holds (`"frozen"` names either).
    var holdings: [(name: QuantityName, blocks: Set<QuantityName>)] {
        guard let layout = tensorLayout else { return parameters.blockNames.map { (place($0), [place($0)]) } }
        return layout.tensors(of: parameters).map { (name($0.name), Set($0.blocks.map(place))) }
    }

    /// The parameters and the layout after a step: `stepped` holds each tensor's numbers after
    /// it (a tensor absent is unchanged).
    func after(_ stepped: [QuantityName: [Double]]) -> (parameters: P, layout: (any ParameterLayout<P>)?) {
        guard let layout = tensorLayout else {
            var p = parameters
            for block in p.blockNames { if let v = stepped[place(block)] { p[block: block] = v } }
            return (p, self.layout)
        }
        let tensors = layout.updatedBlocks(parameters).map { spelling, value in
            (spelling, stepped[name(spelling)].map { value.replacingNumbers($0) } ?? value)
        }
        let own = layout.copies
        let after = layout.holding(Dictionary(uniqueKeysWithValues: tensors.filter { own[$0.0] != nil }))
        return (after.summingCopies(into: layout.parameters(from: tensors, like: parameters)), after)
    }

    /// Plain SGD of the layout's copies alone (each copy −λ·δb), for a pass whose other blocks
    /// the report's SGD equations update: the parameters with the blocks the copies hold set to
    /// their sum after the step, and the layout holding them.
    func steppedCopies(gradients g: P, learningRate: Double) -> (parameters: P, layout: (any ParameterLayout<P>)?) {
        guard let layout, !layout.copies.isEmpty else { return (parameters, self.layout) }
        let own = layout.copies
        let copies = layout.blocks(g).filter { own[$0.name] != nil }
        let step = TrainingSetup().step(parameters: copies.map { (name($0.name), own[$0.name]!.numbers) },
                                        gradients: Dictionary(copies.map { (name($0.name), $0.value.numbers) }, uniquingKeysWith: { a, _ in a }),
                                        learningRate: learningRate)
        let after = layout.holding(Dictionary(uniqueKeysWithValues: zip(copies, step.parameters).map { ($0.name, own[$0.name]!.replacingNumbers($1.1)) }))
        return (after.summingCopies(into: parameters), after)
    }
}

extension ParameterLayout {
    /// The parameters whose tensors in this layout are `tensors` (in the order and shapes of
    /// `blocks(like)`): each canonical number is the tensor entry that holds it (a number two
    /// copies hold is their sum, which `summingCopies` forms). Found by converting a probe whose
    /// numbers are their own positions, so it holds for every layout that only rearranges numbers.
    func parameters(from tensors: [(name: String, value: Value)], like p: Parameters) -> Parameters {
        let names = p.blockNames
        var probe = p, start = 0
        for name in names {
            let n = p[block: name].count
            probe[block: name] = (0..<n).map { Double(start + $0) }
            start += n
        }
        var flat = [Double](repeating: 0, count: start)
        var held = [Bool](repeating: false, count: start)
        for ((_, positions), (_, value)) in zip(blocks(probe), tensors) {
            for (position, x) in zip(positions.numbers, value.numbers) {
                flat[Int(position)] = x
                held[Int(position)] = true
            }
        }
        var out = p
        start = 0
        for name in names {
            let n = p[block: name].count
            let old = p[block: name]
            out[block: name] = (0..<n).map { held[start + $0] ? flat[start + $0] : old[$0] }
            start += n
        }
        return out
    }
}

extension TrainingSetup {
    /// One step over the cells' tensors and the head's blocks, the gradients read from `values`
    /// (`place(block).gradient`): the cells' parameters and layouts after it, the head's
    /// parameters and the state after it.
    func step<P: ParameterSet>(cells: [TrainedCell<P>], head: HeadParameters?, values: Trace, learningRate: Double)
        -> (cells: [(parameters: P, layout: (any ParameterLayout<P>)?)], head: HeadParameters?, state: OptimizerState) {
        var parameters: [(QuantityName, [Double])] = []
        var gradients: [QuantityName: [Double]] = [:]
        for cell in cells {
            parameters += cell.tensors.map { ($0.name, $0.value.numbers) }
            gradients.merge(cell.gradients(cell.parameters.reading(values) { cell.place($0).gradient })) { a, _ in a }
        }
        if let head {
            for block in head.blockNames {
                parameters.append((block, head[block: block]))
                gradients[block] = values.value(block.gradient).numbers
            }
        }
        let s = step(parameters: parameters, gradients: gradients, learningRate: learningRate)
        let after = Dictionary(s.parameters, uniquingKeysWith: { a, _ in a })
        var newHead = head
        if var h = newHead {
            for block in h.blockNames { if let v = after[block] { h[block: block] = v } }
            newHead = h
        }
        return (cells.map { $0.after(after) }, newHead, s.state)
    }
}
