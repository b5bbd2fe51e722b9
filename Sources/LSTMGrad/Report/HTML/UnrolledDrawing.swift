/// The unrolled network as SVG: a column per timestep (and one for the initial state, left of
/// t = 0; a reverse direction's right of t = T−1), the band of each layer and direction (then
/// the head's) with its values as nodes, x_t below and L_t above; edges from each equation's
/// operands (dashed blue: from t−1, or from t+1 in a reverse band). Every node links to
/// its entry in the solution key, is reached with Tab, names its value and gradient in its
/// `<title>` and shows the gradient in place on hover or focus (CSS, no script needed).
struct UnrolledDrawing {
    var network: UnrolledNetwork
    var report: Report
    var math: MathML

    /// At most this many entries of a vector are written in a node (the key has them all).
    static let shownEntries = 3
    static let charWidth = 7.0, lineHeight = 15.0, labelHeight = 19.0
    static let hGap = 10.0, rowGap = 30.0, columnGap = 64.0, margin = 14.0, bandPad = 10.0, titleHeight = 30.0

    struct Node {
        var name: QuantityName
        var kind: String
        var column = 0
        var x = 0.0, y = 0.0
    }

    /// Row of the drawing (top to bottom) and the names in it at each column.
    struct Row {
        var band: Int?
        var names: [[QuantityName]]
    }

    func write(into out: inout OutputBuffer) {
        let T = network.steps
        // Column c shows t = c − 1; a reverse band's initial state stands in column T + 1.
        let columns = T + 1 + (network.hasReverse ? 1 : 0)
        guard let values = report.values else { return }
        let equations = Dictionary(report.equations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let carried = Set(network.carried)

        // Rows: the loss, each band from the last (the head) down, its deepest values first;
        // the inputs. A value's depth is 1 + the deepest value of its band it reads at its t.
        var rows: [Row] = []
        if !network.losses.isEmpty { rows.append(Row(band: nil, names: [[]] + network.losses.map { [$0] })) }
        var bandRows: [ClosedRange<Int>] = Array(repeating: 0...0, count: network.bands.count)
        for (b, band) in network.bands.enumerated().reversed() {
            var depth: [QuantityName: Int] = [:]
            // Passes until nothing deepens (a value may read one listed after it: the peephole
            // LSTM's o_t reads state_t); a band's values form no cycle within a step.
            var changed = true
            var passes = 0
            while changed && passes <= band.steps.map(\.count).max() ?? 0 {
                changed = false
                passes += 1
                for step in band.steps {
                    let inStep = Set(step)
                    for name in step {
                        let reads = equations[name]?.rhs.operands.filter(inStep.contains) ?? []
                        let d = (reads.map { depth[$0] ?? 0 }.max() ?? -1) + 1
                        if depth[name] != d {
                            depth[name] = d
                            changed = true
                        }
                    }
                }
            }
            let deepest = depth.values.max() ?? 0
            let first = rows.count
            for d in stride(from: deepest, through: 0, by: -1) {
                var names = [[QuantityName]](repeating: [], count: columns)
                for (t, step) in band.steps.enumerated() { names[t + 1] = step.filter { depth[$0] == d } }
                // The initial state stands before the band's first step (column 0, or right of
                // t = T−1 for a reverse band), in the row of the carried value of its own symbol.
                let opening = band.reverse ? band.steps.last : band.steps.first
                names[band.reverse ? T + 1 : 0] = band.initial.filter { initial in
                    opening?.contains { $0.symbol == initial.symbol && depth[$0] == d } ?? false
                }
                rows.append(Row(band: b, names: names))
            }
            bandRows[b] = first...(rows.count - 1)
        }
        rows.append(Row(band: nil, names: [[]] + network.inputs.map { [$0] }))

        // Sizes: a node fits its widest number and its longest label.
        func lines(_ v: Value) -> [String] {
            let n = v.numbers
            var out = n.prefix(Self.shownEntries).map { math.work.number($0, trimmed: false) }
            if n.count > Self.shownEntries { out.append("… (\(n.count))") }
            return out
        }
        let all = rows.flatMap { $0.names.joined() }
        var chars = 8
        var maxLines = 1
        for name in all {
            let ls = lines(values.value(name))
            chars = max(chars, ls.map(\.count).max() ?? 0, report.notation.label(name).count + 1)
            maxLines = max(maxLines, ls.count)
            for g in network.gradients[name] ?? [] {
                chars = max(chars, report.notation.label(g).count + 1)
                maxLines = max(maxLines, lines(values.value(g)).count)
            }
        }
        let nodeW = Double(chars) * Self.charWidth + 14
        let nodeH = Self.labelHeight + Double(maxLines) * Self.lineHeight + 6
        var columnW = [Double](repeating: nodeW, count: columns)
        for row in rows {
            for (c, names) in row.names.enumerated() where !names.isEmpty {
                columnW[c] = max(columnW[c], Double(names.count) * (nodeW + Self.hGap) - Self.hGap)
            }
        }
        let bandLabel = 16.0
        var columnX = [Double](repeating: 0, count: columns)
        var x = Self.margin + Self.bandPad
        for c in 0..<columns {
            columnX[c] = x
            x += columnW[c] + Self.columnGap
        }
        let width = x - Self.columnGap + Self.bandPad + Self.margin
        var rowY: [Double] = []
        var y = Self.margin + Self.titleHeight
        for (r, row) in rows.enumerated() {
            if let b = row.band, bandRows[b].lowerBound == r { y += bandLabel + Self.bandPad }
            rowY.append(y)
            y += nodeH + Self.rowGap
            if let b = row.band, bandRows[b].upperBound == r { y += Self.bandPad }
        }
        let height = y - Self.rowGap + Self.margin

        var nodes: [QuantityName: Node] = [:]
        for (r, row) in rows.enumerated() {
            for (c, names) in row.names.enumerated() {
                let used = Double(names.count) * (nodeW + Self.hGap) - Self.hGap
                for (k, name) in names.enumerated() {
                    var kind = "value"
                    if name.symbol == .loss { kind = "loss" } else if name.t == -1 || equations[name] == nil { kind = "given" } else if carried.contains(name.symbol) { kind = "carried" }
                    var node = Node(name: name, kind: kind)
                    node.column = c
                    node.x = columnX[c] + (columnW[c] - used) / 2 + Double(k) * (nodeW + Self.hGap)
                    node.y = rowY[r]
                    nodes[name] = node
                }
            }
        }

        func n(_ v: Double) -> String { fixedDecimals(v, 1) }
        let title = "The unrolled network: \(T) timestep\(T == 1 ? "" : "s"), " + network.bands.map(\.title).joined(separator: "; ")
        out.write("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"group\" aria-label=\"\(HTMLText.escape(title))\">\n")
        out.write("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#6a6a6a\"/></marker>")
        out.write("<marker id=\"arrow-r\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#0b57a4\"/></marker></defs>\n")
        // Bands behind everything.
        for (b, band) in network.bands.enumerated() {
            let top = rowY[bandRows[b].lowerBound] - bandLabel - Self.bandPad
            let bottom = rowY[bandRows[b].upperBound] + nodeH + Self.bandPad
            out.write("<rect x=\"\(n(Self.margin))\" y=\"\(n(top))\" width=\"\(n(width - 2 * Self.margin))\" height=\"\(n(bottom - top))\" rx=\"6\" fill=\"\(b % 2 == 0 ? "#eef3fa" : "#f4f0f8")\"/>\n")
            out.write("<text class=\"band-title\" x=\"\(n(Self.margin + 8))\" y=\"\(n(top + 14))\">" + HTMLText.escape(band.title) + "</text>\n")
        }
        for c in 0..<columns {
            let text = c == 0 ? "t = −1" : c == T + 1 ? "reverse: t = −1" : "t = \(c - 1)"
            out.write("<text class=\"col-title\" x=\"\(n(columnX[c] + columnW[c] / 2))\" y=\"\(n(Self.margin + 16))\" text-anchor=\"middle\">\(text)</text>\n")
        }
        // Edges: each operand that is drawn, to the value that reads it.
        out.write("<g aria-hidden=\"true\">\n")
        let ordered = nodes.values.sorted { ($0.y, $0.x) < ($1.y, $1.x) }
        for node in ordered {
            for operand in equations[node.name]?.rhs.operands ?? [] {
                guard let from = nodes[operand] else { continue }
                let lane = Double(network.carried.firstIndex(of: operand.symbol) ?? 0) - Double(network.carried.count - 1) / 2
                if abs(node.column - from.column) == 1 {
                    // From the neighbouring column (t−1, or t+1 and the initial state right of
                    // t = T−1 in a reverse band): out of its side facing this node, straight into
                    // this node's near side (same row), or along a lane of the gap between the
                    // columns (one per carried value) and above this node's row into its top.
                    let forward = from.column < node.column
                    let sx = forward ? from.x + nodeW : from.x, sy = from.y + nodeH / 2
                    let d: String
                    if from.y == node.y {
                        d = "M\(n(sx)),\(n(sy)) L\(n(forward ? node.x - 2 : node.x + nodeW + 2)),\(n(sy))"
                    } else {
                        let gx = forward ? columnX[node.column] - Self.columnGap / 2 + lane * 10
                                         : columnX[node.column] + columnW[node.column] + Self.columnGap / 2 - lane * 10
                        let hy = node.y - Self.rowGap / 2 + lane * 6
                        let ex = node.x + nodeW / 2
                        d = "M\(n(sx)),\(n(sy)) H\(n(gx)) V\(n(hy)) H\(n(ex)) V\(n(node.y - 2))"
                    }
                    out.write("<path class=\"edge recurrent\" marker-end=\"url(#arrow-r)\" d=\"\(d)\"/>\n")
                } else if from.y > node.y {
                    out.write("<path class=\"edge\" marker-end=\"url(#arrow)\" d=\"M\(n(from.x + nodeW / 2)),\(n(from.y)) L\(n(node.x + nodeW / 2)),\(n(node.y + nodeH + 2))\"/>\n")
                }
            }
        }
        // The loss of each step reads the column's prediction: the top value of the top band.
        if let top = rows.firstIndex(where: { $0.band != nil }) {
            for loss in network.losses {
                guard let t = loss.t, let l = nodes[loss], let from = rows[top].names[t + 1].first.flatMap({ nodes[$0] }) else { continue }
                out.write("<path class=\"edge to-loss\" marker-end=\"url(#arrow)\" d=\"M\(n(from.x + nodeW / 2)),\(n(from.y)) L\(n(l.x + nodeW / 2)),\(n(l.y + nodeH + 2))\"/>\n")
            }
        }
        out.write("</g>\n")
        for node in ordered { write(node, width: nodeW, height: nodeH, values: values, lines: lines, into: &out) }
        out.write("</svg>\n")
    }

    func write(_ node: Node, width: Double, height: Double, values: Trace, lines: (Value) -> [String], into out: inout OutputBuffer) {
        func n(_ v: Double) -> String { fixedDecimals(v, 1) }
        let label = report.notation.label(node.name)
        let value = values.value(node.name)
        let gradients = network.gradients[node.name] ?? []
        var spoken = "\(label) = " + lines(value).joined(separator: ", ")
        for g in gradients { spoken += "; \(report.notation.label(g)) = " + lines(values.value(g)).joined(separator: ", ") }
        let target = HTMLText.id(node.name)
        out.write("<a class=\"node \(node.kind)\" href=\"#\(target)\" tabindex=\"0\" aria-label=\"\(HTMLText.escape(spoken))\" data-key=\"\(HTMLText.escape(node.name.description))\">")
        out.write("<title>" + HTMLText.escape(spoken) + "</title>")
        out.write("<rect x=\"\(n(node.x))\" y=\"\(n(node.y))\" width=\"\(n(width))\" height=\"\(n(height))\" rx=\"5\"/>")
        let cx = node.x + width / 2
        func text(_ cls: String, _ label: String, _ numbers: [String]) {
            out.write("<g class=\"\(cls)\"><text class=\"lbl\" x=\"\(n(cx))\" y=\"\(n(node.y + 14))\" text-anchor=\"middle\">" + HTMLText.escape(label) + "</text>")
            for (k, line) in numbers.enumerated() {
                out.write("<text x=\"\(n(cx))\" y=\"\(n(node.y + Self.labelHeight + 11 + Double(k) * Self.lineHeight))\" text-anchor=\"middle\">" + HTMLText.escape(line) + "</text>")
            }
            out.write("</g>")
        }
        text("val", label, lines(value))
        if let g = gradients.first { text("grad", report.notation.label(g), lines(values.value(g))) }
        out.write("</a>\n")
    }
}
