/// `analyze --format html`: the analysis as a page, the Jacobian-norm decay plot (the SVG of
/// `--svg`) above the text report it explains.
public enum AnalysisPage {
    /// `plot`: an `<svg>` element (`GradientPlot.element`), nil for `--matrix`.
    /// `sections`: more of the page before the analysis (a network's gradient flow).
    public static func render(title: String, header: [String], text: String, plot: String?, sections: String = "", into out: inout OutputBuffer) {
        HTMLPage.open(title: title, header: header, navigation: [], into: &out)
        if let plot {
            out.write("<section id=\"decay\">\n<h2>How the gradient decays back in time</h2>\n")
            out.write("<p class=\"hint\">The norm of the Jacobian from the last step back to each earlier step k, log scale: a straight falling line is a gradient that vanishes geometrically.</p>\n")
            out.write("<div class=\"plot\">\n" + plot + "</div>\n</section>\n")
        }
        out.write(sections)
        out.write("<section id=\"analysis\">\n<h2>Analysis</h2>\n<pre class=\"analysis\">" + HTMLText.escape(text) + "</pre>\n</section>\n")
        HTMLPage.close(into: &out)
    }

    /// A network: the Jacobian norms of every band, each sequence's gradient flow (as the
    /// solution page draws it), then the analysis text.
    public static func render(_ n: NetworkAnalysis, title: String, plotTitle: String, decimals: Int, into out: inout OutputBuffer) {
        var sections = OutputBuffer()
        let page = SolutionPage(decimals: min(decimals, 5))
        for (b, network) in n.flows {
            page.writeFlow(network, report: n.report, id: n.flows.count > 1 ? "flow-b\(b)" : "flow",
                           heading: "Gradient flow" + (n.sequences > 1 ? " of sequence \(b)" : ""), into: &sections)
        }
        render(title: title, header: n.header, text: AnalysisText(decimals: decimals, width: nil).render(n),
               plot: GradientPlot.element(n, title: plotTitle), sections: sections.text, into: &out)
    }
}
