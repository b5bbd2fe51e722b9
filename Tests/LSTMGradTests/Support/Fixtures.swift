import LSTMGrad
import Testing

/// Paths and loading shared by the tests.
enum Fixtures {
    /// The package root (tests run with it as the working directory under `swift test`,
    /// but this does not rely on that).
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        while let last = parts.last, last != "Tests" { parts.removeLast() }
        parts.removeLast()
        return parts.joined(separator: "/")
    }()

    static func path(_ name: String) -> String { root + "/fixtures/" + name }

    static func spec(_ name: String) throws -> Spec {
        let bytes = try InputFile.read(path(name))
        return try SpecDecoder.decode(SourceText(name: "fixtures/" + name, bytes: bytes))
    }

    static func spec(json: String, name: String = "test.json") throws -> Spec {
        try SpecDecoder.decode(SourceText(name: name, bytes: Array(json.utf8)))
    }

    /// Every `fixtures/*.json` that has a golden `.expected.txt` beside it.
    static func goldenNames() -> [String] {
        listDirectory(root + "/fixtures").filter { $0.hasSuffix(".json") }.sorted()
    }
}

/// Relative error with an absolute floor.
func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-12) -> Double {
    abs(a - b) / max(abs(a), abs(b), floor)
}
