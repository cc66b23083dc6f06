import CSHA256

extension SHA256 {
    /// Incremental SHA-256: feed bytes in any chunking with `update`, then `finalize` once.
    ///
    /// Allocation-free per block: the partial block lives in a fixed-size tuple and whole
    /// blocks are compressed straight from the caller's contiguous storage — by the CPU's SHA
    /// instructions where it has them (issue 17), else by the Swift rounds below.
    public struct Hasher: Sendable {
        /// h0…h7.
        private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19)
        /// The not yet compressed tail of the input (< 64 bytes used).
        private var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        private var blockCount = 0
        private var totalBytes: UInt64 = 0
        private let accelerated: Bool

        public init() { accelerated = SHA256.hasInstructions }

        /// `accelerated: false` takes the Swift rounds even on a CPU with SHA instructions (the
        /// tests check both ways against the same vectors).
        init(accelerated: Bool) { self.accelerated = accelerated && SHA256.hasInstructions }

        /// Adds bytes; contiguous collections (`[UInt8]`, `String.UTF8View`, …) take the fast path.
        public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
                update(bufferPointer: UnsafeRawBufferPointer(buffer))
            }
            if handled != nil { return }
            // Non-contiguous input: gather through a stack buffer.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { chunk in
                var used = 0
                for byte in bytes {
                    chunk[used] = byte
                    used += 1
                    if used == chunk.count {
                        update(bufferPointer: UnsafeRawBufferPointer(chunk))
                        used = 0
                    }
                }
                if used > 0 {
                    update(bufferPointer: UnsafeRawBufferPointer(start: chunk.baseAddress, count: used))
                }
            }
        }

        /// Adds the bytes in `bufferPointer`.
        public mutating func update(bufferPointer input: UnsafeRawBufferPointer) {
            guard var base = input.baseAddress, input.count > 0 else { return }
            var remaining = input.count
            totalBytes &+= UInt64(remaining)
            if blockCount > 0 {
                let take = min(64 - blockCount, remaining)
                let offset = blockCount
                withUnsafeMutableBytes(of: &block) { dst in
                    (dst.baseAddress! + offset).copyMemory(from: base, byteCount: take)
                }
                blockCount += take
                base += take
                remaining -= take
                if blockCount < 64 { return }
                var full = block
                withUnsafeBytes(of: &full) { compress($0.baseAddress!, blocks: 1) }
                blockCount = 0
            }
            let whole = remaining / 64
            if whole > 0 {
                compress(base, blocks: whole)
                base += whole * 64
                remaining -= whole * 64
            }
            if remaining > 0 {
                withUnsafeMutableBytes(of: &block) { dst in
                    dst.baseAddress!.copyMemory(from: base, byteCount: remaining)
                }
                blockCount = remaining
            }
        }

        /// Pads, compresses the last block(s) and hands the 32-byte digest to `body`, without an array.
        public consuming func finalize<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
            let bitLength = totalBytes &* 8
            // The padding: 0x80, zeros, the bit length big-endian, to the end of one or two blocks.
            var padding: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                          UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let count = blockCount < 56 ? 64 - blockCount : 128 - blockCount
            withUnsafeMutableBytes(of: &padding) { p in
                p[0] = 0x80
                p.storeBytes(of: bitLength.bigEndian, toByteOffset: count - 8, as: UInt64.self)
                update(bufferPointer: UnsafeRawBufferPointer(rebasing: p[0..<count]))
            }
            var digest = (state.0.bigEndian, state.1.bigEndian, state.2.bigEndian, state.3.bigEndian,
                          state.4.bigEndian, state.5.bigEndian, state.6.bigEndian, state.7.bigEndian)
            return withUnsafeBytes(of: &digest) { body($0) }
        }

        /// Pads, compresses the last block(s) and returns the 32-byte digest.
        public consuming func finalize() -> [UInt8] {
            finalize { Array($0) }
        }

        /// The compression function over `blocks` consecutive 64-byte blocks at `data`.
        private mutating func compress(_ data: UnsafeRawPointer, blocks: Int) {
            if accelerated {
                withUnsafeMutableBytes(of: &state) { words in
                    dialog_sha256_blocks_sha_ni(words.baseAddress!.assumingMemoryBound(to: UInt32.self),
                                                data.assumingMemoryBound(to: UInt8.self), blocks)
                }
                return
            }
            var s0 = state.0, s1 = state.1, s2 = state.2, s3 = state.3, s4 = state.4, s5 = state.5, s6 = state.6, s7 = state.7
            SHA256.roundConstants.withUnsafeBufferPointer { kBuffer in
                let k = kBuffer.baseAddress!
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuffer in
                    let w = wBuffer.baseAddress!
                    for blockIndex in 0..<blocks {
                        let p = data + blockIndex * 64
                        for t in 0..<16 {
                            w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
                        }
                        for t in 16..<64 {
                            let x = w[t - 15], y = w[t - 2]
                            let sigma0 = x.rotr(7) ^ x.rotr(18) ^ (x >> 3)
                            let sigma1 = y.rotr(17) ^ y.rotr(19) ^ (y >> 10)
                            w[t] = sigma1 &+ w[t - 7] &+ sigma0 &+ w[t - 16]
                        }
                        var a = s0, b = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7
                        // Eight rounds per step with rotated argument roles instead of shuffling a…h.
                        var t = 0
                        while t < 64 {
                            sha256Round(a, b, c, &d, e, f, g, &h, k[t] &+ w[t])
                            sha256Round(h, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
                            sha256Round(g, h, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
                            sha256Round(f, g, h, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
                            sha256Round(e, f, g, &h, a, b, c, &d, k[t + 4] &+ w[t + 4])
                            sha256Round(d, e, f, &g, h, a, b, &c, k[t + 5] &+ w[t + 5])
                            sha256Round(c, d, e, &f, g, h, a, &b, k[t + 6] &+ w[t + 6])
                            sha256Round(b, c, d, &e, f, g, h, &a, k[t + 7] &+ w[t + 7])
                            t += 8
                        }
                        s0 &+= a; s1 &+= b; s2 &+= c; s3 &+= d
                        s4 &+= e; s5 &+= f; s6 &+= g; s7 &+= h
                    }
                }
            }
            state = (s0, s1, s2, s3, s4, s5, s6, s7)
        }
    }
}

/// One SHA-256 round: `d` and `h` are the two words that change; the caller rotates roles.
@inline(__always)
private func sha256Round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32
) {
    let t1 = h &+ (e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)) &+ (g ^ (e & (f ^ g))) &+ kw
    let t2 = (a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)) &+ ((a & b) | (c & (a | b)))
    d &+= t1
    h = t1 &+ t2
}

extension UInt32 {
    /// Rotate right; compiles to a single `ror`.
    @inline(__always) fileprivate func rotr(_ n: UInt32) -> UInt32 {
        (self >> n) | (self << (32 &- n))
    }
}
