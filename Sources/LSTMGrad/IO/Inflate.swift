/// DEFLATE decompression (RFC 1951), as zip's method 8 (and so `numpy.savez_compressed`)
/// writes it: stored, fixed-Huffman and dynamic-Huffman blocks. Every malformed input ends in
/// an `Inflate.Failure`, never a trap; the output must have exactly the size the zip directory
/// gives.
public enum Inflate {
    public struct Failure: Error, Sendable, Equatable {
        public var message: String
    }

    /// The decompressed bytes of `input[start ..< end]`, which must inflate to `size` bytes.
    public static func inflate(_ input: [UInt8], from start: Int, to end: Int, size: Int) throws(Failure) -> [UInt8] {
        var failure: Failure?
        let out = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            input.withUnsafeBufferPointer { all in
                let slice = UnsafeBufferPointer(rebasing: all[start..<end])
                var state = Inflater(input: slice, output: buffer)
                do throws(Failure) {
                    try state.run()
                    if state.outPos != size { throw Failure(message: "\(state.outPos) bytes, but the zip directory says \(size)") }
                    initialized = size
                } catch {
                    failure = error
                    // The buffer's bytes are UInt8 (trivial): zero them so the array is valid.
                    buffer.initialize(repeating: 0)
                    initialized = size
                }
            }
        }
        if let failure { throw failure }
        return out
    }
}

/// A canonical Huffman code: an 11-bit lookup table that decodes the common short codes in
/// one step, and the counts per length for the rest (decoded as in zlib's puff.c).
struct HuffmanCode {
    static let fastBits = 11
    static let fastMask = UInt64((1 << fastBits) - 1)
    /// Per `fastBits`-bit prefix (bit-reversed, as DEFLATE sends codes): symbol << 6 | length,
    /// or 0 when the code is longer. (A 64-bit shift by the entry itself drops the length's
    /// bits: the shift count is taken modulo 64.)
    var fast: [UInt16]
    /// Codes per length 0…15.
    var counts: [Int]
    /// Symbols ordered by code.
    var symbols: [Int]

    /// Builds the code from each symbol's code length (0: unused). Over-subscribed sets are
    /// errors; incomplete ones are allowed (RFC 1951 permits a single distance code).
    init(lengths: ArraySlice<Int>) throws(Inflate.Failure) {
        counts = [Int](repeating: 0, count: 16)
        for l in lengths { counts[l] += 1 }
        counts[0] = 0
        var left = 1
        for len in 1...15 {
            left <<= 1
            left -= counts[len]
            if left < 0 { throw Inflate.Failure(message: "an over-subscribed Huffman code") }
        }
        var offsets = [Int](repeating: 0, count: 16)
        for len in 1..<15 { offsets[len + 1] = offsets[len] + counts[len] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (s, l) in lengths.enumerated() where l != 0 {
            symbols[offsets[l]] = s
            offsets[l] += 1
        }
        // The fast table: walk the codes in canonical order.
        fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        fast.withUnsafeMutableBufferPointer { fast in
            var code = 0, index = 0
            for len in 1...15 {
                for _ in 0..<counts[len] {
                    if len <= Self.fastBits {
                        // Reverse the code's bits: DEFLATE sends a Huffman code's bits from the top.
                        var rev = 0
                        for b in 0..<len where code & (1 << b) != 0 { rev |= 1 << (len - 1 - b) }
                        let entry = UInt16(symbols[index] << 6 | len)
                        var k = rev
                        while k < 1 << Self.fastBits {
                            fast[k] = entry
                            k += 1 << len
                        }
                    }
                    code += 1
                    index += 1
                }
                code <<= 1
            }
        }
    }

    init(lengths: [Int]) throws(Inflate.Failure) {
        try self.init(lengths: lengths[...])
    }
}

struct Inflater {
    let input: UnsafeBufferPointer<UInt8>
    let output: UnsafeMutableBufferPointer<UInt8>
    var inPos = 0
    var outPos = 0
    /// Bits not yet consumed, the next one lowest. Bits above `bitCount` may already hold the
    /// bytes from `inPos` on (a refill loads a whole word); they are the same bytes a later
    /// refill puts there, so OR-ing them in again changes nothing.
    var bitBuffer: UInt64 = 0
    var bitCount = 0

    init(input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>) {
        self.input = input
        self.output = output
    }

    /// Per length symbol 257…285: base << 8 | extra bits; per distance symbol 0…29 likewise.
    static let lengthCodes: [UInt32] = zip(
        [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258],
        [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]).map { UInt32($0 << 8 | $1) }
    static let distanceCodes: [UInt32] = zip(
        [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
         4097, 6145, 8193, 12289, 16385, 24577],
        [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]).map { UInt32($0 << 8 | $1) }
    /// The order code-length code lengths are sent in.
    static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    static let fixed: (HuffmanCode, HuffmanCode) = {
        var lengths = [Int](repeating: 8, count: 288)
        for s in 144..<256 { lengths[s] = 9 }
        for s in 256..<280 { lengths[s] = 7 }
        // The fixed codes are complete and valid: building them cannot fail.
        let lit = try! HuffmanCode(lengths: lengths)
        let dist = try! HuffmanCode(lengths: [Int](repeating: 5, count: 30))
        return (lit, dist)
    }()

    /// Tops the bit buffer up to at least 56 bits while input lasts: a word at a time while
    /// eight bytes remain, then byte by byte.
    @inline(__always) mutating func refill() {
        if inPos <= input.count - 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(input.baseAddress! + inPos).loadUnaligned(as: UInt64.self))
            bitBuffer |= word &<< UInt64(bitCount)
            inPos += (63 - bitCount) >> 3
            bitCount |= 56
            return
        }
        while bitCount <= 56 && inPos < input.count {
            bitBuffer |= UInt64(input[inPos]) &<< UInt64(bitCount)
            inPos += 1
            bitCount += 8
        }
    }

    @inline(__always) mutating func bits(_ n: Int) throws(Inflate.Failure) -> Int {
        if bitCount < n {
            refill()
            if bitCount < n { throw Inflate.Failure(message: "the compressed data ends early") }
        }
        let v = Int(bitBuffer & ((1 &<< UInt64(n)) &- 1))
        bitBuffer &>>= UInt64(n)
        bitCount -= n
        return v
    }

    /// One symbol of `h`, whose fast table is `fast`.
    @inline(__always) mutating func decode(_ h: HuffmanCode, _ fast: UnsafeBufferPointer<UInt16>) throws(Inflate.Failure) -> Int {
        if bitCount < 15 { refill() }
        let entry = Int(fast[Int(bitBuffer & HuffmanCode.fastMask)])
        if entry != 0 && entry & 63 <= bitCount {
            bitBuffer &>>= UInt64(entry)
            bitCount -= entry & 63
            return entry >> 6
        }
        return try decodeSlowly(h)
    }

    /// A long code (or few bits left): bit by bit, canonical order.
    mutating func decodeSlowly(_ h: HuffmanCode) throws(Inflate.Failure) -> Int {
        var code = 0, first = 0, index = 0
        for len in 1...15 {
            code |= try bits(1)
            let count = h.counts[len]
            if code - count < first { return h.symbols[index + (code - first)] }
            index += count
            first += count
            first <<= 1
            code <<= 1
        }
        throw Inflate.Failure(message: "an invalid Huffman code")
    }

    mutating func decode(_ h: HuffmanCode) throws(Inflate.Failure) -> Int {
        try h.fast.withUnsafeBufferPointer { fast throws(Inflate.Failure) in try decode(h, fast) }
    }

    mutating func run() throws(Inflate.Failure) {
        var last = false
        while !last {
            last = try bits(1) == 1
            switch try bits(2) {
            case 0: try stored()
            case 1: try codes(Self.fixed.0, Self.fixed.1)
            case 2:
                let (lit, dist) = try dynamicCodes()
                try codes(lit, dist)
            default: throw Inflate.Failure(message: "a block of the reserved type 3")
            }
        }
    }

    mutating func stored() throws(Inflate.Failure) {
        // Drop the bits to the byte boundary; give back whole bytes the buffer holds.
        let drop = bitCount & 7
        bitBuffer &>>= UInt64(drop)
        bitCount -= drop
        inPos -= bitCount / 8
        bitBuffer = 0
        bitCount = 0
        guard inPos + 4 <= input.count else { throw Inflate.Failure(message: "the compressed data ends early") }
        let len = Int(input[inPos]) | Int(input[inPos + 1]) << 8
        let nlen = Int(input[inPos + 2]) | Int(input[inPos + 3]) << 8
        inPos += 4
        guard len == ~nlen & 0xFFFF else { throw Inflate.Failure(message: "a stored block whose length check fails") }
        guard inPos + len <= input.count else { throw Inflate.Failure(message: "the compressed data ends early") }
        guard outPos + len <= output.count else { throw Inflate.Failure(message: "more bytes than the zip directory says") }
        if len > 0 {
            UnsafeMutableRawPointer(output.baseAddress! + outPos).copyMemory(from: input.baseAddress! + inPos, byteCount: len)
        }
        inPos += len
        outPos += len
    }

    mutating func dynamicCodes() throws(Inflate.Failure) -> (HuffmanCode, HuffmanCode) {
        let nlen = try bits(5) + 257, ndist = try bits(5) + 1, ncode = try bits(4) + 4
        guard nlen <= 286, ndist <= 30 else { throw Inflate.Failure(message: "too many length or distance codes") }
        var codeLengths = [Int](repeating: 0, count: 19)
        for k in 0..<ncode { codeLengths[Self.codeLengthOrder[k]] = try bits(3) }
        let lencode = try HuffmanCode(lengths: codeLengths)
        var lengths = [Int](repeating: 0, count: nlen + ndist)
        var k = 0
        while k < nlen + ndist {
            let symbol = try decode(lencode)
            if symbol < 16 {
                lengths[k] = symbol
                k += 1
                continue
            }
            var repeated = 0, times = 0
            switch symbol {
            case 16:
                guard k > 0 else { throw Inflate.Failure(message: "a repeated code length with none before it") }
                repeated = lengths[k - 1]
                times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard k + times <= nlen + ndist else { throw Inflate.Failure(message: "too many code lengths") }
            for _ in 0..<times {
                lengths[k] = repeated
                k += 1
            }
        }
        guard lengths[256] != 0 else { throw Inflate.Failure(message: "no end-of-block code") }
        return (try HuffmanCode(lengths: lengths[0..<nlen]), try HuffmanCode(lengths: lengths[nlen...]))
    }

    mutating func codes(_ lit: HuffmanCode, _ dist: HuffmanCode) throws(Inflate.Failure) {
        try lit.fast.withUnsafeBufferPointer { litFast throws(Inflate.Failure) in
            try dist.fast.withUnsafeBufferPointer { distFast throws(Inflate.Failure) in
                try Self.lengthCodes.withUnsafeBufferPointer { lengthCodes throws(Inflate.Failure) in
                    try Self.distanceCodes.withUnsafeBufferPointer { distanceCodes throws(Inflate.Failure) in
                        try codes(lit, litFast, dist, distFast, lengthCodes, distanceCodes)
                    }
                }
            }
        }
    }

    /// One block's symbols up to its end-of-block code: the fast loop while the input and the
    /// output are far from their ends and the codes are short, one checked step otherwise.
    @inline(__always)
    mutating func codes(_ lit: HuffmanCode, _ litFast: UnsafeBufferPointer<UInt16>, _ dist: HuffmanCode,
                        _ distFast: UnsafeBufferPointer<UInt16>, _ lengthCodes: UnsafeBufferPointer<UInt32>,
                        _ distanceCodes: UnsafeBufferPointer<UInt32>) throws(Inflate.Failure) {
        while true {
            if try fastCodes(dist, litFast, distFast, lengthCodes, distanceCodes) { return }
            if try step(lit, litFast, dist, distFast, lengthCodes, distanceCodes) { return }
        }
    }

    /// Symbols while at least 16 input bytes and 274 output bytes remain (a refill then loads a
    /// whole word, and a match fits with room for a wide copy's overshoot), with the state in
    /// locals. True at the end-of-block code; false when it stops for an edge or a code longer
    /// than the fast table's (the caller takes one checked step).
    @inline(__always)
    mutating func fastCodes(_ dist: HuffmanCode, _ litFast: UnsafeBufferPointer<UInt16>, _ distFast: UnsafeBufferPointer<UInt16>,
                            _ lengthCodes: UnsafeBufferPointer<UInt32>, _ distanceCodes: UnsafeBufferPointer<UInt32>) throws(Inflate.Failure) -> Bool {
        let inBase = UnsafeRawPointer(input.baseAddress!), out = output.baseAddress!
        let inLimit = input.count - 16, outLimit = output.count - 274
        let lit = litFast.baseAddress!, dists = distFast.baseAddress!
        var buffer = bitBuffer, count = bitCount, inp = inPos, outp = outPos
        defer {
            bitBuffer = buffer
            bitCount = count
            inPos = inp
            outPos = outp
        }
        @inline(__always) func refill() {
            buffer |= UInt64(littleEndian: (inBase + inp).loadUnaligned(as: UInt64.self)) &<< UInt64(count)
            inp &+= (63 &- count) &>> 3
            count |= 56
        }
        @inline(__always) func take(_ n: Int) -> Int {
            let v = Int(truncatingIfNeeded: buffer & ((1 &<< UInt64(n)) &- 1))
            buffer &>>= UInt64(n)
            count &-= n
            return v
        }
        /// Consumes a fast-table entry's code.
        @inline(__always) func drop(_ entry: Int) {
            buffer &>>= UInt64(truncatingIfNeeded: entry)
            count &-= entry & 63
        }
        while inp <= inLimit && outp <= outLimit {
            refill()
            var entry = Int(lit[Int(truncatingIfNeeded: buffer & HuffmanCode.fastMask)])
            if entry == 0 { return false }
            drop(entry)
            var symbol = entry >> 6
            if symbol < 256 {
                out[outp] = UInt8(truncatingIfNeeded: symbol)
                outp &+= 1
                entry = Int(lit[Int(truncatingIfNeeded: buffer & HuffmanCode.fastMask)])
                if entry == 0 { continue }
                drop(entry)
                symbol = entry >> 6
                if symbol < 256 {
                    out[outp] = UInt8(truncatingIfNeeded: symbol)
                    outp &+= 1
                    continue
                }
            }
            if symbol == 256 { return true }
            let ls = symbol &- 257
            guard ls < 29 else { throw Inflate.Failure(message: "an invalid length code") }
            let lengthCode = Int(lengthCodes[ls])
            let length = lengthCode &>> 8 &+ take(lengthCode & 0xFF)
            refill()
            entry = Int(dists[Int(truncatingIfNeeded: buffer & HuffmanCode.fastMask)])
            var ds: Int
            if entry != 0 {
                drop(entry)
                ds = entry >> 6
            } else {
                bitBuffer = buffer
                bitCount = count
                inPos = inp
                ds = try decodeSlowly(dist)
                self.refill()
                guard bitCount >= 13 else { throw Inflate.Failure(message: "the compressed data ends early") }
                buffer = bitBuffer
                count = bitCount
                inp = inPos
            }
            guard ds < 30 else { throw Inflate.Failure(message: "an invalid distance code") }
            let distanceCode = Int(distanceCodes[ds])
            let distance = distanceCode &>> 8 &+ take(distanceCode & 0xFF)
            guard distance <= outp else { throw Inflate.Failure(message: "a distance back past the start of the data") }
            copy(out, to: outp, distance: distance, length: length, wide: true)
            outp &+= length
        }
        return false
    }

    /// Copies `length` bytes from `distance` back to `at`. Eight bytes a step when `wide` and the
    /// distance allow (each word read lies wholly before the one written; the last step may write up to
    /// seven bytes past the copy, which the caller has room for and which are overwritten
    /// later), byte by byte otherwise (the copy overlaps what it writes).
    @inline(__always)
    func copy(_ out: UnsafeMutablePointer<UInt8>, to at: Int, distance: Int, length: Int, wide: Bool) {
        var from = at &- distance, to = at
        let stop = at &+ length
        if wide && distance >= 8 {
            while to < stop {
                UnsafeMutableRawPointer(out + to).storeBytes(of: UnsafeRawPointer(out + from).loadUnaligned(as: UInt64.self), as: UInt64.self)
                to &+= 8
                from &+= 8
            }
        } else {
            while to < stop {
                out[to] = out[from]
                to &+= 1
                from &+= 1
            }
        }
    }

    /// One symbol, every read and write checked. True at the end-of-block code.
    mutating func step(_ lit: HuffmanCode, _ litFast: UnsafeBufferPointer<UInt16>, _ dist: HuffmanCode,
                       _ distFast: UnsafeBufferPointer<UInt16>, _ lengthCodes: UnsafeBufferPointer<UInt32>,
                       _ distanceCodes: UnsafeBufferPointer<UInt32>) throws(Inflate.Failure) -> Bool {
        let out = output.baseAddress!
        let symbol = try decode(lit, litFast)
        if symbol < 256 {
            guard outPos < output.count else { throw Inflate.Failure(message: "more bytes than the zip directory says") }
            out[outPos] = UInt8(truncatingIfNeeded: symbol)
            outPos += 1
            return false
        }
        if symbol == 256 { return true }
        let ls = symbol - 257
        guard ls < 29 else { throw Inflate.Failure(message: "an invalid length code") }
        let lengthCode = Int(lengthCodes[ls])
        let length = lengthCode >> 8 + (try bits(lengthCode & 0xFF))
        let ds = try decode(dist, distFast)
        guard ds < 30 else { throw Inflate.Failure(message: "an invalid distance code") }
        let distanceCode = Int(distanceCodes[ds])
        let distance = distanceCode >> 8 + (try bits(distanceCode & 0xFF))
        guard distance <= outPos else { throw Inflate.Failure(message: "a distance back past the start of the data") }
        guard outPos + length <= output.count else { throw Inflate.Failure(message: "more bytes than the zip directory says") }
        // Wide copies need seven bytes of room past the copy.
        copy(out, to: outPos, distance: distance, length: length, wide: outPos + length + 8 <= output.count)
        outPos += length
        return false
    }
}

/// CRC-32 (IEEE 802.3, as zip stores it), eight bytes per step (slicing-by-8).
public enum CRC32 {
    static let tables: [[UInt32]] = {
        var t = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[0][n] = c
        }
        for n in 0..<256 {
            for k in 1..<8 { t[k][n] = (t[k - 1][n] >> 8) ^ t[0][Int(t[k - 1][n] & 0xFF)] }
        }
        return t
    }()

    public static func checksum(_ bytes: [UInt8], from start: Int = 0, to end: Int? = nil) -> UInt32 {
        let stop = end ?? bytes.count
        let flat = tables.flatMap { $0 }
        var crc: UInt32 = 0xFFFF_FFFF
        bytes.withUnsafeBufferPointer { b in
            flat.withUnsafeBufferPointer { t in
                var k = start
                while k + 8 <= stop {
                    let lo = crc ^ (UInt32(b[k]) | UInt32(b[k + 1]) << 8 | UInt32(b[k + 2]) << 16 | UInt32(b[k + 3]) << 24)
                    let hi = UInt32(b[k + 4]) | UInt32(b[k + 5]) << 8 | UInt32(b[k + 6]) << 16 | UInt32(b[k + 7]) << 24
                    crc = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)]
                        ^ t[5 * 256 + Int((lo >> 16) & 0xFF)] ^ t[4 * 256 + Int(lo >> 24)]
                        ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                        ^ t[1 * 256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                    k += 8
                }
                while k < stop {
                    crc = t[Int((crc ^ UInt32(b[k])) & 0xFF)] ^ (crc >> 8)
                    k += 1
                }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
