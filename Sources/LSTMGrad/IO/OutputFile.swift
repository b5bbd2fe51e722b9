#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole file with the C library (for `run --write-updated`).
public enum OutputFile {
    /// Writes `bytes` to `path` (created or truncated); the error names the path and the reason.
    public static func write(_ path: String, _ bytes: [UInt8]) throws(InputFile.Failure) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: InputFile.reason()) }
        defer { close(fd) }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { platformWrite(fd, $0.baseAddress! + off, $0.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: "write failed: " + InputFile.reason())
            }
            off += n
        }
    }

    /// Writes a string as UTF-8.
    public static func write(_ path: String, _ text: String) throws(InputFile.Failure) {
        try write(path, Array(text.utf8))
    }
}
