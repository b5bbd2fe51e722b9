import LSTMGrad
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one way tests get scratch space: a fresh directory under `$TMPDIR` (default /tmp),
/// removed with everything in it when the body returns or throws, so that no test leaves
/// anything behind in /tmp, and parallel tests never share a file name.
///
///     try withTemporaryDirectory { dir in
///         try writeFile(dir + "/answers.json", json)
///         …
///     }
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let dir = try TemporaryDirectory.make()
    defer { TemporaryDirectory.removeTree(dir) }
    return try body(dir)
}

enum TemporaryDirectory {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func make() throws -> String {
        var base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/lstm-grad-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(description: "cannot make a temporary directory in \(base): \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Removes `path` and everything below it, depth first, without following symbolic links.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in listDirectory(path) { removeTree(path + "/" + name) }
            _ = rmdir(path)
        } else {
            _ = unlink(path)
        }
    }
}
