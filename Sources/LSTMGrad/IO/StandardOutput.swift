#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output as a destination that can fail: named in messages, checked when closed.
public enum StandardOutput {
    /// Whether descriptor 1 was closed when the process started (`lstm-grad run … >&-`).
    nonisolated(unsafe) public private(set) static var wasClosed = false

    /// Call first thing: a standard descriptor that is closed at start-up is opened on
    /// /dev/null, so that the next file the tool opens cannot take its number and receive
    /// output meant for stdout (or messages meant for stderr). Descriptor 1 is opened
    /// read-only, so that every write to a closed stdout still fails (EBADF) and is reported.
    public static func protectStandardDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            if fd == 1 { wasClosed = true }
            let opened = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY)
            if opened >= 0 && opened != fd {
                _ = dup2(opened, fd)
                close(opened)
            }
        }
    }

    /// How messages name standard output: `standard output (/tmp/out.txt)` when it is a file
    /// or a device, `standard output (closed)`, or plain `standard output` (a pipe, a terminal).
    public static var name: String {
        if wasClosed { return "standard output (closed)" }
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/fd/1", &buffer, buffer.count - 1)
        guard n > 0 else { return "standard output" }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        guard target.hasPrefix("/"), !target.hasPrefix("/dev/pts/"), target != "/dev/tty" else { return "standard output" }
        return "standard output (\(target))"
    }

    /// The failure of a write to standard output with this errno.
    public static func failure(_ code: Int32) -> OutputFailure {
        OutputFailure(destination: name, operation: "write failed", code: code)
    }

    /// Closes descriptor 1 and reports an error the close itself returns (some file systems
    /// report a failed write only then); nil when all output was delivered.
    public static func finish() -> OutputFailure? {
        guard close(1) != 0, errno != EBADF, errno != EINTR else { return nil }
        return failure(errno)
    }
}
