import LSTMGrad
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh directory under /tmp for files a test writes; `remove()` deletes the files written
/// into it and the directory (call it in a `defer`), so a test leaves nothing behind.
struct TemporaryDirectory {
    let path: String

    init(_ prefix: String = "lstm-grad-test") {
        path = String(cString: mkdtemp(strdup("/tmp/\(prefix)-XXXXXX")))
    }

    func file(_ name: String) -> String { path + "/" + name }

    /// Removes every file in the directory, then the directory (the tests write no subfolders).
    func remove() {
        for name in listDirectory(path) { _ = unlink(file(name)) }
        _ = rmdir(path)
    }
}
