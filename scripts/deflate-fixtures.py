#!/usr/bin/env python3
"""Writes fixtures/files/deflate/*.deflate: raw DEFLATE streams (zlib, wbits = -15) of one
40 000-byte input that mixes float32 noise (mostly literals), text repeated at distances
below and above 8 bytes, runs (distance 1, length 258) and a match 30 000 bytes back, at zlib
levels 1, 6 and 9 and with fixed Huffman codes. The tests inflate each and check the size and
CRC-32 printed here (and zlib.crc32 of the input), then corrupt them at random.
"""
import os
import zlib

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "files", "deflate")
rng = np.random.default_rng(15)
parts = [rng.uniform(-0.05, 0.05, 2500).astype("<f4").tobytes(),
         b"abcabcabcabcabcabc" * 100,
         b"\0" * 2000,
         b"the long short-term memory, the gated recurrent unit, the recurrent network. " * 60,
         rng.integers(0, 256, 3000, dtype=np.uint8).tobytes()]
data = b"".join(parts)
data = data + data[:40000 - len(data)] if len(data) < 40000 else data[:40000]
print("size %d crc 0x%08x" % (len(data), zlib.crc32(data)))
os.makedirs(ROOT, exist_ok=True)
for name, level, strategy in [("level1", 1, zlib.Z_DEFAULT_STRATEGY), ("level6", 6, zlib.Z_DEFAULT_STRATEGY),
                              ("level9", 9, zlib.Z_DEFAULT_STRATEGY), ("fixed", 6, zlib.Z_FIXED)]:
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    stream = c.compress(data) + c.flush()
    assert zlib.decompress(stream, -15) == data
    with open(os.path.join(ROOT, name + ".deflate"), "wb") as f:
        f.write(stream)
    print(name, len(stream))
