@testable import LSTMGrad
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Weights, inputs and labels read from the files PyTorch and NumPy write (fixtures/files/,
/// written by scripts/tensor-file-fixtures.py with numpy, torch and safetensors): each spec that
/// names files gives exactly the output of the same spec with the numbers written inline, and
/// PyTorch's own float64 autograd gradients; every corrupt or unsupported file is a clear error
/// with the spec's place, exit 2, nothing on stdout.
@Suite struct TensorFileTests {
    /// A spec reading files, and the same spec written inline.
    static let pairs = [("lstm-safetensors", "lstm-safetensors"), ("gru-npz", "gru-npz"),
                        ("rnn-safetensors", "rnn-safetensors"), ("rnn-zip64", "rnn-safetensors")]

    @Test(arguments: pairs.map { "\($0.0) \($0.1)" })
    func filesGiveTheSameRunAsTheSpecInline(_ pair: String) throws {
        let names = pair.split(separator: " ").map(String.init)
        let fromFiles = try CLIRunner.run(["run", "fixtures/files/\(names[0]).json", "--format", "json"])
        let inline = try CLIRunner.run(["run", "fixtures/files/\(names[1]).inline.json", "--format", "json"])
        #expect(fromFiles.status == 0 && fromFiles.stderr.isEmpty, "\(fromFiles.stderr)")
        #expect(inline.status == 0, "\(inline.stderr)")
        let a = try JSONOutput.quantities(fromFiles.stdout), b = try JSONOutput.quantities(inline.stdout)
        #expect(a.map(\.key) == b.map(\.key))
        for (x, y) in zip(a, b) { #expect(x.numbers == y.numbers, "\(names[0]): \(x.key) from the files \(x.numbers), inline \(y.numbers)") }
        #expect(a.count > 50)
    }

    /// PyTorch's float64 autograd on the same numbers (float32 files widened exactly).
    @Test(arguments: pairs.map { "\($0.0) \($0.1)" })
    func gradientsAgreeWithPyTorch(_ pair: String) throws {
        let names = pair.split(separator: " ").map(String.init)
        let out = try CLIRunner.run(["run", "fixtures/files/\(names[0]).json", "--format", "json"])
        let printed = try JSONOutput.quantityTable(out.stdout)
        let reference = try JSONParser.parse(try InputFile.read(Fixtures.path("files/\(names[1]).torch.json")))
        let loss = try #require(JSONOutput.member(reference, ["loss"])?.number)
        #expect(relativeError(try #require(printed["loss"]?.first), loss) <= 1e-9)
        let gradients = try #require(JSONOutput.member(reference, ["gradients"])?.members)
        #expect(gradients.count == 6)
        for g in gradients {
            let ours = try #require(printed[g.key], "\(g.key) not printed")
            let theirs = JSONOutput.flatten(g.value)
            #expect(ours.count == theirs.count, "\(g.key)")
            for (x, y) in zip(ours, theirs) {
                #expect(relativeError(x, y, floor: 1e-12) <= 1e-9, "\(names[0]): \(g.key): ours \(x), PyTorch \(y)")
            }
        }
    }

    /// The header names every member read from a file and says when it was float32.
    @Test func headerNamesTheFilesAndTheirPrecision() throws {
        let out = try CLIRunner.run(["run", "fixtures/files/lstm-safetensors.json"])
        let header = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).prefix(while: { !$0.isEmpty }).map(String.init)
        #expect(header == [
            "spec: fixtures/files/lstm-safetensors.json",
            "from file: weights: lstm-model.safetensors, prefix \"lstm.\": 4 float32 arrays (computed in float64)",
            "from file: head.V: lstm-model.safetensors, array \"fc.weight\": a float32 array of shape 2×2 (computed in float64)",
            "from file: head.c: lstm-model.safetensors, array \"fc.bias\": a float32 array of shape 2 (computed in float64)",
            "from file: inputs: lstm-x.npy: a float64 array of shape 4×3",
            "from file: labels: lstm-labels.npz, array \"y\": a float32 array of shape 4×2 (computed in float64)",
            "LSTM (gates a, i, f, o)   X = 3, H = 2, T = 4, head: linear (2 outputs)",
            "loss: L = Σ_t ½‖y_t − label_t‖²",
            "SGD: θ ← θ − λ·δθ, λ = 0.1",
            "weights: pytorch layout; gradients and updated parameters are also given in it",
        ], "\(header)")
    }

    /// `--write-updated` from a spec that reads files writes every number inline, in the state
    /// dict's names, and the written spec runs on from the update.
    @Test(arguments: pairs.map(\.0))
    func writtenSpecHoldsTheUpdateInline(_ name: String) throws {
        try withTemporaryDirectory { dir in
            let written = dir + "/updated.json"
            let run = try CLIRunner.run(["run", "fixtures/files/\(name).json", "--write-updated", written, "--format", "json"])
            #expect(run.status == 0, "\(run.stderr)")
            let printed = try JSONOutput.quantityTable(run.stdout)
            let spec = try JSONParser.parse(try InputFile.read(written))
            for key in ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"] {
                let node = try #require(JSONOutput.member(spec, ["weights", key]), "\(name): weights.\(key)")
                #expect(JSONOutput.flatten(node) == printed[key + "'"], "\(name): \(key)")
            }
            #expect(JSONOutput.member(spec, ["weights", "file"]) == nil && JSONOutput.member(spec, ["inputs"])?.array != nil)
            let step = try CLIRunner.run(["run", "fixtures/files/\(name).json", "--steps", "1", "--format", "json"])
            let expected = try #require(try JSONOutput.quantityTable(step.stdout)["loss_step[1]"]?.first)
            let rerun = try CLIRunner.run(["run", written, "--format", "json"])
            #expect(rerun.status == 0, "\(rerun.stderr)")
            #expect(relativeError(try #require(try JSONOutput.quantityTable(rerun.stdout)["loss"]?.first), expected) <= 1e-12)
        }
    }

    /// fixtures/files/bad/NAME.json reads a corrupt, unsupported or missing file (or names one
    /// wrongly): where, and what was expected and found.
    static let errors: [(String, String, String)] = [
        ("bf16", "3:23", "weights.file: bf16.safetensors: tensor \"lstm.weight_ih_l0\": expected dtype F32 or F64 (float32, float64), found BF16 (save with tensor.float() or tensor.double())"),
        ("big-endian", "5:22", "inputs.file: big-endian.npy: the header: expected little-endian float32 or float64 ('<f4' or '<f8'), found '>f8', big-endian (convert with a.astype('<f8'))"),
        ("crc", "6:22", "labels.file: crc.npz: member \"y.npy\": expected CRC-32 0xe606554f (from the zip directory), found 0x3eaa3e7a: the data is corrupt"),
        ("deflate", "6:22", "labels.file: deflate.npz: member \"x.npy\": expected valid deflate data, found more bytes than the zip directory says"),
        ("extension", "5:22", "inputs.file: ../lstm-x.txt: expected a file name ending in .safetensors, .npz or .npy, found \"fixtures/files/bad/../lstm-x.txt\""),
        ("fortran", "5:22", "inputs.file: fortran.npy: the header: expected C order ('fortran_order': False), found 'fortran_order': True (save np.ascontiguousarray(a))"),
        ("header-json", "3:23", "weights.file: header-json.safetensors: the header: expected JSON, found unexpected end of input, expected a value at byte 13"),
        ("header-length", "3:23", "weights.file: header-length.safetensors: the header: expected 1099511627776 bytes (from the length prefix), found 664 (truncated, or not a safetensors file)"),
        ("int64", "5:22", "inputs.file: int64.npy: the header: expected dtype float32 or float64 ('<f4' or '<f8'), found '<i8' (int64) (convert with a.astype('<f8'))"),
        ("key-and-prefix", "3:14", "weights: give \"key\" (one array) or \"prefix\" (every array whose name starts with it), not both"),
        ("key-on-npy", "5:13", "inputs: a .npy file holds one array: remove \"key\""),
        ("missing-file", "5:22", "inputs.file: nowhere.npy: expected a readable file, found fixtures/files/bad/nowhere.npy: cannot open: No such file or directory"),
        ("missing-key", "6:51", "labels.key: ../lstm-labels.npz: expected an array named \"labels\", found only \"y\""),
        ("nan", "5:22", "inputs.file: nan.npy: the array: expected finite numbers, found nan at [0, 1]"),
        ("no-prefix-match", "3:62", "weights.prefix: ../lstm-model.safetensors: expected arrays whose names start with \"gru.\", found only \"fc.bias\", \"fc.weight\", \"lstm.bias_hh_l0\", \"lstm.bias_ih_l0\", \"lstm.weight_hh_l0\", \"lstm.weight_ih_l0\""),
        ("not-numpy", "5:22", "inputs.file: not-numpy.npy: expected a .npy array (starting with \\x93NUMPY), found other bytes"),
        ("not-zip", "6:22", "labels.file: not-zip.npz: the zip archive: expected an end-of-central-directory record (a zip file, as numpy.savez writes), found none (not a zip file, or truncated)"),
        ("shape", "3:23", "weights.file: shape.safetensors: tensor \"lstm.weight_ih_l0\": expected 8×4 × 4 bytes of F32, found data_offsets [152, 248]: 96 bytes"),
        ("truncated-npy", "5:22", "inputs.file: truncated.npy: expected 12 × 8 bytes of data (shape 4×3), found 88 (the file is truncated)"),
        ("truncated", "3:23", "weights.file: truncated.safetensors: tensor \"lstm.weight_ih_l0\": expected data at bytes 152…248 after the header, found 238 bytes of data (the file is truncated)"),
        ("unknown-member", "5:39", "inputs.kye: unknown key \"kye\"; did you mean \"key\"?"),
        ("wrong-shape", "3:31", "weights.weight_ih_l0: expected a 8×2 matrix (8×2: 4H × X, H = 2), found 8×3"),
    ]

    @Test(arguments: errors.map(\.0))
    func badFilesAreClearErrors(_ name: String) throws {
        let (_, place, message) = try #require(Self.errors.first { $0.0 == name })
        let out = try CLIRunner.run(["run", "fixtures/files/bad/\(name).json"])
        #expect(out.status == 2)
        #expect(out.stdout.isEmpty)
        #expect(out.stderr == "fixtures/files/bad/\(name).json:\(place): error: \(message)\n")
    }

    /// A .npy file (format 1.0, little-endian float64), as numpy.save writes it.
    static func npy(_ shape: [Int], _ values: [Double]) -> [UInt8] {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(dims)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
        out += Array(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        return out
    }

    /// Arrays of any rank read as the nested lists they stand for: a list of per-row files, a
    /// 0-d array for a number; a 3-d array where a matrix belongs is the same error as in JSON.
    @Test func arraysOfAnyRankReadAsNestedLists() throws {
        try withTemporaryDirectory { dir in
            try writeFile(dir + "/r0.npy", Self.npy([2], [1, 2]))
            try writeFile(dir + "/r1.npy", Self.npy([2], [0.5, -1]))
            try writeFile(dir + "/rate.npy", Self.npy([], [0.25]))
            try writeFile(dir + "/w3.npy", Self.npy([2, 2, 2], [Double](repeating: 0.1, count: 8)))
            let tail = "\"labels\": [[0.1, 0.2], [0.3, 0.4]]}"
            let weights = "\"weights\": {\"W\": [[0.5, 0.1], [0.2, 0.3]], \"U\": [[1, 0], [0, 1]]}"
            try writeFile(dir + "/files.json", "{\"model\": \"rnn\", \(weights), \"learning_rate\": {\"file\": \"rate.npy\"}, "
                          + "\"inputs\": [{\"file\": \"r0.npy\"}, {\"file\": \"r1.npy\"}], \(tail)")
            try writeFile(dir + "/inline.json", "{\"model\": \"rnn\", \(weights), \"learning_rate\": 0.25, \"inputs\": [[1, 2], [0.5, -1]], \(tail)")
            let a = try CLIRunner.run(["run", dir + "/files.json", "--format", "json"])
            let b = try CLIRunner.run(["run", dir + "/inline.json", "--format", "json"])
            #expect(a.status == 0, "\(a.stderr)")
            #expect(try JSONOutput.quantities(a.stdout).map(\.numbers) == JSONOutput.quantities(b.stdout).map(\.numbers))
            let text = try CLIRunner.run(["run", dir + "/files.json"])
            #expect(text.stdout.contains("from file: learning_rate: rate.npy: a float64 number\n"))
            #expect(text.stdout.contains("from file: inputs[1]: r1.npy: a float64 array of shape 2\n"))

            try writeFile(dir + "/rank3.json", "{\"model\": \"rnn\", \"weights\": {\"W\": {\"file\": \"w3.npy\"}, \"U\": [[1, 0], [0, 1]]}, "
                          + "\"inputs\": [[1, 2], [0.5, -1]], \(tail)")
            let bad = try CLIRunner.run(["run", dir + "/rank3.json"])
            #expect(bad.status == 2 && bad.stdout.isEmpty)
            #expect(bad.stderr == "\(dir)/rank3.json:1:35: error: weights.W[0]: expected a row of numbers, found an array of 2\n", "\(bad.stderr)")
        }
    }

    /// A device is not read up to the size limit: only regular files are.
    @Test func aDeviceIsRefused() throws {
        try withTemporaryDirectory { dir in
            #expect(symlink("/dev/zero", dir + "/zero.npy") == 0)
            try writeFile(dir + "/spec.json", "{\"model\": \"rnn\", \"weights\": {\"W\": 1, \"U\": 1}, \"inputs\": {\"file\": \"zero.npy\"}, \"labels\": [1]}")
            let out = try CLIRunner.run(["run", dir + "/spec.json"])
            #expect(out.status == 2 && out.stdout.isEmpty)
            #expect(out.stderr == "\(dir)/spec.json:1:66: error: inputs.file: zero.npy: expected a regular file, found a device, pipe or socket\n", "\(out.stderr)")
        }
    }

    @Test func everyBadFixtureIsInTheTable() {
        let specs = listDirectory(Fixtures.path("files/bad")).filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }
        #expect(Set(specs) == Set(Self.errors.map(\.0)))
    }
}

/// DEFLATE and CRC-32 against zlib's own output.
@Suite struct InflateTests {
    func inflate(_ bytes: [UInt8], size: Int) throws -> [UInt8] {
        try Inflate.inflate(bytes, from: 0, to: bytes.count, size: size)
    }

    @Test func storedFixedAndDynamicBlocks() throws {
        // zlib, raw deflate: level 0; Z_FIXED; level 9 over repeats (a dynamic block with
        // overlapping copies).
        #expect(try inflate([1, 9, 0, 246, 255, 114, 97, 119, 32, 98, 121, 116, 101, 115], size: 9) == Array("raw bytes".utf8))
        let fixed: [UInt8] = [203, 72, 205, 201, 201, 87, 200, 64, 39, 117, 20, 114, 138, 75, 114, 117, 211, 139, 18, 83, 20, 1]
        let text = Array("hello hello hello hello, lstm-grad!".utf8)
        #expect(try inflate(fixed, size: text.count) == text)
        let expected = (0..<300).map { UInt8(($0 * 7 + 3) % 251) } + Array(String(repeating: "abc", count: 200).utf8)
        #expect(try inflate(Self.dynamic, size: expected.count) == expected)
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum(expected) == CRC32.checksum(expected, from: 0, to: 100) ^ CRC32.checksum(expected, from: 0, to: 100) ^ CRC32.checksum(expected))
    }

    /// Every truncation and every flipped byte of a valid stream ends in an error or in bytes,
    /// never a trap.
    @Test func damagedStreamsNeverTrap() throws {
        let size = 900
        for cut in 0..<Self.dynamic.count {
            #expect(throws: Inflate.Failure.self) { try inflate(Array(Self.dynamic[0..<cut]), size: size) }
        }
        for k in Self.dynamic.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = Self.dynamic
                damaged[k] ^= flip
                _ = try? inflate(damaged, size: size)
            }
        }
    }

    /// zlib's raw DEFLATE of one 40 000-byte input (float32 noise, text repeated at short
    /// and long distances, runs, a match 21 480 bytes back) at levels 1, 6, 9 and with fixed
    /// codes (scripts/deflate-fixtures.py), long enough for the decoder's fast loop.
    static let streams = ["level1", "level6", "level9", "fixed"]

    func stream(_ name: String) throws -> [UInt8] {
        try InputFile.read(Fixtures.path("files/deflate/\(name).deflate"))
    }

    @Test func longStreamsMatchZlib() throws {
        for name in Self.streams {
            let bytes = try stream(name)
            let out = try inflate(bytes, size: 40000)
            #expect(CRC32.checksum(out) == 0x6B77_32A1, "\(name)")
            // The same stream inside a larger buffer: only input[start ..< end] is read.
            let padded = [0x55, 0xAA] + bytes + [UInt8](repeating: 0xFF, count: 20)
            #expect(try Inflate.inflate(padded, from: 2, to: bytes.count + 2, size: 40000) == out, "\(name)")
            // A wrong size from the zip directory is an error either way.
            #expect(throws: Inflate.Failure.self) { try inflate(bytes, size: 39999) }
            #expect(throws: Inflate.Failure.self) { try inflate(bytes, size: 40001) }
        }
    }

    /// Random truncations, flipped bytes and overwritten runs of the long streams end in an
    /// error or in 40 000 bytes, never a trap or a read past the stream (the stream is followed
    /// by bytes that would decode if read).
    @Test func randomCorruptionsNeverTrap() throws {
        var rng = SplitMix64(seed: 15)
        for name in Self.streams {
            let bytes = try stream(name)
            for _ in 0..<60 {
                let cut = Int(rng.next() % UInt64(bytes.count))
                #expect(throws: Inflate.Failure.self) { try inflate(Array(bytes[0..<cut]), size: 40000) }
                var damaged = bytes
                for _ in 0..<(1 + rng.next() % 3) {
                    let k = Int(rng.next() % UInt64(bytes.count))
                    damaged[k] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
                }
                if rng.next() % 4 == 0 {
                    let k = Int(rng.next() % UInt64(bytes.count - 16))
                    for j in k..<(k + 16) { damaged[j] = UInt8(truncatingIfNeeded: rng.next()) }
                }
                let padded = damaged + [UInt8](repeating: 0, count: 64)
                if let out = try? Inflate.inflate(padded, from: 0, to: damaged.count, size: 40000) { #expect(out.count == 40000) }
            }
        }
    }

    static let dynamic: [UInt8] = [
        99, 230, 18, 148, 144, 87, 211, 53, 177, 118, 242, 12, 8, 143, 75, 205, 41, 174, 106, 236, 232, 159, 54, 119,
        201, 234, 77, 59, 15, 28, 63, 119, 245, 206, 227, 87, 31, 127, 176, 112, 11, 73, 42, 168, 235, 153, 218, 56,
        123, 5, 70, 196, 167, 229, 150, 84, 55, 117, 78, 152, 62, 111, 233, 154, 205, 187, 14, 158, 56, 127, 237, 238,
        147, 215, 159, 126, 178, 242, 8, 75, 41, 106, 232, 155, 217, 186, 120, 7, 69, 38, 164, 231, 149, 214, 52, 119,
        77, 156, 49, 127, 217, 218, 45, 187, 15, 157, 188, 112, 253, 222, 211, 55, 159, 127, 177, 241, 138, 72, 43, 105,
        26, 152, 219, 185, 250, 4, 71, 37, 102, 228, 151, 213, 182, 116, 79, 154, 185, 96, 249, 186, 173, 123, 14, 159,
        186, 120, 227, 254, 179, 183, 95, 24, 216, 249, 68, 101, 148, 181, 12, 45, 236, 221, 124, 67, 162, 147, 50, 11,
        202, 235, 90, 123, 38, 207, 90, 184, 98, 253, 182, 189, 71, 78, 95, 186, 249, 224, 249, 187, 175, 140, 28, 252,
        98, 178, 42, 218, 70, 150, 14, 238, 126, 161, 49, 201, 89, 133, 21, 245, 109, 189, 83, 102, 47, 90, 185, 97,
        251, 190, 163, 103, 46, 223, 122, 248, 226, 253, 55, 38, 78, 1, 113, 57, 85, 29, 99, 43, 71, 15, 255, 176,
        216, 148, 236, 162, 202, 134, 246, 190, 169, 115, 22, 175, 218, 184, 99, 255, 177, 179, 87, 110, 63, 122, 249, 225,
        59, 51, 169, 94, 79, 76, 74, 30, 69, 163, 136, 234, 8, 0,
    ]
}
