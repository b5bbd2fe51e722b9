@testable import LSTMGrad
import Testing

/// `analyze` on networks, checked outside the analysis code: the Jacobians against central
/// differences of the network's forward pass, the recurrent matrices' spectra against numpy
/// (`scripts/network-eigen-reference.py`), a batch of one against the one cell.
@Suite struct NetworkAnalysisTests {
    /// `analyze --format json` of `spec`, parsed.
    static func document(_ args: [String]) throws -> JSONNode {
        let out = try CLIRunner.run(["analyze"] + args + ["--format", "json", "--window", "all"])
        #expect(out.status == 0 && out.stderr.isEmpty, "\(out.stderr)")
        return try JSONParser.parse(Array(out.stdout.utf8))
    }

    /// ∂s_t/∂s_{−1} of every band by central differences of the whole network's forward pass:
    /// the spec's initial state of that layer, direction and sequence (PyTorch's h0/c0) moved
    /// by ±h, the band's carried state read at each of its steps. Row-major S×S, rows the
    /// state at step t (out, then the LSTM's state), columns the initial state's entries.
    struct FiniteDifferences: ProblemVisitor {
        typealias Result = [String: [[Double]]]
        func visit<C: Cell>(_ problem: Problem<C>) -> Result { [:] }
        func visit<C: Cell>(network p: NetworkProblem<C>) -> Result {
            let T = p.steps, B = p.sequenceCount, h = 1e-6
            let carried = p.cells[0][0].carried
            var out: Result = [:]
            for b in 0..<B {
                for l in 0..<p.layers {
                    for d in 0..<p.directions {
                        let start = p.initial[l][d][b].vectors
                        let S = start.reduce(0) { $0 + $1.count }
                        // states[±][s]: the band's carried state at its own step s, initial entry c moved by ±h.
                        func states(_ c: Int, _ sign: Double) -> [[Double]] {
                            var q = p
                            var flat = start.flatMap(\.values)
                            flat[c] += sign * h
                            let H = start[0].count
                            q.initial[l][d][b] = CellState(out: Vector(Array(flat[0..<H])), state: start.count > 1 ? Vector(Array(flat[H...])) : nil)
                            let values = NetworkPass.forward(q).values
                            return (0..<T).map { s in
                                let t = d == 1 ? T - 1 - s : s
                                return carried.flatMap { values.vector(QuantityName($0, t: t).placed(layer: l, reverse: d == 1, sequence: B > 1 ? b : nil)).values }
                            }
                        }
                        var columns: [[[Double]]] = []  // [c][s][r]
                        for c in 0..<S {
                            let plus = states(c, 1), minus = states(c, -1)
                            columns.append((0..<T).map { s in zip(plus[s], minus[s]).map { ($0 - $1) / (2 * h) } })
                        }
                        let place = QuantityName(.x).placed(layer: l, reverse: d == 1, sequence: B > 1 ? b : nil).place
                        for s in 0..<T { out["\(place) \(s)"] = (0..<S).map { r in (0..<S).map { c in columns[c][s][r] } } }
                    }
                }
            }
            return out
        }
    }

    /// ‖M‖₂ by power iteration on MᵀM (independent of the tool's SVD).
    static func spectralNorm(_ m: [[Double]]) -> Double {
        let n = m[0].count
        var v = (0..<n).map { 1.0 + Double($0) / 7 }
        var lambda = 0.0
        for _ in 0..<500 {
            let mv = m.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } }
            var w = (0..<n).map { c in m.indices.reduce(0) { $0 + m[$1][c] * mv[$1] } }
            let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { return 0 }
            w = w.map { $0 / norm }
            lambda = norm
            v = w
        }
        return lambda.squareRoot()
    }

    /// Every band's ∂s_t/∂s_{−1} (`jacobian[t,-1]`, its own steps t) and its norm agree with the
    /// central differences of the network's forward pass.
    @Test(arguments: ["fixtures/network-check/lstm-2l-bi-b2.json", "docs/examples/network-gru.json", "fixtures/torch-net-truncated/rnn-relu-3l-b3.json"])
    func jacobiansAgreeWithFiniteDifferences(_ spec: String) throws {
        let specText: String = String(decoding: try InputFile.read(Fixtures.root + "/" + spec), as: UTF8.self)
        let reference = try Fixtures.spec(json: specText, name: spec)
            .visit(FiniteDifferences())
        let doc = try Self.document([spec])
        let bands = try #require(JSONOutput.member(doc, ["bands"])?.members)
        #expect(bands.count * (try #require(JSONOutput.member(bands[0].value, ["sizes", "T"])?.number.map(Int.init))) == reference.count)
        var compared = 0, worst = 0.0
        for band in bands {
            let T = Int(JSONOutput.member(band.value, ["sizes", "T"])?.number ?? 0)
            for t in 0..<T {
                let fd = try #require(reference["\(band.key) \(t)"], "\(band.key) \(t)")
                let ours = JSONOutput.flatten(try #require(JSONOutput.member(band.value, ["quantities", "jacobian[\(t),-1]"]), "\(band.key) jacobian[\(t),-1]"))
                #expect(ours.count == fd.count * fd.count)
                for (a, b) in zip(ours, fd.flatMap { $0 }) {
                    worst = max(worst, abs(a - b))
                    #expect(abs(a - b) <= 1e-8, "\(spec) \(band.key) jacobian[\(t),-1]: ours \(a), finite differences \(b)")
                }
                let norm = try #require(JSONOutput.member(band.value, ["quantities", "norm_jacobian[\(t),-1]"])?.number)
                #expect(relativeError(norm, Self.spectralNorm(fd)) <= 1e-7, "\(spec) \(band.key) ‖jacobian[\(t),-1]‖₂: ours \(norm), power iteration \(Self.spectralNorm(fd))")
                compared += 1
            }
        }
        #expect(compared >= 12)
        print("\(spec): \(compared) Jacobians ∂s_t/∂s_-1 agree with central differences, max |a − n| = \(worst)")
    }

    /// Each layer's and direction's recurrent W (the state dict's weight_hh): eigenvalues,
    /// σ_max and ρ against numpy, in every band of it.
    @Test(arguments: ["rnn-tanh-2l-bi-b1", "rnn-relu-3l-b3"])
    func recurrentSpectraAgreeWithNumPy(_ name: String) throws {
        let text: String = String(decoding: try InputFile.read(Fixtures.path("analysis/network-rnn-eigen.json")), as: UTF8.self)
        let reference = try #require(JSONOutput.member(try JSONParser.parse(Array(text.utf8)), [name])?.members)
        let doc = try Self.document(["fixtures/torch-net-truncated/\(name).json"])
        let bands = try #require(JSONOutput.member(doc, ["bands"])?.members)
        for member in reference {
            let place = member.key, expected = member.value
            let matching = bands.filter { $0.key == place || $0.key.hasPrefix(place + ".b") }
            #expect(!matching.isEmpty, "\(name): no band at \(place)")
            for band in matching {
                let eigen = try #require(JSONOutput.member(band.value, ["eigen", "W"]))
                #expect(JSONOutput.flatten(try #require(JSONOutput.member(eigen, ["matrix"]))) == JSONOutput.flatten(try #require(JSONOutput.member(expected, ["W"]))))
                let norm = try #require(JSONOutput.member(eigen, ["norm2"])?.number)
                let sigma = try #require(JSONOutput.member(expected, ["singular_values"])?.array?.first?.number)
                #expect(relativeError(norm, sigma) <= 1e-12, "\(name) \(band.key): σ_max \(norm), numpy \(sigma)")
                let rho = try #require(JSONOutput.member(eigen, ["spectral_radius"])?.number)
                #expect(relativeError(rho, try #require(JSONOutput.member(expected, ["spectral_radius"])?.number)) <= 1e-12)
                let ours = (JSONOutput.member(eigen, ["eigenvalues"])?.array ?? []).map { JSONOutput.flatten($0) }
                    .sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }
                let theirs = (JSONOutput.member(expected, ["eigenvalues"])?.array ?? []).map { JSONOutput.flatten($0) }
                #expect(ours.count == theirs.count)
                for (a, b) in zip(ours, theirs) {
                    #expect(abs(a[0] - b[0]) + abs(a[1] - b[1]) <= 1e-12 * sigma, "\(name) \(band.key): λ = \(a), numpy \(b)")
                }
            }
        }
    }

    /// The RNN's terms of ∂L/∂W in a band sum to that band's δW of the network (one sequence).
    @Test func termsSumToTheBandsGradient() throws {
        let spec = "fixtures/torch-net-truncated/rnn-tanh-2l-bi-b1.json"
        let doc = try Self.document([spec])
        let run = try JSONOutput.quantityTable(try CLIRunner.run(["run", spec, "--format", "json"]).stdout)
        for place in ["l0", "l0.reverse", "l1", "l1.reverse"] {
            let band = try #require(JSONOutput.member(doc, ["bands", place]))
            let dW = JSONOutput.flatten(try #require(JSONOutput.member(band, ["quantities", "dW"])))
            let expected = try #require(run["dW@" + place])
            #expect(zip(dW, expected).allSatisfy { abs($0 - $1) <= 1e-15 * max(1, abs($1)) }, "\(place): \(dW) vs run's \(expected)")
            #expect((JSONOutput.member(band, ["quantities", "terms_residual"])?.number ?? 1) <= 1e-14)
        }
    }

    /// A network of one layer, one direction and one sequence is analysed exactly as the cell.
    @Test(arguments: ["lstm-h2-x3-t4.json", "gru-pytorch.json", "seed004-rnn.json"])
    func batchOfOneIsTheCell(_ name: String) throws {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/net.json", try NetworkTruncationTests.batchOfOne(name))
            let cell = try Self.document(["fixtures/" + name])
            let network = try Self.document([dir + "/net.json"])
            let band = try #require(JSONOutput.member(network, ["bands", "l0"]))
            for key in ["quantities", "growth", "verdict", "eigen"] {
                let a = JSONOutput.member(cell, [key]).map(JSONOutput.flatten), b = JSONOutput.member(band, [key]).map(JSONOutput.flatten)
                #expect(a == b, "\(name) \(key)")
            }
            #expect(JSONOutput.member(cell, ["quantities"])?.members?.map(\.key) == JSONOutput.member(band, ["quantities"])?.members?.map(\.key))
        }
    }

    /// The text, a chosen sequence, the other formats and the plot, end to end.
    @Test func formats() throws {
        let spec = "docs/examples/network-gru.json"
        let text = try CLIRunner.run(["analyze", spec])
        #expect(text.status == 0 && text.stderr.isEmpty)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let verdicts = try #require(lines.firstIndex { $0.hasPrefix("Verdicts, band by band") })
        #expect(lines.count == verdicts + 10 && lines[verdicts + 2].hasPrefix("  sequence 0, layer 0 forward ") && lines[verdicts + 9].hasPrefix("  sequence 1, layer 1 reverse "))
        #expect(lines.contains("sequence 1, layer 0 reverse (steps s = 0…1 are t = 1…0)"))
        #expect(lines.contains("Gradient flow of sequence 1: ‖δh_t‖ of each band at time t"))
        let one = try CLIRunner.run(["analyze", spec, "--sequence", "1"])
        #expect(one.status == 0 && !one.stdout.contains("sequence 0, layer") && one.stdout.contains("Sequence 1 of the batch of 2 (--sequence B chooses another)."))
        let csv = try CLIRunner.run(["analyze", spec, "--format", "csv"])
        #expect(csv.status == 0 && csv.stdout.hasPrefix("name,timestep,index,value\n"))
        #expect(csv.stdout.contains("\nbands.l1.reverse.b1.norm_jacobian,\"1,-1\",,") && csv.stdout.contains("\ngradient_flow.l0.reverse.b1.name,,0,delta_h@l0.reverse.b1[0]\n"))
        let html = try CLIRunner.run(["analyze", spec, "--format", "html"])
        #expect(html.status == 0 && html.stdout.hasPrefix("<!DOCTYPE html>") && html.stdout.hasSuffix("</html>\n"))
        for part in ["<section id=\"flow-b0\">", "<section id=\"flow-b1\">", "<h2>Gradient flow of sequence 1</h2>", "sequence 1, layer 1 reverse", "<svg"] {
            #expect(html.stdout.contains(part), "\(part)")
        }
        try withTemporaryDirectory { dir in
            let svg = try CLIRunner.run(["analyze", spec, "--svg", dir + "/decay.svg", "--sequence", "0"])
            #expect(svg.status == 0 && svg.stdout.hasSuffix("\nwrote \(dir)/decay.svg\n"))
            let drawn: String = String(decoding: try InputFile.read(dir + "/decay.svg"), as: UTF8.self)
            #expect(drawn.hasPrefix("<?xml") && drawn.contains("layer 1 reverse") && !drawn.contains("sequence 1"))
        }
        let refused = try CLIRunner.run(["analyze", spec, "--max-memory", "1000"])
        #expect(refused.status == 2 && refused.stdout.isEmpty)
        #expect(refused.stderr.hasPrefix("lstm-grad: error: --window 12 at T = 2, H = 2 would keep 3 Jacobians of 2×2 for each of 8 bands, about "), "\(refused.stderr)")
    }
}
