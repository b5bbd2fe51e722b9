import LSTMGrad
import Testing

/// `--show-work` prints its operands rounded, so a printed sum need not add up at the printed
/// precision (issue 12, bug 5): the work says so in its header, in every format, and writes a
/// negative operand in parentheses.
@Suite struct ShowWorkPrecisionTests {
    static let note = "work: numbers in the equations are rounded to 5 decimals for display; every result is computed from the unrounded values"

    /// The published example's δout_0 = Δ_0 + Δout_0: the printed operands add to 0.01803, the
    /// printed result is 0.01804 (Δ_0 + Δout_0 at full precision, rounded once).
    @Test func textSaysTheOperandsAreRounded() throws {
        let out = try CLIRunner.run(["run", "fixtures/gomez.json", "--show-work"])
        #expect(out.status == 0, "\(out.stderr)")
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // The header: spec, model, loss, SGD, then the note, before the first section.
        #expect(lines.prefix(6).contains(Self.note), "\(lines.prefix(6))")
        let line = "  δout_0 = Δ_0 + Δout_0 = 0.03631 + (-0.01828) = 0.01804   (output-layer term + recurrent term)"
        #expect(lines.contains(line), "\(out.stdout)")
        #expect(abs((0.03631 + -0.01828) - 0.01803) < 1e-12)  // what the printed operands give

        let three = try CLIRunner.run(["run", "fixtures/gomez.json", "--show-work", "--precision", "3"])
        #expect(three.stdout.contains("work: numbers in the equations are rounded to 3 decimals for display;"))
        // Without the work, no note.
        let plain = try CLIRunner.run(["run", "fixtures/gomez.json"])
        #expect(!plain.stdout.contains("work: numbers"))
    }

    @Test func markdownAndLatexSayItToo() throws {
        let md = try CLIRunner.run(["run", "fixtures/gomez.json", "--format", "markdown"])
        #expect(md.status == 0)
        #expect(md.stdout.contains("\n- " + Self.note + "\n"), "\(md.stdout.prefix(600))")
        #expect(md.stdout.contains(" = 0.03631 + (-0.01828) = 0.01804$"))
        let tex = try CLIRunner.run(["run", "fixtures/gomez.json", "--format", "latex"])
        #expect(tex.status == 0)
        #expect(tex.stdout.contains("\n  \\item " + Self.note + "\n"), "\(tex.stdout.prefix(800))")
        #expect(tex.stdout.contains(" = 0.03631 + (-0.01828) = 0.01804$"))
    }
}
