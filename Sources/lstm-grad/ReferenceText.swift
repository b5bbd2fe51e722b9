import LSTMGrad

/// Formats reference blocks (the spec format, a command's discussion) for the terminal, for a
/// markdown document and for the man page. Formats only: the words come from `SpecReference`
/// and the commands' tables.
enum ReferenceText {
    typealias Block = SpecReference.Block

    /// The width text output wraps at.
    static let width = 96

    // MARK: text

    /// Blocks for the terminal, each line starting with `indent` spaces.
    static func text(_ blocks: [Block], indent: Int = 2) -> String {
        let pad = String(repeating: " ", count: indent)
        var parts: [String] = []
        for block in blocks {
            switch block {
            case .text(let s):
                parts.append(wrap(s, width: width, first: pad, rest: pad))
            case .lines(let lines):
                parts.append(lines.map { pad + "  " + $0 + "\n" }.joined())
            case .fields(let fields):
                let column = max(12, (fields.map { $0.name.unicodeScalars.count }.max() ?? 0) + 2)
                var s = ""
                for f in fields {
                    let name = f.name.unicodeScalars.count + 1 >= column ? f.name + "\n" + pad + String(repeating: " ", count: column)
                                                                           : f.name.padding(column)
                    s += wrap(f.meaning, width: width, first: pad + name, rest: pad + String(repeating: " ", count: column))
                }
                parts.append(s)
            case .example(let e):
                parts.append(pad + "Example: \(e.caption)\n" + e.json.split(separator: "\n", omittingEmptySubsequences: false).map { pad + "  " + $0 + "\n" }.joined())
            }
        }
        return parts.joined(separator: "\n")
    }

    /// One section of the reference: its title in capitals, then its blocks.
    static func text(_ section: SpecReference.Section) -> String {
        capitals(section.title) + "\n" + text(section.blocks)
    }

    /// `help spec`: the whole reference.
    static func specText() -> String {
        var s = "lstm-grad help spec: \(SpecReference.title)\n\n"
        s += text(SpecReference.introduction, indent: 0)
        s += wrap("Each part below is also its own topic: " + SpecReference.sections.map { "'lstm-grad help \($0.topic)'" }.joined(separator: ", ") + ".",
                  width: width, first: "", rest: "")
        for section in SpecReference.sections { s += "\n" + text(section) }
        return s
    }

    /// `help TOPIC` for one part of the reference.
    static func topicText(_ section: SpecReference.Section) -> String {
        "lstm-grad help \(section.topic): \(section.summary) (part of 'lstm-grad help spec')\n\n" + text(section)
    }

    /// Upper case, except inside double quotes (`Model "rnn"` becomes `MODEL "rnn"`).
    static func capitals(_ s: String) -> String {
        var out = ""
        var quoted = false
        for ch in s {
            if ch == "\"" { quoted.toggle() }
            out += quoted ? String(ch) : ch.uppercased()
        }
        return out
    }

    /// Words of `s` filled to `width` columns; the first line starts with `first`, the others
    /// with `rest`.
    static func wrap(_ s: String, width: Int, first: String, rest: String) -> String {
        var out = ""
        var line = first
        var lineHasWord = false
        for word in s.split(separator: " ", omittingEmptySubsequences: true) {
            let w = String(word)
            if lineHasWord && line.unicodeScalars.count + 1 + w.unicodeScalars.count > width {
                out += line + "\n"
                line = rest + w
            } else {
                line += (lineHasWord ? " " : "") + w
            }
            lineHasWord = true
        }
        return out + line + "\n"
    }

    // MARK: markdown

    static func markdown(_ blocks: [Block], exampleHeading: String = "###") -> String {
        var parts: [String] = []
        for block in blocks {
            switch block {
            case .text(let s):
                parts.append(wrap(s, width: 100, first: "", rest: ""))
            case .lines(let lines):
                parts.append("```text\n" + lines.map { $0 + "\n" }.joined() + "```\n")
            case .fields(let fields):
                parts.append(fields.map { wrap("`\($0.name)`: " + $0.meaning, width: 100, first: "- ", rest: "  ") }.joined())
            case .example(let e):
                parts.append("\(exampleHeading) Example: \(e.caption)\n\n```json\n" + e.json + "\n```\n")
            }
        }
        return parts.joined(separator: "\n")
    }

    /// docs/spec.md: the whole reference as a document.
    static func specMarkdown() -> String {
        var s = """
            # The spec format

            For anyone writing or editing a spec by hand: every key, model, weight layout, head, loss and
            notation, with a minimal example of each that runs (`make test` runs every one). This file is
            generated by `make docs` from `Sources/LSTMGrad/Spec/SpecReference.swift`, the source of
            `lstm-grad help spec` and of the man page's SPEC FORMAT as well: edit that file, not this one.

            Contents:
            """
        s += " " + SpecReference.sections.map { "[\($0.title)](#\(anchor($0.title)))" }.joined(separator: " · ") + "\n\n"
        s += markdown(SpecReference.introduction)
        s += "\n" + wrap("Each part is also printed by `lstm-grad help TOPIC`: " + SpecReference.sections.map { "`\($0.topic)`" }.joined(separator: ", ") + ".",
                         width: 100, first: "", rest: "")
        for section in SpecReference.sections {
            s += "\n## \(section.title)\n\n" + markdown(section.blocks)
        }
        return s
    }

    /// GitHub's heading anchor: lower case, spaces to '-', punctuation dropped.
    static func anchor(_ title: String) -> String {
        var out = ""
        for ch in title.lowercased() {
            if ch == " " { out += "-" } else if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" { out.append(ch) }
        }
        return out
    }

    // MARK: roff

    /// Blocks as man page source (inside a section).
    static func roff(_ blocks: [Block]) -> String {
        var s = ""
        for block in blocks {
            switch block {
            case .text(let t):
                s += ".PP\n" + roffEscape(t) + "\n"
            case .lines(let lines):
                s += ".PP\n.RS 4\n.nf\n" + lines.map { roffEscape($0) + "\n" }.joined() + ".fi\n.RE\n"
            case .fields(let fields):
                for f in fields { s += ".TP\n.B \(roffArgument(f.name))\n" + roffEscape(f.meaning) + "\n" }
            case .example(let e):
                s += ".PP\nExample: " + roffEscape(e.caption) + "\n.PP\n.RS 4\n.nf\n"
                s += e.json.split(separator: "\n", omittingEmptySubsequences: false).map { roffEscape(String($0)) + "\n" }.joined()
                s += ".fi\n.RE\n"
            }
        }
        return s
    }

    /// Text for roff: backslashes and minus signs escaped, a leading '.' or '\'' protected, and
    /// every character outside ASCII written as \[uXXXX], so that any groff renders it without
    /// a preprocessor (∂ is \[u2202], not \(*p, which is π).
    static func roffEscape(_ s: String) -> String {
        var out = ""
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            if !out.isEmpty { out += "\n" }
            if line.hasPrefix(".") || line.hasPrefix("'") { out += "\\&" }
            for u in line.unicodeScalars {
                switch u {
                case "\\": out += "\\e"
                case "-": out += "\\-"
                default:
                    if u.value < 128 {
                        out.unicodeScalars.append(u)
                    } else {
                        let hex = String(u.value, radix: 16, uppercase: true)
                        out += "\\[u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + "]"
                    }
                }
            }
        }
        return out
    }

    /// A macro argument: escaped, with its double quotes as \(dq, in quotes when it has spaces.
    static func roffArgument(_ s: String) -> String {
        let e = roffEscape(s).split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\\(dq")
        return e.contains(" ") ? "\"" + e + "\"" : e
    }
}
