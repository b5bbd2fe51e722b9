#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
func platformWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}

@inline(__always)
func platformRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Reading input files and standard input with the C library (no Foundation at start-up).
public enum InputFile {
    public static let defaultMaxBytes = 64 << 20

    public enum Failure: Error, Sendable, Equatable {
        case cannotOpen(path: String, reason: String)
        case tooLarge(path: String, size: Int, limit: Int)
        case isDirectory(path: String)
        case readFailed(path: String, reason: String)
        /// A stream (stdin, a pipe) that went past the limit: reading stopped there.
        case streamTooLarge(path: String, limit: Int)

        public var message: String {
            switch self {
            case .cannotOpen(let path, let reason): return "\(path): cannot open: \(reason)"
            case .tooLarge(let path, let size, let limit):
                return "\(path): the file is \(size) bytes, over the limit of \(limit) bytes (raise it with --max-input BYTES)"
            case .isDirectory(let path): return "\(path): is a directory, expected a JSON file"
            case .readFailed(let path, let reason): return "\(path): read failed: \(reason)"
            case .streamTooLarge(let path, let limit):
                return "\(path): the input is over the limit of \(limit) bytes (raise it with --max-input BYTES)"
            }
        }
    }

    static func reason() -> String { String(cString: strerror(errno)) }

    /// The whole file, or standard input for "-", refusing more than `maxBytes`.
    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes) throws(Failure) -> [UInt8] {
        let fd: Int32
        let name = path == "-" ? "<stdin>" : path
        if path == "-" {
            fd = 0
        } else {
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw .cannotOpen(path: path, reason: reason()) }
        }
        defer { if fd != 0 { close(fd) } }
        var st = stat()
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
            if (st.st_mode & S_IFMT) == S_IFREG && Int(st.st_size) > maxBytes {
                throw .tooLarge(path: name, size: Int(st.st_size), limit: maxBytes)
            }
        }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { platformRead(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: name, reason: reason())
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > maxBytes { throw .streamTooLarge(path: name, limit: maxBytes) }
        }
        return out
    }
}

/// Writes a whole string to standard error.
public func writeStandardError(_ s: String) {
    var b = OutputBuffer()
    b.write(s)
    b.flush(to: 2)
}

/// Whether a file descriptor is a terminal.
public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }

/// An environment variable, if set.
public func environment(_ name: String) -> String? {
    guard let p = getenv(name) else { return nil }
    return String(cString: p)
}

/// The names in a directory (not . and ..), unsorted; empty if it cannot be read.
public func listDirectory(_ path: String) -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
