/// A self-contained SVG of ‖∂h_{T−1}/∂h_k‖₂ against k, log scale (for an LSTM the two diagonal
/// blocks of the state Jacobian, ‖∂out_{T−1}/∂out_k‖₂ and ‖∂state_{T−1}/∂state_k‖₂). Every
/// point carries its exact value in `data-norm` (and `data-log10-norm`, exact even where the
/// norm underflows a double), so a reader (or a test) can check it.
public enum GradientPlot {
    public struct Series: Sendable {
        public var id: String
        public var label: String
        public var color: String
        /// (k, log₁₀ norm) with k = −1…T−2, and k = T−1 (the identity, log 0).
        public var points: [(Int, Double)]
    }

    /// Needs the flow's `lastRow` (build it with `lastRow: true`).
    public static func series(_ f: GradientFlow) -> [Series] {
        let T = f.steps
        func points(_ value: (GradientFlow.Reach) -> Double) -> [(Int, Double)] { lastRow(f, value) }
        if f.kind == .lstm {
            return [Series(id: "out", label: "‖∂out_\(T - 1)/∂out_k‖₂", color: "#1f77b4", points: points { $0.log10OutNorm ?? -.infinity }),
                    Series(id: "state", label: "‖∂state_\(T - 1)/∂state_k‖₂", color: "#d62728", points: points { $0.log10StateNorm ?? -.infinity })]
        }
        return [Series(id: "h", label: "‖∂h_\(T - 1)/∂h_k‖₂", color: "#1f77b4", points: points(\.log10Norm))]
    }

    /// (k, value) along ‖∂s_{T−1}/∂s_k‖ for k = −1…T−2, then (T − 1, 0): the identity.
    static func lastRow(_ f: GradientFlow, _ value: (GradientFlow.Reach) -> Double) -> [(Int, Double)] {
        (f.lastRow ?? f.reach).sorted { $0.k < $1.k }.map { ($0.k, value($0)) } + [(f.steps - 1, 0)]
    }

    /// The lines' colours, in order (the solution page's gradient flow uses them too).
    static let palette = ["#0b57a4", "#a4161a", "#1a6b2f", "#6b1a8c", "#9a4a00", "#1b1b1b"]

    /// A network: ‖∂s_{T−1}/∂s_k‖₂ of every band over its own steps k, a line per band (the whole
    /// state: for an LSTM both (out, state) blocks together). Needs the bands' `lastRow`.
    public static func element(_ n: NetworkAnalysis, title: String) -> String {
        let all = n.bands.enumerated().map { k, band in
            Series(id: "band-\(k)", label: "‖∂s_\(n.steps - 1)/∂s_k‖₂ " + band.title, color: palette[k % palette.count],
                   points: lastRow(band.flow, \.log10Norm))
        }
        return svg(all, xs: -1...max(n.steps - 1, 0), title: title, xLabel: "k (the band's own step; −1 is its initial state)")
    }

    public static func svg(_ f: GradientFlow, title: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + element(f, title: title)
    }

    /// The plot as an `<svg>` element, to put in a page.
    public static func element(_ f: GradientFlow, title: String) -> String {
        svg(series(f), xs: -1...max(f.steps - 1, 0), title: title, xLabel: "k (timestep; −1 is the initial state)")
    }

    /// Log-scale lines of `series` over the integers `xs` (an `<svg>` element, no XML prolog):
    /// the plot `analyze --svg` writes, and the solution page's gradient flow.
    public static func svg(_ all: [Series], xs: ClosedRange<Int>, title: String, xLabel: String) -> String {
        let width = 640.0, height = 420.0
        // The legend has two entries a row; each row past the first lowers the plot.
        let legendRows = max((all.count + 1) / 2, 1)
        let left = 80.0, right = 30.0, top = 70.0 + Double(legendRows - 1) * 18, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let logs = all.flatMap { $0.points.map(\.1) }.filter(\.isFinite)
        var lo = floor(logs.min() ?? 0), hi = ceil(logs.max() ?? 0)
        if hi <= lo { hi = lo + 1 }
        if hi - lo > 300 { lo = hi - 300 }
        let kMin = Double(xs.lowerBound), kMax = Double(xs.upperBound)
        let kSpan = max(kMax - kMin, 1)
        func x(_ k: Int) -> Double { left + (Double(k) - kMin) / kSpan * plotW }
        func y(_ l: Double) -> Double { top + (hi - max(l, lo)) / (hi - lo) * plotH }
        func n(_ v: Double) -> String { fixedDecimals(v, 2) }

        var s = ""
        s += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
        s += "<title>\(escape(title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"white\"/>\n"
        s += "<text x=\"\(n(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">\(escape(title))</text>\n"
        // Grid and y labels: one line per decade.
        var e = Int(lo)
        let step = max(1, Int((hi - lo) / 10))
        while Double(e) <= hi {
            let yy = y(Double(e))
            s += "<line x1=\"\(n(left))\" y1=\"\(n(yy))\" x2=\"\(n(left + plotW))\" y2=\"\(n(yy))\" stroke=\"#dddddd\"/>\n"
            s += "<text x=\"\(n(left - 8))\" y=\"\(n(yy + 4))\" text-anchor=\"end\">1e\(e)</text>\n"
            e += step
        }
        for k in Int(kMin)...Int(kMax) {
            let xx = x(k)
            s += "<line x1=\"\(n(xx))\" y1=\"\(n(top + plotH))\" x2=\"\(n(xx))\" y2=\"\(n(top + plotH + 5))\" stroke=\"black\"/>\n"
            s += "<text x=\"\(n(xx))\" y=\"\(n(top + plotH + 18))\" text-anchor=\"middle\">\(k)</text>\n"
        }
        // Axes and their labels.
        s += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(top + plotH))\" stroke=\"black\"/>\n"
        s += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(left + plotW))\" y2=\"\(n(top + plotH))\" stroke=\"black\"/>\n"
        s += "<text x=\"\(n(left + plotW / 2))\" y=\"\(n(height - 15))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text x=\"18\" y=\"\(n(top + plotH / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(n(top + plotH / 2)))\">norm (log scale)</text>\n"
        for sr in all {
            let drawn = sr.points.filter { $0.1.isFinite }
            if drawn.count > 1 {
                s += "<polyline fill=\"none\" stroke=\"\(sr.color)\" stroke-width=\"2\" points=\""
                s += drawn.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " ")
                s += "\"/>\n"
            }
            for (k, l) in drawn {
                let v = pow(10, l)
                s += "<circle cx=\"\(n(x(k)))\" cy=\"\(n(y(l)))\" r=\"3.5\" fill=\"\(sr.color)\" data-series=\"\(sr.id)\" data-k=\"\(k)\" data-norm=\"\(v)\" data-log10-norm=\"\(l)\"/>\n"
            }
        }
        // Legend, between the title and the plot.
        for (j, sr) in all.enumerated() {
            let ly = 48.0 + Double(j / 2) * 18
            let lx = left + Double(j % 2) * 260
            s += "<line x1=\"\(n(lx))\" y1=\"\(n(ly))\" x2=\"\(n(lx + 24))\" y2=\"\(n(ly))\" stroke=\"\(sr.color)\" stroke-width=\"2\"/>\n"
            s += "<circle cx=\"\(n(lx + 12))\" cy=\"\(n(ly))\" r=\"3.5\" fill=\"\(sr.color)\"/>\n"
            let zeros = sr.points.filter { !$0.1.isFinite }.count
            s += "<text x=\"\(n(lx + 30))\" y=\"\(n(ly + 4))\">\(escape(sr.label))\(zeros > 0 ? " (\(zeros) zero, not drawn)" : "")</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    static func escape(_ s: String) -> String { HTMLText.escape(s) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
