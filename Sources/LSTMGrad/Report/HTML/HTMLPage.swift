/// The frame of every page `--format html` writes: one self-contained file (inline style, a
/// small script, no fonts or libraries fetched) that is HTML and well-formed XML at once, with
/// a print stylesheet. The page works without the script: anchors link, and hover or focus
/// shows a node's gradient through CSS; the script only adds scrolling from an equation's
/// operands to where they were computed.
enum HTMLPage {
    /// `<!DOCTYPE html>` up to the opening `<main>`: the title, the header lines and a navigation
    /// list of (anchor, title).
    static func open(title: String, header: [String], navigation: [(String, String)], into out: inout OutputBuffer) {
        out.write("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        out.write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        out.write("<meta name=\"generator\" content=\"lstm-grad\"/>\n")
        out.write("<title>" + HTMLText.escape(title) + "</title>\n<style>\n" + style + "</style>\n</head>\n<body>\n")
        out.write("<header>\n<h1>" + HTMLText.escape(title) + "</h1>\n<ul class=\"facts\">\n")
        for line in header { out.write("<li>" + HTMLText.escape(line) + "</li>\n") }
        out.write("</ul>\n")
        if !navigation.isEmpty {
            out.write("<nav aria-label=\"sections\"><ul>\n")
            for (anchor, text) in navigation { out.write("<li><a href=\"#\(anchor)\">" + HTMLText.escape(text) + "</a></li>\n") }
            out.write("</ul></nav>\n")
        }
        out.write("</header>\n<main>\n")
    }

    /// `</main>`, the footer, the script, `</html>`.
    static func close(into out: inout OutputBuffer) {
        out.write("</main>\n<footer><p>Written by lstm-grad. Numbers in the equations are rounded for display; every result is computed from the unrounded values.</p></footer>\n")
        out.write("<script>//<![CDATA[\n" + script + "//]]></script>\n</body>\n</html>\n")
    }

    /// Colours meet WCAG AA contrast on white (text #1b1b1b, links #0b57a4, ✓ #1a6b2f, ✗ #a4161a);
    /// ✓ and ✗ are symbols as well as colours.
    static let style = """
    :root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --rule: #c9c9c9; --link: #0b57a4; --good: #1a6b2f; --bad: #a4161a; --hi: #fff3b0; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
    h1 { font-size: 1.5rem; margin: 0.5rem 0; }
    h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 1px solid var(--rule); }
    a { color: var(--link); }
    ul.facts { margin: 0.2rem 0 0.6rem; padding-left: 1.2rem; color: var(--muted); font-size: 0.92rem; }
    nav ul { display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; list-style: none; padding: 0; margin: 0.4rem 0; font-size: 0.9rem; }
    .hint { color: var(--muted); font-size: 0.9rem; margin: 0.2rem 0 0.5rem; }
    .drawing { overflow-x: auto; border: 1px solid var(--rule); border-radius: 6px; background: #fcfcfc; }
    .drawing svg { display: block; margin: 0 auto; }
    .drawing svg text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; fill: var(--ink); }
    .drawing svg .band-title { font-family: system-ui, sans-serif; font-size: 12px; fill: var(--muted); }
    .drawing svg .col-title { font-family: system-ui, sans-serif; font-size: 13px; font-weight: 600; }
    svg .node rect { fill: #fff; stroke: #5a5a5a; stroke-width: 1.2; }
    svg .node.carried rect { stroke-width: 2.2; }
    svg .node.given rect { fill: #f2f2f2; stroke-dasharray: 4 3; }
    svg .node.loss rect { fill: #fff7f0; stroke: #9a4a00; }
    svg .node .lbl { font-size: 12px; font-weight: 700; }
    svg .node .val, svg .node .grad { font-size: 11.5px; }
    svg .node .grad { visibility: hidden; fill: #6b1a8c; }
    svg .node:hover .grad, svg .node:focus .grad, svg.show-gradients .node .grad { visibility: visible; }
    svg .node:hover .val, svg .node:focus .val, svg.show-gradients .node .val { visibility: hidden; }
    svg .node:hover rect, svg .node:focus rect { stroke: #6b1a8c; stroke-width: 2.5; }
    svg .node:focus { outline: none; }
    svg .edge { fill: none; stroke: #8a8a8a; stroke-width: 1.1; }
    svg .edge.recurrent { stroke: #0b57a4; stroke-width: 1.4; stroke-dasharray: 5 3; }
    svg .edge.to-loss { stroke: #9a4a00; stroke-dasharray: 2 3; }
    .legend { display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.85rem; color: var(--muted); margin: 0.4rem 0 0; padding: 0; list-style: none; }
    .key-section { margin-top: 1.5rem; }
    .eq { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: 0 0.6rem; padding: 0.35rem 0.5rem; border-radius: 4px; scroll-margin-top: 30vh; }
    .eq:nth-child(even) { background: #f7f7f7; }
    .eq:target, .eq.hit { background: var(--hi); outline: 2px solid #c9a400; }
    .eq .lhs { text-align: right; padding-top: 0.1rem; }
    .eq .lhs a { text-decoration: none; color: inherit; }
    .eq .rhs { min-width: 0; overflow-x: auto; }
    .eq .step { display: flex; gap: 0.5rem; align-items: baseline; }
    .eq .step > span { color: var(--muted); }
    .eq .result math { font-weight: 700; }
    .eq .note, .eq .uses { grid-column: 2; margin: 0.1rem 0 0; font-size: 0.85rem; color: var(--muted); }
    .eq .uses a { margin-right: 0.3rem; }
    math { font-size: 1.05em; }
    math .ref { cursor: pointer; }
    math .ref:hover { background: var(--hi); }
    table.answers { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
    table.answers th, table.answers td { border-bottom: 1px solid var(--rule); padding: 0.4rem 0.5rem; text-align: left; vertical-align: top; }
    .mark { font-weight: 700; font-size: 1.1rem; }
    table.answers td.verdict { min-width: 14rem; }
    table.answers .scroll { max-width: 34rem; overflow-x: auto; }
    .good { color: var(--good); }
    .bad { color: var(--bad); }
    .summary { font-size: 1.05rem; font-weight: 600; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    pre.analysis { overflow-x: auto; font-size: 0.85rem; line-height: 1.3; background: #f7f7f7; padding: 0.8rem; border-radius: 4px; }
    .plot svg { width: 100%; max-width: 34rem; height: auto; }
    table.flow { width: auto; }
    footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); }
    @media print {
      body { max-width: none; padding: 0; font-size: 11pt; }
      nav, .hint, footer, .no-print, .eq .uses { display: none; }
      .drawing { overflow: visible; border: none; background: none; }
      .drawing svg { max-width: 100%; height: auto; }
      .eq { break-inside: avoid; background: none; }
      .eq:nth-child(even) { background: none; }
      .eq .rhs { overflow: visible; }
      h2 { break-after: avoid; }
      a { color: inherit; text-decoration: none; }
      svg .node .grad { visibility: hidden; }
      svg .node .val { visibility: visible; }
    }

    """

    /// Selecting an operand of an equation scrolls to where it was computed and marks it.
    /// Written without `<` or `&` (the page is also XML).
    static let script = """
    (function () {
      function mark(id) {
        var target = document.getElementById(id);
        if (!target) return;
        target.scrollIntoView({ block: "center" });
        target.classList.add("hit");
        setTimeout(function () { target.classList.remove("hit"); }, 1600);
      }
      document.addEventListener("click", function (event) {
        var ref = event.target.closest ? event.target.closest("[data-ref]") : null;
        if (!ref) return;
        event.preventDefault();
        history.replaceState(null, "", "#" + ref.getAttribute("data-ref"));
        mark(ref.getAttribute("data-ref"));
      });
      var toggle = document.getElementById("show-gradients");
      if (toggle) {
        toggle.hidden = false;
        toggle.addEventListener("click", function () {
          var svg = document.querySelector(".drawing svg");
          var on = svg.classList.toggle("show-gradients");
          toggle.setAttribute("aria-pressed", on ? "true" : "false");
        });
      }
    })();

    """
}
