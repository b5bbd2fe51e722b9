/// `analyze --format html`: the analysis as a page, the Jacobian-norm decay plot (the SVG of
/// `--svg`) above the text report it explains.
public enum AnalysisPage {
    /// `plot`: an `<svg>` element (`GradientPlot.element`), nil for `--matrix`.
    public static func render(title: String, header: [String], text: String, plot: String?, into out: inout OutputBuffer) {
        HTMLPage.open(title: title, header: header, navigation: [], into: &out)
        if let plot {
            out.write("<section id=\"decay\">\n<h2>How the gradient decays back in time</h2>\n")
            out.write("<p class=\"hint\">The norm of the Jacobian from the last step back to each earlier step k, log scale: a straight falling line is a gradient that vanishes geometrically.</p>\n")
            out.write("<div class=\"plot\">\n" + plot + "</div>\n</section>\n")
        }
        out.write("<section id=\"analysis\">\n<h2>Analysis</h2>\n<pre class=\"analysis\">" + HTMLText.escape(text) + "</pre>\n</section>\n")
        HTMLPage.close(into: &out)
    }
}
