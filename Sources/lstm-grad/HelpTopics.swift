import LSTMGrad

/// `lstm-grad help TOPIC`: references that are not a command. A topic is a name, a one-line
/// summary and its text in each help format; the spec format and each of its parts come from
/// `SpecReference`, so that `help`, the man page and docs/spec.md say the same.
struct HelpTopic: Sendable {
    var name: String
    var summary: String
    var text: @Sendable () -> String
    var markdown: @Sendable () -> String
}

extension CLI {
    static let helpTopics: [HelpTopic] = [
        HelpTopic(name: "spec", summary: "the spec file format: every key, model, layout, head, loss and notation",
                  text: { ReferenceText.specText() }, markdown: { ReferenceText.specMarkdown() }),
    ] + SpecReference.sections.map { section in
        HelpTopic(name: section.topic, summary: section.summary,
                  text: { ReferenceText.topicText(section) },
                  markdown: { "## \(section.title)\n\n" + ReferenceText.markdown(section.blocks) })
    }

    /// The formats `help` prints in: the terminal's, a markdown document, the man page.
    static let helpFormats = ["text", "markdown", "man"]

    /// `lstm-grad help [COMMAND | TOPIC] [--format text|markdown|man]`.
    static func help(_ args: [String], out: inout OutputBuffer) throws(CLIError) {
        let options = [OptionSpec(name: "format", value: "FORMAT", help: "text (default), markdown (a topic as a document) or man (the whole manual page)",
                                  choices: helpFormats),
                       OptionSpec(name: "help", value: nil, help: "show the overview")]
        let parsed = try ParsedArguments.parse(args, allowed: options, command: "help")
        let format = try parsed.choice("format", default: "text", among: helpFormats, command: "help")
        guard parsed.positionals.count <= 1 else {
            throw .usage("help takes one command or topic, found \(parsed.positionals.count)", command: nil)
        }
        guard let name = parsed.positionals.first else {
            switch format {
            case "man": out.write(ManPage.render())
            case "markdown": throw .usage("--format markdown prints a topic, e.g. 'lstm-grad help spec --format markdown'", command: nil)
            default: out.write(overviewText())
            }
            return
        }
        if format == "man" {
            throw .usage("the manual page is printed whole: 'lstm-grad help --format man'", command: nil)
        }
        if let c = commands.first(where: { $0.name == name }) {
            guard format == "text" else { throw .usage("--format markdown prints a topic; '\(name)' is a command", command: nil) }
            out.write(helpText(c))
        } else if let topic = helpTopics.first(where: { $0.name == name }) {
            out.write(format == "markdown" ? topic.markdown() : topic.text())
        } else {
            let names = commands.map { $0.name } + helpTopics.map(\.name)
            let near = suggestion(for: name, among: names)
            throw .usage("no help for '\(name)'" + (near.map { "; did you mean '\($0)'?" } ?? "")
                         + " (commands and topics: \(names.joined(separator: ", ")))", command: nil)
        }
    }
}
