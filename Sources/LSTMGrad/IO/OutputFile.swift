#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an output could not be written: where, what failed, and the system's reason.
public struct OutputFailure: Error, Sendable, Equatable {
    /// The file, or `standard output` (with the file it is redirected to, when known).
    public var destination: String
    /// What failed: `write failed`, `cannot create`, `cannot replace`, …
    public var operation: String
    /// The errno of the failure.
    public var code: Int32

    public init(destination: String, operation: String, code: Int32) {
        self.destination = destination
        self.operation = operation
        self.code = code
    }

    /// `out.json: write failed: No space left on device`.
    public var message: String { "\(destination): \(operation): \(String(cString: strerror(code)))" }

    /// The reader of a pipe went away (`lstm-grad run … | head`).
    public var isBrokenPipe: Bool { code == EPIPE }
}

/// Writing a whole file so that it is never lost: the bytes go to a temporary file in the
/// target's directory, are flushed to disk (fsync), and the temporary file is renamed over the
/// target, then the directory is synced. On any error, and on SIGINT, SIGTERM or SIGHUP during
/// the write, the temporary file is removed and the target is left as it was; a reader (or a
/// crash, or kill -9) sees the old file or the complete new one, never a part.
///
/// A target that exists and is not a regular file (a device such as /dev/null, a pipe) is
/// written in place, since it cannot be replaced; a symbolic link is followed, so the file it
/// names is replaced and the link stays.
public enum OutputFile {
    public enum Mode: Sendable {
        /// Refuse a target that exists (`init -o`, `--write-updated` without `--force`).
        case create
        /// Replace a target that exists.
        case replace
    }

    public enum Failure: Error, Sendable, Equatable {
        /// `create` found an existing file: nothing was written.
        case exists(path: String)
        case failed(OutputFailure)
    }

    /// Checks, before any work is done, that `write(path, …, mode:)` can succeed as far as can
    /// be known: the target is not a directory, is absent unless `mode` is `replace`, and its
    /// directory exists and is writable.
    public static func check(_ path: String, mode: Mode) throws(Failure) {
        let target = resolve(path)
        var st = stat()
        if stat(target, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR { throw .failed(OutputFailure(destination: path, operation: "cannot write", code: EISDIR)) }
            if kind != S_IFREG { return }  // a device or a pipe: written in place
            if mode == .create { throw .exists(path: path) }
        } else if lstat(path, &st) == 0 && mode == .create {
            throw .exists(path: path)  // a dangling symbolic link is not replaced silently
        }
        if access(directory(of: target), W_OK | X_OK) != 0 {
            throw .failed(OutputFailure(destination: path, operation: "cannot create", code: errno))
        }
    }

    /// Writes `bytes` to `path` through a temporary file renamed into place (see the type).
    public static func write(_ path: String, _ bytes: [UInt8], mode: Mode = .replace) throws(Failure) {
        let target = resolve(path)
        var st = stat()
        let existing = stat(target, &st) == 0 ? st : nil
        if let e = existing {
            let kind = e.st_mode & S_IFMT
            if kind == S_IFDIR { throw .failed(OutputFailure(destination: path, operation: "cannot write", code: EISDIR)) }
            if kind != S_IFREG { return try writeInPlace(path, bytes) }
            if mode == .create { throw .exists(path: path) }
        }
        let dir = directory(of: target)
        // The temporary file: hidden, beside the target, unique to this process.
        var temporary = ""
        var fd: Int32 = -1
        for attempt in 0..<100 {
            temporary = dir + "/." + baseName(of: target) + ".\(getpid()).\(attempt).tmp"
            TemporaryFile.register(temporary)
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else {
            let code = errno
            TemporaryFile.clear()
            throw .failed(OutputFailure(destination: path, operation: "cannot create", code: code))
        }
        // Removes the temporary file: the target stays as it was.
        func discard() {
            unlink(temporary)
            TemporaryFile.clear()
        }
        func fail(_ operation: String, _ code: Int32) -> Failure {
            discard()
            return .failed(OutputFailure(destination: path, operation: operation, code: code))
        }
        if let code = writeAll(fd, bytes) {
            close(fd)
            throw fail("write failed", code)
        }
        // A replaced file keeps its permissions.
        if let e = existing { _ = fchmod(fd, e.st_mode & 0o7777) }
        if fsync(fd) != 0 {
            let code = errno
            close(fd)
            throw fail("write failed", code)
        }
        if close(fd) != 0 { throw fail("write failed", errno) }
        switch mode {
        case .replace:
            if rename(temporary, target) != 0 { throw fail("cannot replace", errno) }
        case .create:
            // link() refuses an existing name atomically, even one made since `check`.
            if link(temporary, target) == 0 {
                unlink(temporary)
            } else if errno == EEXIST || access(target, F_OK) == 0 {
                discard()
                throw .exists(path: path)
            } else if rename(temporary, target) != 0 {
                // A file system without hard links: the rename, after the check above.
                throw fail("cannot create", errno)
            }
        }
        TemporaryFile.clear()
        // The rename itself reaches the disk with the directory's sync. Some file systems cannot
        // sync a directory (EINVAL); the file is in place either way.
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            let ok = fsync(dfd) == 0 || errno == EINVAL || errno == ENOTSUP
            let code = errno
            close(dfd)
            if !ok { throw .failed(OutputFailure(destination: path, operation: "written, but its directory could not be synced", code: code)) }
        }
    }

    /// Writes a string as UTF-8.
    public static func write(_ path: String, _ text: String, mode: Mode = .replace) throws(Failure) {
        try write(path, Array(text.utf8), mode: mode)
    }

    /// A device or a pipe: opened as it is and written, every write checked.
    static func writeInPlace(_ path: String, _ bytes: [UInt8]) throws(Failure) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .failed(OutputFailure(destination: path, operation: "cannot open", code: errno)) }
        if let code = writeAll(fd, bytes) {
            close(fd)
            throw .failed(OutputFailure(destination: path, operation: "write failed", code: code))
        }
        if close(fd) != 0 { throw .failed(OutputFailure(destination: path, operation: "write failed", code: errno)) }
    }

    /// Writes every byte, retrying short writes and EINTR; the errno of a failure, or nil.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let n = platformWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return EIO }
                offset += n
            }
            return nil
        }
    }

    /// The file a path names: a symbolic link to an existing file is followed (so that the
    /// file is replaced, not the link); anything else is the path itself.
    static func resolve(_ path: String) -> String {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK, let real = realpath(path, nil) else { return path }
        defer { free(real) }
        return String(cString: real)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = path[..<slash]
        return dir.isEmpty ? "/" : String(dir)
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

/// The one temporary file being written, removed by a signal handler if SIGINT, SIGTERM or
/// SIGHUP arrives before it is renamed into place. The path is kept as a C string allocated
/// before the handlers are installed, so that the handler only reads memory and calls unlink
/// (both async-signal-safe), then dies by the same signal with the default action.
enum TemporaryFile {
    nonisolated(unsafe) static var path: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) static var installed = false
    static let signals = [SIGINT, SIGTERM, SIGHUP]

    static func register(_ name: String) {
        let copy = strdup(name)
        let old = path
        path = copy
        free(old)
        guard !installed else { return }
        installed = true
        for s in signals {
            // A signal the parent ignores (nohup, a background job) stays ignored.
            let previous = signal(s, onSignal)
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { signal(s, SIG_IGN) }
        }
    }

    static func clear() {
        let old = path
        path = nil
        free(old)
    }
}

private func onSignal(_ sig: Int32) {
    if let p = TemporaryFile.path { unlink(p) }
    signal(sig, SIG_DFL)
    raise(sig)
}
