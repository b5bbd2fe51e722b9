import LSTMGrad
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test, removed with everything in it by `remove()`
/// (call it in a `defer`), so that tests leave nothing behind.
struct ScratchDirectory {
    let path: String

    init(_ label: String = "test") throws {
        guard let made = mkdtemp(strdup("/tmp/lstm-grad-\(label)-XXXXXX")) else {
            throw CLIRunner.SpawnError(description: "mkdtemp failed")
        }
        path = String(cString: made)
        free(made)
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes bytes to `path/name` (directly, not through the code under test).
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = file(name)
        guard let f = fopen(p, "wb") else { throw CLIRunner.SpawnError(description: "cannot write \(p)") }
        defer { fclose(f) }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        return p
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    func read(_ name: String) throws -> [UInt8] { try InputFile.read(file(name)) }

    /// The names in the directory, sorted.
    var names: [String] { listDirectory(path).sorted() }

    /// Removes the directory and everything under it.
    func remove() {
        func removeAll(_ p: String) {
            var st = stat()
            guard lstat(p, &st) == 0 else { return }
            if st.st_mode & S_IFMT == S_IFDIR {
                for name in listDirectory(p) { removeAll(p + "/" + name) }
                rmdir(p)
            } else {
                unlink(p)
            }
        }
        removeAll(path)
    }
}
