/// A square matrix written as JSON rows on the command line: `[[0.58,0.24],[0.24,0.72]]`.
public enum MatrixLiteral {
    public static func parse(_ text: String, name: String = "--matrix") throws(SpecErrors) -> Matrix {
        let source = SourceText(name: name, bytes: Array(text.utf8))
        let root: JSONNode
        do {
            root = try JSONParser.parse(source.bytes)
        } catch {
            throw SpecErrors([Diagnostic(file: name, location: source.location(of: error.offset), path: nil, error: .syntax(error.message))])
        }
        let reader = SpecReader(source: source)
        let n = reader.rowCount(root) ?? 0
        let m = reader.matrix(root, .root, rows: n, cols: n, meaning: "a square matrix, n×n, as a list of rows")
        guard let m, !reader.hasErrors else { throw SpecErrors(reader.diagnostics) }
        return m
    }
}

/// Writing a whole file with the C library.
public enum OutputFile {
    public static func write(_ path: String, _ text: String) throws(InputFile.Failure) {
        #if canImport(Glibc)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #else
        let fd = Darwin.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #endif
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { platformWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotOpen(path: path, reason: "write failed: " + String(cString: strerror(errno)))
            }
            offset += n
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
