/// The members of a zip archive (what `numpy.savez` and `savez_compressed` write), read from
/// its central directory, zip64 included: stored (method 0) and deflated (method 8) members,
/// each checked against its CRC-32.
public struct ZipArchive {
    public struct Member: Sendable {
        public var name: String
        var method: Int
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    public let bytes: [UInt8]
    public private(set) var members: [Member] = []

    public init(_ bytes: [UInt8]) throws(TensorFileError) {
        self.bytes = bytes
        let n = bytes.count
        // The end of central directory record: 22 bytes and a comment of up to 65535, at the end.
        var eocd = -1
        var k = n - 22
        while k >= max(0, n - 22 - 65535) {
            if bytes[k] == 0x50 && bytes[k + 1] == 0x4B && bytes[k + 2] == 5 && bytes[k + 3] == 6 {
                eocd = k
                break
            }
            k -= 1
        }
        guard eocd >= 0 else {
            throw TensorFileError("the zip archive", expected: "an end-of-central-directory record (a zip file, as numpy.savez writes)",
                                  found: n < 22 ? "\(n) bytes" : "none (not a zip file, or truncated)")
        }
        var count = bytes.le16(eocd + 10)
        var directorySize = bytes.le32(eocd + 12)
        var directoryOffset = bytes.le32(eocd + 16)
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // zip64: a locator just before, pointing at the zip64 end record.
            let loc = eocd - 20
            guard loc >= 0, bytes.le32(loc) == 0x0706_4B50 else {
                throw TensorFileError("the zip archive", expected: "a zip64 end-of-central-directory locator", found: "none")
            }
            let record = Int(clamping: bytes.le64(loc + 8))
            guard record >= 0, record + 56 <= n, bytes.le32(record) == 0x0606_4B50 else {
                throw TensorFileError("the zip archive", expected: "a zip64 end-of-central-directory record", found: "none at offset \(record)")
            }
            count = Int(clamping: bytes.le64(record + 32))
            directorySize = Int(clamping: bytes.le64(record + 40))
            directoryOffset = Int(clamping: bytes.le64(record + 48))
        }
        guard directoryOffset >= 0, directorySize >= 0, directoryOffset <= n - directorySize else {
            throw TensorFileError("the zip archive", expected: "a central directory inside the file", found: "\(directorySize) bytes at offset \(directoryOffset) of \(n) (truncated?)")
        }
        var p = directoryOffset
        for index in 0..<count {
            guard p + 46 <= n, bytes.le32(p) == 0x0201_4B50 else {
                throw TensorFileError("the zip archive", expected: "central directory entry \(index) of \(count)", found: "no entry header at offset \(p)")
            }
            let nameLength = bytes.le16(p + 28), extraLength = bytes.le16(p + 30), commentLength = bytes.le16(p + 32)
            guard p + 46 + nameLength + extraLength + commentLength <= n else {
                throw TensorFileError("the zip archive", expected: "central directory entry \(index) inside the file", found: "the file ends in it")
            }
            let name = String(decoding: bytes[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            var member = Member(name: name, method: bytes.le16(p + 10), crc: UInt32(bytes.le32(p + 16)),
                                compressedSize: bytes.le32(p + 20), size: bytes.le32(p + 24), localHeaderOffset: bytes.le32(p + 42))
            // zip64 sizes and offset: in the extra field 0x0001, those whose 32-bit field is all ones.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = bytes.le16(e), size = bytes.le16(e + 2)
                if id == 1 {
                    var q = e + 4
                    func next() -> Int? {
                        guard q + 8 <= e + 4 + size else { return nil }
                        defer { q += 8 }
                        return Int(clamping: bytes.le64(q))
                    }
                    if member.size == 0xFFFF_FFFF, let v = next() { member.size = v }
                    if member.compressedSize == 0xFFFF_FFFF, let v = next() { member.compressedSize = v }
                    if member.localHeaderOffset == 0xFFFF_FFFF, let v = next() { member.localHeaderOffset = v }
                }
                e += 4 + size
            }
            members.append(member)
            p += 46 + nameLength + extraLength + commentLength
        }
    }

    /// A member's bytes, decompressed and checked.
    public func data(_ member: Member) throws(TensorFileError) -> [UInt8] {
        let part = "member \"\(member.name)\""
        let h = member.localHeaderOffset
        guard h >= 0, h <= bytes.count - 30, bytes.le32(h) == 0x0403_4B50 else {
            throw TensorFileError(part, expected: "a local file header", found: "none at offset \(h) (truncated or corrupt archive)")
        }
        let start = h + 30 + bytes.le16(h + 26) + bytes.le16(h + 28)
        guard member.compressedSize >= 0, start <= bytes.count - member.compressedSize else {
            throw TensorFileError(part, expected: "\(member.compressedSize) bytes of data", found: "\(max(0, bytes.count - start)) (the file is truncated)")
        }
        let end = start + member.compressedSize
        let data: [UInt8]
        switch member.method {
        case 0:
            guard member.size == member.compressedSize else {
                throw TensorFileError(part, expected: "a stored member of \(member.size) bytes", found: "\(member.compressedSize) bytes")
            }
            data = Array(bytes[start..<end])
        case 8:
            do {
                data = try Inflate.inflate(bytes, from: start, to: end, size: member.size)
            } catch {
                throw TensorFileError(part, expected: "valid deflate data", found: error.message)
            }
        default:
            throw TensorFileError(part, expected: "compression method 0 (stored) or 8 (deflate), as numpy writes",
                                  found: "method \(member.method)")
        }
        let crc = CRC32.checksum(data)
        guard crc == member.crc else {
            throw TensorFileError(part, expected: "CRC-32 \(hex(member.crc)) (from the zip directory)", found: "\(hex(crc)): the data is corrupt")
        }
        return data
    }

    func hex(_ x: UInt32) -> String {
        let s = String(x, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - s.count) + s
    }
}
