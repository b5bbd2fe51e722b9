import LSTMGrad
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test; `remove()` deletes it with everything in it, so
/// that tests leave nothing behind.
struct TemporaryDirectory {
    let path: String

    init(_ prefix: String = "lstm-grad-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw CLIRunner.SpawnError(description: "mkdtemp failed") }
        path = String(cString: p)
    }

    func remove() { _ = try? Shell.run("rm -rf \(Shell.quote(path))") }
}
