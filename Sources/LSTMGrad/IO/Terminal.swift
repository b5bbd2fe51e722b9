#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The width of the terminal on a file descriptor (TIOCGWINSZ), or nil if it is not a terminal
/// or does not say.
public func terminalColumns(_ fd: Int32) -> Int? {
    guard isatty(fd) != 0 else { return nil }
    var ws = winsize()
    guard ioctl(fd, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 else { return nil }
    return Int(ws.ws_col)
}

/// ANSI styles the text renderers apply to parts of a report's structure (never to values).
public enum TerminalStyle: Sendable {
    case header, section, good, bad

    public var start: String {
        switch self {
        case .header: return "\u{1B}[1m"        // bold
        case .section: return "\u{1B}[1;36m"    // bold cyan
        case .good: return "\u{1B}[32m"         // green
        case .bad: return "\u{1B}[1;31m"        // bold red
        }
    }

    public static let reset = "\u{1B}[0m"
}

extension OutputBuffer {
    /// Writes `s`, wrapped in `style`'s escape codes when `color` is on.
    public mutating func write(_ s: String, style: TerminalStyle, color: Bool) {
        if color { write(style.start) }
        write(s)
        if color { write(TerminalStyle.reset) }
    }
}
