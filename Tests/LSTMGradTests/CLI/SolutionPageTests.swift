import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `run --format html`, `check --format html` and `analyze --format html` end to end: the page
/// of the published example against the text report digit for digit and its size, and every
/// built-in example's page rendered in headless Chromium (the DOM it builds, its MathML, its
/// console, a screenshot). Without Chromium the browser test prints a note and skips.
@Suite struct SolutionPageTests {
    /// The page's key entries (after the given values) in order: key and the numbers of its result.
    static func keyResults(_ html: String) -> [(key: String, numbers: [String])] {
        var out: [(key: String, numbers: [String])] = []
        let parts = html.split(separator: "<div class=\"eq\"", omittingEmptySubsequences: false)
        for part in parts.dropFirst() {
            guard let keyStart = part.firstRange(of: "data-key=\"") else { continue }
            let rest = part[keyStart.upperBound...]
            let key = String(rest[..<rest.firstIndex(of: "\"")!])
            guard let result = part.firstRange(of: "class=\"step result\"") else { continue }
            let tail = part[result.upperBound...]
            let end = tail.firstRange(of: "</math>")?.lowerBound ?? tail.endIndex
            out.append((key, mnTokens(String(tail[..<end]))))
        }
        return out
    }

    static func mnTokens(_ s: String) -> [String] {
        s.split(separator: "<mn>", omittingEmptySubsequences: false).dropFirst().map { String($0[..<$0.firstRange(of: "</mn>")!.lowerBound]) }
    }

    /// The text report's values in order: each quantity line's numbers (a matrix's continuation
    /// lines included), notes left out.
    static func textValues(_ text: String) -> [[String]] {
        var out: [[String]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("  ") else { continue }
            var value = Substring(line)
            let continuation = line.drop(while: { $0 == " " }).hasPrefix("[") && !out.isEmpty
            if !continuation {
                guard let eq = line.firstRange(of: " = ") else { continue }
                value = line[eq.upperBound...]
            }
            if let note = value.firstRange(of: "   (") { value = value[..<note.lowerBound] }
            let numbers = value.split(whereSeparator: { $0 == " " || $0 == "[" || $0 == "]" }).map(String.init)
            if continuation { out[out.count - 1] += numbers } else { out.append(numbers) }
        }
        return out
    }

    @Test func publishedPageMatchesTheTextReportDigitForDigit() throws {
        let page = try CLIRunner.run(["run", "--example", "gomez", "--format", "html"])
        #expect(page.status == 0)
        #expect(page.stderr.isEmpty)
        let text = try CLIRunner.run(["run", "--example", "gomez"])
        let report = try Fixtures.spec("gomez.json").report()
        let printed = report.sections.flatMap(\.quantities)
        let fromText = Self.textValues(text.stdout)
        let fromPage = Self.keyResults(page.stdout).filter { r in !r.key.hasPrefix("x[") }
        // The given values (parameters, inputs, labels, λ) come first on the page.
        let key = Array(fromPage.suffix(printed.count))
        #expect(fromText.count == printed.count)
        #expect(key.count == printed.count)
        for (k, q) in printed.enumerated() where k < key.count && k < fromText.count {
            #expect(key[k].key == q.key)
            #expect(key[k].numbers == fromText[k], "\(q.label): page \(key[k].numbers), text \(fromText[k])")
        }
        // Forward values, δ terms, gradients and updates are all among them.
        for label in ["a_0", "state_1", "δstate_0", "Δout_-1", "δW_a", "W_o"] {
            #expect(printed.contains { $0.label == label }, "\(label)")
        }
    }

    @Test func publishedPageIsSmallAndSelfContained() throws {
        let page = try CLIRunner.run(["run", "--example", "gomez", "--format", "html"])
        let size = page.stdout.utf8.count
        print("gomez solution page: \(size) bytes")
        #expect(size < 200_000)
        // Nothing fetched: no external script, style, font or image.
        for needle in ["http://", "https://", "src=", "@import", "url(http"] {
            let hits = page.stdout.split(separator: needle, omittingEmptySubsequences: false).count - 1
            let namespaces = ["http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/Math/MathML", "http://www.w3.org/2000/svg"]
                .map { page.stdout.split(separator: $0, omittingEmptySubsequences: false).count - 1 }.reduce(0, +)
            #expect(needle != "http://" ? hits == 0 : hits == namespaces, "\(needle)")
        }
        #expect(page.stdout.hasPrefix("<!DOCTYPE html>\n"))
        #expect(page.stdout.hasSuffix("</html>\n"))
    }

    @Test func nodesLinkToTheirEquationsAndCarryTheirGradients() throws {
        let page = try CLIRunner.run(["run", "--example", "gomez", "--format", "html"]).stdout
        // a_0 in the drawing: focusable, links to its entry, names its value and gradients.
        #expect(page.contains("<a class=\"node value\" href=\"#q-a-0\" tabindex=\"0\" aria-label=\"a_0 = 0.81775; ∂L/∂a_0 = -0.05139; δa_0 = -0.01702\""))
        #expect(page.contains("<div class=\"eq\" id=\"q-a-0\" data-key=\"a[0]\">"))
        // Operands link to where they are computed or given.
        #expect(page.contains("<mrow class=\"ref\" data-ref=\"q-state-0\">"))
        #expect(page.contains("<a href=\"#q-delta_state-1\">δstate_1</a>"))
        #expect(page.contains("<div class=\"eq\" id=\"q-W-a\" data-key=\"W.a\">"))
        // Recurrent edges from t−1 and the gradient flow.
        #expect(page.contains("class=\"edge recurrent\""))
        #expect(page.contains("<section id=\"flow\">"))
        #expect(page.contains("@media print"))
    }

    /// A network's page: a band per layer and direction under the head's, reverse bands wired from
    /// t+1 with their initial state right of the last step, the sequence drawn named, and a line of
    /// the gradient flow per band.
    @Test func networkPageDrawsEveryLayerAndDirection() throws {
        let r = try CLIRunner.run(["run", "docs/examples/network-gru.json", "--format", "html", "--sequence", "1"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let page = r.stdout
        #expect(Self.attributes(page, after: "<text class=\"band-title\" ").count == 5)
        for title in ["layer 0 forward", "layer 0 reverse (t = 1 … 0)", "layer 1 forward", "layer 1 reverse (t = 1 … 0)", "head"] {
            #expect(page.contains(">\(title)</text>"), "\(title)")
        }
        #expect(page.contains("drawn: sequence 1 of the batch of 2"))
        #expect(page.contains(">reverse: t = −1</text>"))
        // Only sequence 1 is drawn: 2 steps × (4 bands × 5 values (r, z, hn, n, h) + layer 1's input +
        // 3 head values (top, v, y)) + 4 initial states + 2 inputs + 2 losses.
        let nodes = Self.attributes(page, after: "<a class=\"node ")
        #expect(nodes.count == 2 * (4 * 5 + 1 + 3) + 4 + 2 + 2)
        #expect(!page.contains("href=\"#q-h_l0-b0-0\" tabindex"))
        // The reverse direction's h at t = 0 reads its h at t = 1: an edge running right to left.
        #expect(page.contains("<a class=\"node carried\" href=\"#q-h_l0-reverse-b1-0\" tabindex=\"0\""))
        let reverseEdges = page.split(separator: "\n").filter { line in
            guard line.hasPrefix("<path class=\"edge recurrent\""), let m = line.firstRange(of: "d=\"M") else { return false }
            let xs = line[m.upperBound...].split(whereSeparator: { ",LHV \"".contains($0) }).compactMap { Double($0) }
            return xs.count >= 3 && xs[2] < xs[0]
        }
        #expect(!reverseEdges.isEmpty)
        // The head reads top_t = [out_t@l1; out_t@l1.reverse]; its gradient is Δtop_t.
        #expect(page.contains("aria-label=\"top_0@b1 = 0.11558, -0.19343, -0.43936, … (4); Δtop_0@b1 = 0.22197, -0.21375, -0.35351, … (4)\""))
        // The gradient flow: a line and a column per layer and direction.
        #expect(page.contains("<th>‖δh_t‖ layer 1 reverse (t = 1 … 0)</th>"))
        #expect(Self.attributes(page, after: "data-series=\"flow-").count == 4 * 2)
    }

    /// The attribute values after each `marker` (` id="`, `href="#`).
    static func attributes(_ html: String, after marker: String) -> [String] {
        html.split(separator: marker, omittingEmptySubsequences: false).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// Every link of every example's page (a node to its equation, an operand to where it is
    /// computed or given) has its target, and no id is used twice.
    @Test func everyLinkHasItsTarget() throws {
        for (name, arguments) in try Self.pages() {
            let page = try CLIRunner.run(["run"] + arguments + ["--format", "html"]).stdout
            let ids = Self.attributes(page, after: " id=\"")
            #expect(Set(ids).count == ids.count, "\(name): an id is used twice")
            let targets = Set(Self.attributes(page, after: "href=\"#") + Self.attributes(page, after: "data-ref=\""))
            #expect(targets.subtracting(ids).isEmpty, "\(name): links without a target: \(targets.subtracting(ids).sorted())")
        }
    }

    @Test func htmlRefusesWhatItCannotDraw() throws {
        let steps = try CLIRunner.run(["run", "--example", "gomez", "--format", "html", "--steps", "3"])
        #expect(steps.status == 2)
        #expect(steps.stdout.isEmpty)
        #expect(steps.stderr.contains("--format html draws one pass; drop --steps"))
        let work = try CLIRunner.run(["run", "--example", "gomez", "--format", "html", "--show-work"])
        #expect(work.status == 2)
        #expect(work.stderr.contains("--format html always shows the work; drop --show-work"))
    }

    @Test func checkPageGradesEachAnswer() throws {
        let answers = "{\"a[0]\": 0.81775, \"delta_out[0]\": 0.03631, \"dW.a\": [-0.02672, -0.0922]}"
        let r = try CLIRunner.run(["check", "--example", "gomez", "-", "--format", "html"], stdin: answers)
        #expect(r.status == 1)
        #expect(r.stderr.isEmpty)
        #expect(r.stdout.contains("<p class=\"summary\">2 correct, 1 wrong</p>"))
        #expect(r.stdout.contains("<td class=\"mark good\" aria-label=\"correct\">✓</td>"))
        #expect(r.stdout.contains("<td class=\"mark bad\" aria-label=\"wrong\">✗</td>"))
        #expect(r.stdout.contains("forgot Δout from t+1"))
        #expect(r.stdout.contains("<code>0.01804</code>"))
    }

    @Test func analyzePageHasTheDecayPlot() throws {
        let r = try CLIRunner.run(["analyze", "--example", "rnn-vanishing", "--format", "html"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(r.stdout.contains("data-log10-norm="))
        #expect(r.stdout.contains("<pre class=\"analysis\">"))
        #expect(!r.stdout.contains("<?xml"))
    }

    // MARK: in a browser

    /// Chromium, where `make setup` could install it.
    static let chromium: String? = Shell.which("chromium") ?? Shell.which("chromium-browser")

    static func browser(_ arguments: String, page: String, profile: String) throws -> Shell.Output {
        try Shell.run("timeout 120 \(chromium!) --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars "
                      + "--user-data-dir=\(Shell.quote(profile)) --enable-logging=stderr --v=0 \(arguments) \(Shell.quote("file://" + page))")
    }

    static let mathElements: Set<String> = ["math", "mrow", "mi", "mn", "mo", "msub", "msup", "msubsup", "mtext", "mtable", "mtr", "mtd", "mspace"]

    /// The pages the browsers render: every built-in example, and the network examples of
    /// docs/examples (a stacked, bidirectional GRU on a batch; a stacked LSTM).
    static func pages() throws -> [(name: String, arguments: [String])] {
        let names = try CLIRunner.run(["examples"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(names.count >= 10)
        return names.map { ($0, ["--example", $0]) } + ["network-gru", "network-lstm"].map { ($0, ["docs/examples/\($0).json"]) }
    }

    /// Every quantity of `--format json` for `arguments`, with its value as the page prints it.
    static func expectedResults(_ arguments: [String]) throws -> [(key: String, numbers: [String])] {
        try JSONOutput.quantities(try CLIRunner.run(["run"] + arguments + ["--format", "json"]).stdout).map { key, numbers in
            (key, numbers.map { x -> String in
                var b = OutputBuffer()
                b.writeFixed(x, decimals: 5)
                return b.text
            })
        }
    }

    /// Each of `expected` is in `results` (a rendered key) with its value.
    static func expectKey(_ results: [(key: String, numbers: [String])], _ expected: [(key: String, numbers: [String])], page name: String, browser: String) {
        let shown = Dictionary(results.map { ($0.key, $0.numbers) }, uniquingKeysWith: { a, _ in a })
        for (key, numbers) in expected {
            #expect(shown[key] == numbers, "\(browser), \(name): \(key) shows \(shown[key] ?? []), expected \(numbers)")
        }
    }

    @Test func everyExamplePageRendersInChromium() throws {
        guard Self.chromium != nil else {
            print("note: SolutionPageTests.everyExamplePageRendersInChromium skipped: chromium is not installed ('make setup' installs it)")
            return
        }
        try withTemporaryDirectory { dir in
            for (name, arguments) in try Self.pages() {
                let html = try CLIRunner.run(["run"] + arguments + ["--format", "html"])
                #expect(html.status == 0, "\(name): \(html.stderr)")
                let page = "\(dir)/\(name).html"
                try OutputFile.write(page, html.stdout)
                let dom = try Self.browser("--dump-dom", page: page, profile: "\(dir)/profile")
                #expect(dom.status == 0, "\(name): \(dom.stderr)")
                // No console message at all: no script error, no warning.
                let console = dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
                #expect(console.isEmpty, "\(name): \(console)")
                // Every quantity of --format json is in the rendered key with its value as printed.
                Self.expectKey(Self.keyResults(dom.stdout), try Self.expectedResults(arguments), page: name, browser: "chromium")
                // The MathML is MathML Core's elements only, with no error element.
                for math in dom.stdout.split(separator: "<math", omittingEmptySubsequences: false).dropFirst() {
                    let body = math[..<(math.firstRange(of: "</math>")?.lowerBound ?? math.endIndex)]
                    for tag in body.split(separator: "<", omittingEmptySubsequences: false).dropFirst() where !tag.hasPrefix("/") {
                        let element = String(tag.prefix { $0.isLetter })
                        #expect(Self.mathElements.contains(element) || element.isEmpty, "\(name): <\(element)> in MathML")
                    }
                }
                // The drawing: a focusable node linking to its entry for every value drawn.
                #expect(dom.stdout.contains("<a class=\"node "), "\(name): no drawing")
                // Read as XML, the page parses: no parser error in the document Chromium builds.
                let xhtml = "\(dir)/\(name).xhtml"
                try OutputFile.write(xhtml, html.stdout)
                let xml = try Self.browser("--dump-dom", page: xhtml, profile: "\(dir)/profile")
                #expect(!xml.stdout.contains("parsererror"), "\(name): the page is not well-formed XML: \(xml.stdout.prefix(600))")
                #expect(xml.stdout.contains("</math>"))
            }
            // The script runs (it shows the "Show every gradient" button), and without it the page is
            // whole: the drawing, every entry of the key, the links.
            let button = "id=\"show-gradients\" aria-pressed=\"false\" hidden=\"hidden\""
            let scripted = try Self.browser("--dump-dom", page: "\(dir)/gomez.html", profile: "\(dir)/profile")
            // The page with its script taken out is what a browser with scripts off builds.
            let html = String(decoding: try InputFile.read("\(dir)/gomez.html"), as: UTF8.self)
            let parts = html.split(separator: "<script>", omittingEmptySubsequences: false)
            #expect(parts.count == 2)
            try OutputFile.write("\(dir)/gomez-noscript.html", String(parts[0]) + "</body>\n</html>\n")
            let plain = try Self.browser("--dump-dom", page: "\(dir)/gomez-noscript.html", profile: "\(dir)/profile")
            #expect(scripted.stdout.contains("id=\"show-gradients\"") && !scripted.stdout.contains(button))
            #expect(plain.stdout.contains(button))
            #expect(Self.keyResults(plain.stdout).count == Self.keyResults(scripted.stdout).count)
            #expect(plain.stdout.contains("<a class=\"node value\" href=\"#q-a-0\" tabindex=\"0\""))
            // A screenshot of the published example's page.
            let shot = "\(dir)/gomez.png"
            _ = try Self.browser("--window-size=1200,1400 --screenshot=\(Shell.quote(shot))", page: "\(dir)/gomez.html", profile: "\(dir)/profile")
            let png = try InputFile.read(shot)
            #expect(png.count > 20_000)
            #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        }
    }

    /// Firefox (Debian's `firefox-esr`), where `make setup` could install it.
    static let firefox: String? = Shell.which("firefox-esr") ?? Shell.which("firefox")

    /// Firefox has no DOM dump: this probe, put first in a copy of the page, reports through the
    /// console (which the test's profile sends to stdout) every script error and console warning
    /// or error, each entry of the key with the numbers of its rendered result, the elements and
    /// namespaces of the MathML, the drawing's nodes, and that it ran to the end. No `<` or `&`.
    static let probe = """
    (function () {
      function say(s) { console.log("PROBE " + s); }
      window.addEventListener("error", function (e) { say("error " + e.message); });
      ["error", "warn"].forEach(function (k) { console[k] = function () { say("console." + k + " " + Array.prototype.join.call(arguments, " ")); }; });
      window.addEventListener("load", function () {
        document.querySelectorAll("div.eq[data-key]").forEach(function (eq) {
          var result = eq.querySelector(".step.result math");
          if (!result) return;
          var numbers = Array.prototype.map.call(result.querySelectorAll("mn"), function (mn) { return mn.textContent; });
          say("key " + eq.getAttribute("data-key") + " = " + numbers.join(" "));
        });
        var tags = {};
        document.querySelectorAll("math, math *").forEach(function (el) {
          tags[(el.namespaceURI === "http://www.w3.org/1998/Math/MathML" ? "" : "!") + el.localName] = true;
        });
        say("math " + Object.keys(tags).join(" "));
        var nodes = document.querySelectorAll("svg a.node");
        var linked = Array.prototype.filter.call(nodes, function (a) {
          return a.getAttribute("tabindex") === "0" ? document.getElementById(a.getAttribute("href").slice(1)) !== null : false;
        });
        say("nodes " + nodes.length + " " + linked.length);
        say("done");
      });
    })();

    """

    /// The probe's reports for `page` (a copy with the probe first in its head) and Firefox's
    /// screenshot of it.
    static func firefoxProbe(_ page: String, screenshot: String, profile: String) throws -> [String] {
        let r = try Shell.run("timeout 120 \(firefox!) --headless --no-remote --profile \(Shell.quote(profile)) --window-size=1200,1400 "
                              + "--screenshot \(Shell.quote(screenshot)) \(Shell.quote("file://" + page))")
        let prefix = "console.log: \"PROBE "
        return r.stdout.split(separator: "\n").filter { $0.hasPrefix(prefix) && $0.hasSuffix("\"") }.map {
            String($0.dropFirst(prefix.count).dropLast()).replacing("\\\"", with: "\"").replacing("\\\\", with: "\\")
        }
    }

    @Test func everyExamplePageRendersInFirefox() throws {
        guard Self.firefox != nil else {
            print("note: SolutionPageTests.everyExamplePageRendersInFirefox skipped: firefox-esr is not installed ('make setup' installs it where it can)")
            return
        }
        try withTemporaryDirectory { dir in
            let profile = "\(dir)/firefox-profile"
            _ = try Shell.run("mkdir -p \(Shell.quote(profile))")
            // Console messages of pages to stdout; no first-run pages.
            try OutputFile.write(profile + "/user.js", """
                user_pref("devtools.console.stdout.content", true);
                user_pref("browser.shell.checkDefaultBrowser", false);
                user_pref("datareporting.policy.dataSubmissionEnabled", false);
                user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);

                """)
            for (name, arguments) in try Self.pages() {
                let html = try CLIRunner.run(["run"] + arguments + ["--format", "html"])
                #expect(html.status == 0, "\(name): \(html.stderr)")
                let probed = html.stdout.replacing("<head>\n", with: "<head>\n<script>//<![CDATA[\n" + Self.probe + "//]]></script>\n", maxReplacements: 1)
                for ext in ["html", "xhtml"] {
                    // As HTML, and read as XML (an XML parser error would stop the probe).
                    let page = "\(dir)/\(name).\(ext)"
                    try OutputFile.write(page, probed)
                    let shot = "\(dir)/\(name)-\(ext).png"
                    let reports = try Self.firefoxProbe(page, screenshot: shot, profile: profile)
                    #expect(reports.last == "done", "firefox, \(name).\(ext): the probe did not finish: \(reports.suffix(3))")
                    let png = try InputFile.read(shot)
                    #expect(Array(png.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "firefox, \(name).\(ext): no screenshot")
                    let problems = reports.filter { $0.hasPrefix("error ") || $0.hasPrefix("console.") }
                    #expect(problems.isEmpty, "firefox, \(name).\(ext): \(problems)")
                    let math = reports.first { $0.hasPrefix("math ") }.map { $0.dropFirst(5).split(separator: " ").map(String.init) } ?? []
                    #expect(!math.isEmpty && Set(math).isSubset(of: Self.mathElements), "firefox, \(name).\(ext): MathML elements \(math)")
                    let nodes = reports.first { $0.hasPrefix("nodes ") }.map { $0.dropFirst(6).split(separator: " ").compactMap { Int($0) } } ?? []
                    #expect(nodes.count == 2 && nodes[0] > 0 && nodes[0] == nodes[1], "firefox, \(name).\(ext): drawing nodes (all, focusable and linked) \(nodes)")
                    guard ext == "html" else { continue }
                    let results = reports.filter { $0.hasPrefix("key ") }.map { r -> (key: String, numbers: [String]) in
                        let body = r.dropFirst(4)
                        let eq = body.firstRange(of: " = ")!
                        return (String(body[..<eq.lowerBound]), body[eq.upperBound...].split(separator: " ").map(String.init))
                    }
                    Self.expectKey(results, try Self.expectedResults(arguments), page: name, browser: "firefox")
                }
            }
            let png = try InputFile.read("\(dir)/gomez-html.png")
            #expect(png.count > 20_000)
        }
    }
}
