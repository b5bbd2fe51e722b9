/// The formats `check --format` writes a gradebook in. One switch picks the renderer; a new
/// format is a new case here and its renderer beside the others (`Gradebook+Format.swift`).
public enum CheckFormat: String, CaseIterable, Sendable {
    /// Per-answer lines for one file (or with `--detail`), a summary row per file for many.
    case text
    /// Every file, every item: name, given, expected, status, diagnosis, points.
    case json
    /// One row per item of every file (the fields of `json`).
    case csv
    /// One row per file: the counts, the score, the points of every expected answer.
    case gradebook
    /// Gradescope's autograder results.json for one submission.
    case gradescope
    /// A page of one submission to hand back: ✓/✗, the true value, the diagnosis, each equation.
    case html

    /// Whether the format describes one submission only.
    public var oneSubmission: Bool { self == .gradescope || self == .html }

    public func render(_ book: Gradebook, report: Report, detail: Bool, color: Bool, into out: inout OutputBuffer) {
        switch self {
        case .text: book.renderText(detail: detail, color: color, into: &out)
        case .json: book.renderJSON(into: &out)
        case .csv: book.renderItemsCSV(into: &out)
        case .gradebook: book.renderGradebookCSV(into: &out)
        case .gradescope: book.renderGradescope(into: &out)
        case .html:
            if let s = book.submissions.first {
                CheckPage().render(s.check, report: report, title: "lstm-grad check: " + s.file, into: &out)
            }
        }
    }
}
