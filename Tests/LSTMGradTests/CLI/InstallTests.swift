import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `make install` into a temporary PREFIX, the installed binary, man page and completions, and
/// `make uninstall` leaving nothing behind. Installs the debug binary the tests built
/// (`make install-files BIN=…`): `make install` only adds the release build in front.
@Suite(.serialized) struct InstallTests {
    static let files = [
        "bin/lstm-grad",
        "share/man/man1/lstm-grad.1",
        "share/bash-completion/completions/lstm-grad",
        "share/zsh/site-functions/_lstm-grad",
        "share/fish/vendor_completions.d/lstm-grad.fish",
    ]

    @Test func installRunUninstall() throws {
        let tmp = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(tmp) }
        let prefix = tmp + "/prefix"
        // A file already there that is not ours must survive uninstall.
        _ = try Shell.run("mkdir -p \(prefix)/share/man/man1 && echo other > \(prefix)/share/man/man1/other.1")

        let install = try Shell.run("make -s install-files PREFIX=\(Shell.quote(prefix)) BIN=\(Shell.quote(CLIRunner.binary))")
        #expect(install.status == 0, "\(install.stderr)")
        for f in Self.files {
            #expect(access(prefix + "/" + f, F_OK) == 0, "\(f) not installed")
        }

        // The installed binary runs, from anywhere, with its embedded examples.
        let bin = Shell.quote(prefix + "/bin/lstm-grad")
        let version = try Shell.run("cd / && \(bin) --version")
        #expect(version.stdout == "lstm-grad \(Self.version)\n")
        let run = try Shell.run("cd / && \(bin) run --example gomez")
        #expect(run.status == 0)
        #expect(run.stdout.contains("  a_0     = 0.81775\n"))

        // The man page renders without warnings and documents every command.
        let man = try Shell.run("groff -man -Tutf8 -ww \(prefix)/share/man/man1/lstm-grad.1 | col -b")
        #expect(man.status == 0)
        #expect(man.stderr.isEmpty, "groff warnings: \(man.stderr)")
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "SPEC FORMAT", "ENVIRONMENT", "EXIT STATUS", "EXAMPLES"] {
            #expect(man.stdout.contains("\n" + section + "\n"), "man page lacks \(section)")
        }
        for command in ["run", "check", "gradcheck", "analyze", "init", "examples", "completions", "help"] {
            #expect(man.stdout.contains("lstm-grad \(command)"), "man page lacks \(command)")
        }
        if access("/usr/bin/man", X_OK) == 0 {
            let viaMan = try Shell.run("MANPATH=\(prefix)/share/man man -P cat lstm-grad 2>&1 | col -b")
            #expect(viaMan.stdout.contains("EXIT STATUS"))
        }

        // The installed bash completion loads and completes commands, options and values.
        let completion = prefix + "/share/bash-completion/completions/lstm-grad"
        func complete(_ words: String) throws -> String {
            let script = "source \(Shell.quote(completion)); COMP_WORDS=(\(words)); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _lstm_grad; echo \"${COMPREPLY[*]}\""
            return try Shell.run("bash -c \(Shell.quote(script))").stdout
        }
        #expect(try complete("lstm-grad ru") == "run\n")
        #expect(try complete("lstm-grad run --form") == "--format\n")
        #expect(try complete("lstm-grad run --for") == "--format --force\n")
        #expect(try complete("lstm-grad run --format ''") == "text json markdown latex csv html\n")
        #expect(try complete("lstm-grad run --example go") == "gomez\n")
        #expect(try complete("lstm-grad init --head s") == "sigmoid softmax\n")
        #expect(try complete("lstm-grad help sp") == "spec\n")
        #expect(try complete("lstm-grad completions z") == "zsh\n")

        let uninstall = try Shell.run("make -s uninstall PREFIX=\(Shell.quote(prefix))")
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        let left = try Shell.run("cd \(Shell.quote(tmp)) && find . | sort")
        #expect(left.stdout == """
            .
            ./prefix
            ./prefix/share
            ./prefix/share/man
            ./prefix/share/man/man1
            ./prefix/share/man/man1/other.1

            """)
        // With nothing else there, uninstall removes the prefix it created too.
        let prefix2 = tmp + "/fresh"
        #expect(try Shell.run("make -s install-files PREFIX=\(prefix2) BIN=\(Shell.quote(CLIRunner.binary))").status == 0)
        #expect(try Shell.run("make -s install-files PREFIX=\(prefix2) BIN=\(Shell.quote(CLIRunner.binary))").status == 0)
        #expect(try Shell.run("make -s uninstall PREFIX=\(prefix2)").status == 0)
        #expect(access(prefix2, F_OK) != 0, "uninstall left \(prefix2)")
    }

    /// The man page documents every command and every option of `CLI.commands` (read from
    /// each command's --help, so a new option without a man page entry fails here).
    @Test func manPageDocumentsEveryOption() throws {
        let man = String(decoding: try InputFile.read(Fixtures.root + "/docs/lstm-grad.1"), as: UTF8.self)
        let overview = try CLIRunner.run(["--help"]).stdout
        let commands = overview.split(separator: "\n").drop { $0 != "commands:" }.dropFirst()
            .prefix { $0.hasPrefix("  ") }.map { String($0.trimmingWhitespace().prefix { $0 != " " }) }
        #expect(commands.count >= 4)
        for c in commands {
            #expect(man.contains(".SS \"lstm-grad \(c)"), "man page: no section for \(c)")
            let help = try CLIRunner.run([c, "--help"]).stdout
            let options = help.split(separator: "\n").drop { $0 != "options:" }.dropFirst().prefix { $0.hasPrefix("  --") }
            for line in options {
                let name = String(line.trimmingWhitespace().prefix { $0 != " " })
                guard name != "--help" else { continue }
                let roff = name.split(separator: "-", omittingEmptySubsequences: false).joined(separator: "\\-")
                #expect(man.contains(roff), "man page: \(c) \(name) is not documented")
            }
        }
    }

    static var version: String {
        (try? CLIRunner.run(["--version"]).stdout.dropFirst("lstm-grad ".count).trimmingWhitespace()) ?? "?"
    }

    /// Every script parses in its shell (bash always; zsh and fish when installed, and the test
    /// case is reported as skipped, with the reason, when the shell is not).
    @Test(arguments: ["bash", "zsh", "fish"])
    func completionScriptsParse(_ shell: String) throws {
        let r = try CLIRunner.run(["completions", shell])
        #expect(r.status == 0)
        #expect(r.stdout.contains("lstm-grad"))
        for c in ["run", "init", "examples", "completions"] { #expect(r.stdout.contains(c)) }
        for option in ["format", "precision", "example", "color", "seed", "head", "loss"] {
            #expect(r.stdout.contains(option), "\(shell) completion lacks --\(option)")
        }
        guard Shell.which(shell) != nil else {
            let why = "\(shell) is not installed, so its completion script was checked for content but not parsed"
            print("note: completionScriptsParse(\(shell)) skipped: \(why)")
            try Test.cancel(Comment(rawValue: why))
        }
        let dir = try TemporaryDirectory.make()
        defer { TemporaryDirectory.removeTree(dir) }
        let path = dir + "/lstm-grad.\(shell)"
        _ = try Shell.run("\(Shell.quote(CLIRunner.binary)) completions \(shell) > \(path)")
        let check = try Shell.run("\(shell) -n \(path)")
        #expect(check.status == 0, "\(shell) -n: \(check.stderr)")
        if shell == "fish" {
            // fish completes from the script: commands, option values (and no files there).
            func complete(_ line: String) throws -> [String] {
                let r = try Shell.run("fish -c \(Shell.quote("source \(path); complete -C \(Shell.quote(line))"))")
                return r.stdout.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
            }
            #expect(try complete("lstm-grad ru") == ["run"])
            #expect(try complete("lstm-grad run --format ") == ["csv", "json", "latex", "markdown", "text"])
            #expect(try complete("lstm-grad examples go") == ["gomez"])
        }
    }
}
