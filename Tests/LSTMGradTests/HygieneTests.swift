import LSTMGrad
import Testing

/// Rules about the repository itself that a test can enforce.
@Suite struct HygieneTests {
    /// Scratch files go through `withTemporaryDirectory` / `TemporaryDirectory`, which removes
    /// them: no test names a path in /tmp of its own (they used to be left behind).
    @Test func testsTakeScratchSpaceFromTheHelper() throws {
        var files: [String] = []
        func walk(_ dir: String) {
            for name in listDirectory(dir) {
                let path = dir + "/" + name
                if name.hasSuffix(".swift") { files.append(path) } else if !name.contains(".") { walk(path) }
            }
        }
        walk(Fixtures.root + "/Tests")
        #expect(files.count > 20)
        for file in files where !file.hasSuffix("/Support/TemporaryDirectory.swift") && !file.hasSuffix("/HygieneTests.swift") {
            let text = String(decoding: try InputFile.read(file), as: UTF8.self)
            #expect(!text.contains("\"/tmp"), "\(file) writes to /tmp itself; use withTemporaryDirectory")
        }
    }

    @Test func licenseIsMIT() throws {
        let text = String(decoding: try InputFile.read(Fixtures.root + "/LICENSE"), as: UTF8.self)
        #expect(text.hasPrefix("MIT License\n\nCopyright (c) 2026 the lstm-grad authors\n"))
    }
}
