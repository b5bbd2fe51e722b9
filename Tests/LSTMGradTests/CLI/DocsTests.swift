import LSTMGrad
import LSTMGradFuzz
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Docs that cannot drift: every command shown in README.md and docs/*.md is run, and what it
/// prints is compared with what the document shows under it.
///
/// The convention (also in docs/architecture.md, "Documentation"):
/// - A *session* is a fenced code block (``` or ~~~, any language tag) whose first line starts
///   with "$ ". Each line in it that starts with "$ " is a command; the lines after it, up to
///   the next "$ " line or the end of the block, are what it prints: standard output and
///   standard error together, as a terminal shows them.
/// - Commands run with /bin/sh, one after the other, in a scratch copy of docs/examples/ (a new
///   one per document, so a command sees the files the commands before it wrote), with the
///   built lstm-grad first on PATH, COLUMNS and NO_COLOR unset and nothing on standard input.
///   A reader replays a document from docs/examples/ (`cd docs/examples`).
/// - `$ echo $?` prints the exit status of the command before it. A command that exits with a
///   status other than 0 must be followed by `$ echo $?` and the status: a failure is always
///   shown as one. (`; echo $?` on the command's own line is not the convention.)
/// - In the shown output, a line that is only "…" matches any run of lines, none included; a
///   "…" inside a line matches any run of characters within that line. Spaces at the end of a
///   line are ignored.
/// - A fenced block that is not a session may not show a command line ("$ lstm-grad …" or
///   "lstm-grad …"): every command the docs show is run.
@Suite struct DocsTests {
    static let documents: [String] = {
        ["README.md"] + listDirectory(Fixtures.root + "/docs").filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    @Test(arguments: documents)
    func shownOutputsAreWhatTheCommandsPrint(_ document: String) throws {
        let doc = try DocDocument(path: document)
        for problem in doc.problems { Issue.record(Comment(rawValue: problem)) }
        guard !doc.sessions.isEmpty else { return }
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let copy = try Shell.run("cp -R docs/examples/. \(Shell.quote(dir))/")
        #expect(copy.status == 0, "\(copy.stderr)")
        var status: Int32 = 0
        for session in doc.sessions {
            for (k, command) in session.commands.enumerated() {
                let run = try DocRunner.run(command.line, previousStatus: status, in: dir)
                if let failure = DocMatch.failure(expected: command.expected, actual: run.output) {
                    Issue.record(Comment(rawValue: "\(document):\(command.lineNumber): the output of\n  $ \(command.line)\ndrifted from the document (- shown, + printed):\n\(failure)"))
                }
                let next = k + 1 < session.commands.count ? session.commands[k + 1].line : nil
                if run.status != 0 && command.line != "echo $?" && next != "echo $?" {
                    Issue.record(Comment(rawValue: "\(document):\(command.lineNumber): '$ \(command.line)' exits with status \(run.status); show it with a '$ echo $?' line after it"))
                }
                status = run.status
            }
        }
    }

    /// How many commands the docs test runs (the count is printed), and that the extraction
    /// finds them: a change that silently skipped sessions would show up here.
    @Test func countsTheShownCommands() throws {
        var total = 0, tool = 0
        var perDocument: [String] = []
        for document in Self.documents {
            let doc = try DocDocument(path: document)
            let commands = doc.sessions.flatMap(\.commands)
            total += commands.count
            tool += commands.filter { $0.line.contains("lstm-grad") }.count
            perDocument.append("\(document) \(commands.count)")
        }
        print("note: the docs test runs \(total) shown commands, \(tool) of them calling lstm-grad (\(perDocument.joined(separator: ", ")))")
        #expect(tool >= 60, "only \(tool) lstm-grad commands found in the docs")
        #expect(Self.documents.count >= 8)
    }

    /// The README is a short entry point (≤ 300 lines), and every document says first whom it
    /// is for.
    @Test func readmeIsShortAndDocumentsSayWhoTheyAreFor() throws {
        let readme = String(decoding: try InputFile.read(Fixtures.root + "/README.md"), as: UTF8.self)
        let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(lines <= 300, "README.md has \(lines) lines")
        for document in Self.documents where document.hasPrefix("docs/") {
            let text = String(decoding: try InputFile.read(Fixtures.root + "/" + document), as: UTF8.self)
            let paragraphs = text.split(separator: "\n\n")
            #expect(paragraphs.count > 2 && paragraphs[0].hasPrefix("# ") && paragraphs[1].hasPrefix("For "),
                    "\(document) should open with its title and a paragraph 'For …' saying whom it is for")
            #expect(readme.contains("(" + document + ")"), "the README does not link \(document)")
        }
    }

    /// The matcher itself: what "…" matches, and the diff it prints.
    @Test func matcherConvention() {
        #expect(DocMatch.failure(expected: ["a", "…", "d"], actual: ["a", "b", "c", "d"]) == nil)
        #expect(DocMatch.failure(expected: ["a", "…", "b"], actual: ["a", "b"]) == nil)
        #expect(DocMatch.failure(expected: ["x = … ms"], actual: ["x = 0.52 ms"]) == nil)
        #expect(DocMatch.failure(expected: ["a  "], actual: ["a"]) == nil)
        #expect(DocMatch.failure(expected: [], actual: []) == nil)
        #expect(DocMatch.failure(expected: ["a"], actual: ["a", "b"]) == "  a\n+ b")
        #expect(DocMatch.failure(expected: ["a", "b"], actual: ["a", "c"]) == "  a\n- b\n+ c")
        #expect(DocMatch.failure(expected: ["a", "…", "q"], actual: ["a", "b", "c", "d"]) == "  a\n  …\n- q")
        #expect(DocMatch.failure(expected: ["…", "z"], actual: ["a", "b"]) != nil)
        #expect(DocMatch.failure(expected: ["x = … s"], actual: ["x = 1 ms"]) != nil)
    }

    /// The error specs errors.md runs are the fixtures ErrorMessageTests checks, byte for byte.
    @Test func documentedErrorSpecsAreTheFixtures() throws {
        let names = listDirectory(Fixtures.root + "/docs/examples/errors").sorted()
        #expect(names.count >= 10)
        for name in names {
            #expect(try InputFile.read(Fixtures.root + "/docs/examples/errors/" + name) == InputFile.read(Fixtures.path("errors/" + name)),
                    "docs/examples/errors/\(name) differs from fixtures/errors/\(name)")
        }
    }

    /// docs/decay.svg is what analysis.md's command writes.
    @Test func decayPlotIsUpToDate() throws {
        try withTemporaryDirectory { dir in
            let r = try CLIRunner.run(["analyze", "--example", "rnn-vanishing", "--svg", dir + "/decay.svg"])
            #expect(r.status == 0)
            #expect(try InputFile.read(dir + "/decay.svg") == InputFile.read(Fixtures.root + "/docs/decay.svg"),
                    "docs/decay.svg is out of date: cd docs && lstm-grad analyze --example rnn-vanishing --svg decay.svg")
        }
    }
}

/// A markdown document's sessions, and what is wrong with its blocks.
struct DocDocument {
    struct Command {
        var line: String
        var lineNumber: Int
        var expected: [String]
    }

    struct Session {
        var commands: [Command]
    }

    var sessions: [Session] = []
    var problems: [String] = []

    init(path: String) throws {
        let text = String(decoding: try InputFile.read(Fixtures.root + "/" + path), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var k = 0
        while k < lines.count {
            let fence = lines[k].trimmingWhitespace()
            guard fence.hasPrefix("```") || fence.hasPrefix("~~~") else { k += 1; continue }
            let marker = String(fence.prefix(3))
            var body: [(Int, String)] = []
            k += 1
            while k < lines.count && !lines[k].trimmingWhitespace().hasPrefix(marker) {
                body.append((k + 1, lines[k]))
                k += 1
            }
            k += 1
            if let first = body.first, first.1.hasPrefix("$ ") {
                var commands: [Command] = []
                for (number, line) in body {
                    if line.hasPrefix("$ ") {
                        commands.append(Command(line: String(line.dropFirst(2)), lineNumber: number, expected: []))
                    } else {
                        commands[commands.count - 1].expected.append(line)
                    }
                }
                sessions.append(Session(commands: commands))
            } else {
                for (number, line) in body where line.hasPrefix("$ lstm-grad") || line.hasPrefix("lstm-grad ") {
                    problems.append("\(path):\(number): '\(line)' is shown but not run: make its block a session (its first line '$ …')")
                }
            }
        }
    }
}

/// Runs one shown command as the convention says.
enum DocRunner {
    struct Output {
        var status: Int32
        var output: [String]
    }

    static func run(_ line: String, previousStatus: Int32, in dir: String) throws -> Output {
        var env = CLIRunner.plainEnvironment()
        let binDir = String(CLIRunner.binary.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/"))
        env["PATH"] = binDir + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        // Both streams into one pipe, in the order they are written; `(exit N)` sets $?.
        let script = "exec 2>&1\n(exit \(previousStatus))\n\(line)\n"
        let outcome = FuzzRunner.run("/usr/bin/env", ["-C", dir, "/bin/sh", "-c", script], stdin: [], timeout: 600, environment: env)
        if outcome.timedOut { throw CLIRunner.SpawnError(description: "'\(line)' timed out") }
        var text = String(decoding: outcome.stdout, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return Output(status: outcome.status, output: text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }
}

/// Compares shown lines (with "…") with printed lines.
enum DocMatch {
    static let ellipsis = "…"

    static func trimmed(_ s: String) -> String {
        var t = Substring(s)
        while t.last == " " { t.removeLast() }
        return String(t)
    }

    /// One shown line against one printed line: equal, or "…" inside matching any characters.
    static func lineMatches(_ pattern: String, _ line: String) -> Bool {
        let p = trimmed(pattern), l = trimmed(line)
        guard p.contains(ellipsis) else { return p == l }
        let parts = p.pieces(separatedBy: ellipsis)
        guard l.hasPrefix(parts[0]) else { return false }
        var rest = Substring(l.dropFirst(parts[0].count))
        for (n, part) in parts.enumerated().dropFirst() {
            if n == parts.count - 1 { return rest.hasSuffix(part) && rest.count >= part.count }
            guard let r = rest.firstRange(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    /// nil when `actual` matches `expected`, else a diff: "  " common, "- " shown only, "+ "
    /// printed only, "  …" where a shown "…" stands for printed lines; unchanged stretches
    /// longer than 7 lines are cut to 3 lines of context around each change.
    static func failure(expected: [String], actual: [String]) -> String? {
        if matches(expected[...], actual[...]) { return nil }
        return diff(expected, actual)
    }

    static func matches(_ e: ArraySlice<String>, _ a: ArraySlice<String>) -> Bool {
        // Dynamic programming over (shown, printed) positions; "…" lines match any run.
        var reach = [Bool](repeating: false, count: a.count + 1)
        reach[0] = true
        for p in e {
            var next = [Bool](repeating: false, count: a.count + 1)
            if trimmed(p) == ellipsis {
                var any = false
                for j in 0...a.count {
                    any = any || reach[j]
                    next[j] = any
                }
            } else {
                for j in 0..<a.count where reach[j] && lineMatches(p, a[a.startIndex + j]) { next[j + 1] = true }
            }
            reach = next
        }
        return reach[a.count]
    }

    /// The cheapest alignment (one per shown line dropped or printed line added; a "…" absorbs
    /// printed lines for free), written as a diff.
    static func diff(_ e: [String], _ a: [String]) -> String {
        let n = e.count, m = a.count
        // cost[i][j]: the cheapest alignment of e[i...] with a[j...].
        var cost = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n, through: 0, by: -1) {
            for j in stride(from: m, through: 0, by: -1) {
                if i == n { cost[i][j] = m - j; continue }
                if trimmed(e[i]) == ellipsis {
                    cost[i][j] = j < m ? min(cost[i + 1][j], cost[i][j + 1]) : cost[i + 1][j]
                    continue
                }
                var best = cost[i + 1][j] + 1
                if j < m {
                    best = min(best, cost[i][j + 1] + 1)
                    if lineMatches(e[i], a[j]) { best = min(best, cost[i + 1][j + 1]) }
                }
                cost[i][j] = best
            }
        }
        var lines: [(mark: Character, text: String)] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n && trimmed(e[i]) == ellipsis {
                if j < m && cost[i][j] == cost[i][j + 1] {
                    if lines.last?.text != ellipsis || lines.last?.mark != " " { lines.append((" ", ellipsis)) }
                    j += 1
                } else {
                    i += 1
                }
            } else if i < n && j < m && lineMatches(e[i], a[j]) && cost[i][j] == cost[i + 1][j + 1] {
                lines.append((" ", a[j])); i += 1; j += 1
            } else if i < n && cost[i][j] == cost[i + 1][j] + 1 {
                lines.append(("-", e[i])); i += 1
            } else {
                lines.append(("+", a[j])); j += 1
            }
        }
        // Context: keep 3 lines either side of a change.
        let changed = lines.indices.filter { lines[$0].mark != " " }
        var keep = Set<Int>()
        for c in changed { for k in max(0, c - 3)...min(lines.count - 1, c + 3) { keep.insert(k) } }
        var out: [String] = []
        var skipped = false
        for (k, l) in lines.enumerated() {
            if keep.contains(k) {
                if skipped { out.append("  (unchanged lines)") }
                skipped = false
                out.append("\(l.mark) " + l.text)
            } else {
                skipped = true
            }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    /// The pieces between occurrences of `separator` (without Foundation).
    func pieces(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            parts.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
