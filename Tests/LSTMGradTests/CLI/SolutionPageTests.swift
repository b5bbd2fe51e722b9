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

    /// The attribute values after each `marker` (` id="`, `href="#`).
    static func attributes(_ html: String, after marker: String) -> [String] {
        html.split(separator: marker, omittingEmptySubsequences: false).dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    /// Every link of every example's page (a node to its equation, an operand to where it is
    /// computed or given) has its target, and no id is used twice.
    @Test func everyLinkHasItsTarget() throws {
        let names = try CLIRunner.run(["examples"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        for name in names {
            let page = try CLIRunner.run(["run", "--example", name, "--format", "html"]).stdout
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

    @Test func everyExamplePageRendersInChromium() throws {
        guard Self.chromium != nil else {
            print("note: SolutionPageTests.everyExamplePageRendersInChromium skipped: chromium is not installed ('make setup' installs it)")
            return
        }
        let names = try CLIRunner.run(["examples"]).stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(names.count >= 10)
        try withTemporaryDirectory { dir in
            for name in names {
                let html = try CLIRunner.run(["run", "--example", name, "--format", "html"])
                #expect(html.status == 0, "\(name): \(html.stderr)")
                let page = "\(dir)/\(name).html"
                try OutputFile.write(page, html.stdout)
                let dom = try Self.browser("--dump-dom", page: page, profile: "\(dir)/profile")
                #expect(dom.status == 0, "\(name): \(dom.stderr)")
                // No console message at all: no script error, no warning.
                let console = dom.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }
                #expect(console.isEmpty, "\(name): \(console)")
                // Every quantity of --format json is in the rendered key with its value as printed.
                let json = try JSONOutput.quantities(try CLIRunner.run(["run", "--example", name, "--format", "json"]).stdout)
                let results = Dictionary(Self.keyResults(dom.stdout).map { ($0.key, $0.numbers) }, uniquingKeysWith: { a, _ in a })
                for (key, numbers) in json {
                    let expected = numbers.map { x -> String in
                        var b = OutputBuffer()
                        b.writeFixed(x, decimals: 5)
                        return b.text
                    }
                    #expect(results[key] == expected, "\(name): \(key) shows \(results[key] ?? []), expected \(expected)")
                }
                // The MathML is MathML Core's elements only, with no error element.
                for math in dom.stdout.split(separator: "<math", omittingEmptySubsequences: false).dropFirst() {
                    let body = math[..<(math.firstRange(of: "</math>")?.lowerBound ?? math.endIndex)]
                    for tag in body.split(separator: "<", omittingEmptySubsequences: false).dropFirst() where !tag.hasPrefix("/") {
                        let element = String(tag.prefix { $0.isLetter })
                        #expect(Self.mathElements.contains(element) || element.isEmpty, "\(name): <\(element)> in MathML")
                    }
                }
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
}
