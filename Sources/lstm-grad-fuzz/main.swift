import LSTMGrad
import LSTMGradFuzz

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `lstm-grad-fuzz`: mutates input files and runs the lstm-grad binary on each case until time
/// or a case count runs out; saves every failing input. Exit 0 when no case failed, 1 otherwise.
let usage = """
    usage: lstm-grad-fuzz [--binary PATH] [--seconds S] [--cases N] [--seed N] [--crashes DIR]
                          [--template 'run {}'] FILE...
      --binary    the lstm-grad executable to run (default .build/debug/lstm-grad)
      --seconds   stop after this many seconds (default 60)
      --cases     stop after this many cases (default: no limit)
      --seed      the PRNG seed (default 1); the same seed gives the same cases
      --crashes   where failing inputs are saved (default .fuzz/crashes)
      --template  the command line, {} standing for the mutated file (default 'run {}');
                  every 4th case feeds the input on stdin instead, '{}' becoming '-'

    """

var binary = ".build/debug/lstm-grad"
var seconds = 60.0
var maxCases = Int.max
var seed: UInt64 = 1
var crashDir = ".fuzz/crashes"
var template = "run {}"
var files: [String] = []
var args = Array(CommandLine.arguments.dropFirst())
func fail(_ m: String) -> Never {
    writeStandardError("lstm-grad-fuzz: error: \(m)\n\(usage)")
    exit(2)
}
while !args.isEmpty {
    let a = args.removeFirst()
    func value() -> String {
        guard !args.isEmpty else { fail("\(a) needs a value") }
        return args.removeFirst()
    }
    switch a {
    case "--binary": binary = value()
    case "--seconds": guard let v = Double(value()), v > 0 else { fail("--seconds expects a positive number") }; seconds = v
    case "--cases": guard let v = Int(value()), v > 0 else { fail("--cases expects a positive whole number") }; maxCases = v
    case "--seed": guard let v = UInt64(value()) else { fail("--seed expects a whole number") }; seed = v
    case "--crashes": crashDir = value()
    case "--template": template = value()
    case "--help", "-h": print(usage, terminator: ""); exit(0)
    default:
        if a.hasPrefix("-") { fail("unknown option \(a)") }
        files.append(a)
    }
}
guard !files.isEmpty else { fail("no input files given") }
guard access(binary, X_OK) == 0 else { fail("\(binary) is not an executable; run 'swift build' first") }

var originals: [(String, [UInt8])] = []
for f in files {
    do { originals.append((f, try InputFile.read(f))) } catch { fail(error.message) }
}
// Files the binary accepts unchanged seed three cases in four, so that most mutants stay close
// to a valid spec and reach the calculator, not only the parser.
var valid: [Int] = [], invalid: [Int] = []
for (k, (name, _)) in originals.enumerated() {
    let argv = template.split(separator: " ").map { $0 == "{}" ? name : String($0) }
    if FuzzRunner.run(binary, argv).status == 0 { valid.append(k) } else { invalid.append(k) }
}
if valid.isEmpty { valid = invalid }
if invalid.isEmpty { invalid = valid }
mkdir(".fuzz", 0o755)
mkdir(crashDir, 0o755)
let work = ".fuzz/case-\(getpid()).json"

var rng = SplitMix64(seed: seed)
let mutator = Mutator()
let start = FuzzRunner.now()
var cases = 0, failures = 0
var byStatus: [Int32: Int] = [:]
var lastReport = start
print("fuzzing \(binary) '\(template)' on \(files.count) file(s) (\(valid.count) accepted as they are), seed \(seed), \(seconds) s")
while cases < maxCases && FuzzRunner.now() - start < seconds {
    let pool = cases % 4 == 3 ? invalid : valid
    let (name, bytes) = originals[pool[(cases / 4) % pool.count]]
    let input = mutator.mutate(bytes, using: &rng)
    let viaStdin = cases % 4 == 3
    let argv = template.split(separator: " ").map { $0 == "{}" ? (viaStdin ? "-" : work) : String($0) }
    if !viaStdin { FuzzRunner.save(input, to: work) }
    let outcome = FuzzRunner.run(binary, argv, stdin: viaStdin ? input : [])
    cases += 1
    byStatus[outcome.signal.map { -$0 } ?? outcome.status, default: 0] += 1
    if let why = FuzzRunner.failure(of: outcome) {
        failures += 1
        let saved = "\(crashDir)/crash-\(FuzzRunner.hash(input)).json"
        FuzzRunner.save(input, to: saved)
        FuzzRunner.save(Array("mutated from \(name), case \(cases), seed \(seed): \(why)\ncommand: \(argv.joined(separator: " "))\nstderr:\n".utf8) + outcome.stderr,
                        to: saved + ".txt")
        print("FAIL case \(cases) (from \(name)): \(why); saved \(saved)")
    }
    let now = FuzzRunner.now()
    if now - lastReport >= 10 {
        lastReport = now
        print("  \(cases) cases, \(Int(Double(cases) / (now - start))) cases/s, \(failures) failing")
    }
}
unlink(work)
let elapsed = FuzzRunner.now() - start
let statuses = byStatus.keys.sorted().map { "exit \($0): \(byStatus[$0]!)" }.joined(separator: ", ")
print("\(cases) cases in \(Int(elapsed)) s (\(Int(Double(cases) / max(elapsed, 0.001))) cases/s): \(statuses); crashes: \(failures)")
if failures > 0 { print("failing inputs saved in \(crashDir)/") }
exit(failures == 0 ? 0 : 1)
