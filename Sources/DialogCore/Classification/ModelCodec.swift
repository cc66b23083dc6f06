/// The byte form of a `LabelModel` for the store: sparse (only non-zero buckets), little-endian.
/// Layout: "DNB2", alpha f32, vocabulary u32, label count u32; per label: name (u32 length +
/// UTF-8), documents f64, total f64; evidence u32; calibration: observations f64, grid count
/// u32, loss f64 per grid temperature; non-zero cell count u32, then (bucket u32, label u32,
/// count f32) per cell. "DNB1" (binned calibration, before issue 18) still loads; its
/// calibration is dropped and learned again.
public enum ModelCodec {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ model: LabelModel) -> [UInt8] {
        var out: [UInt8] = Array("DNB2".utf8)
        let b = model.bayes
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out += $0 } }
        func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        func f32(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { out += $0 } }
        f32(b.alpha)
        u32(UInt32(max(0, b.vocabulary)))
        u32(UInt32(b.labels.count))
        for (i, label) in b.labels.enumerated() {
            let bytes = Array(label.utf8)
            u32(UInt32(bytes.count)); out += bytes
            f64(b.documents[i]); f64(b.totals[i])
        }
        u32(UInt32(model.evidence.rawValue))
        f64(model.calibration.observations)
        u32(UInt32(model.calibration.loss.count))
        for v in model.calibration.loss { f64(v) }
        // The table is mostly zeros (2^18 buckets per label): skip them a bit pattern at a time
        // and write the cells in place, the count patched in after (saved at every model save).
        let stride = max(1, b.labels.count)
        let countAt = out.count
        u32(0)
        var count: UInt32 = 0
        b.table.withUnsafeBufferPointer { table in
            table.withMemoryRebound(to: UInt32.self) { bits in
                var index = 0
                let end = bits.count
                while index < end {
                    // +0.0 is all zero bits; -0.0 (0x8000_0000) is zero too, as `!= 0` says.
                    if bits[index] & 0x7FFF_FFFF != 0 {
                        u32(UInt32(index / stride)); u32(UInt32(index % stride)); f32(table[index])
                        count += 1
                    }
                    index += 1
                }
            }
        }
        withUnsafeBytes(of: count.littleEndian) { bytes in
            for (offset, byte) in bytes.enumerated() { out[countAt + offset] = byte }
        }
        return out
    }

    /// Bounds a trained model stays far inside: 2^40 documents or features, a smoothing of 16.
    static let maxCount = Double(1 << 40), maxAlpha: Float = 16

    public static func decode(_ bytes: [UInt8]) throws(Invalid) -> LabelModel {
        var at = 0
        func take(_ n: Int) throws(Invalid) -> ArraySlice<UInt8> {
            guard n >= 0, at + n <= bytes.count else { throw Invalid(description: "model blob is truncated at byte \(at)") }
            defer { at += n }
            return bytes[at..<(at + n)]
        }
        func u64() throws(Invalid) -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        func u32() throws(Invalid) -> UInt32 { try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func f64() throws(Invalid) -> Double { Double(bitPattern: try u64()) }
        func f32() throws(Invalid) -> Float { Float(bitPattern: try u32()) }
        let magic = Array(try take(4))
        guard magic == Array("DNB2".utf8) || magic == Array("DNB1".utf8) else { throw Invalid(description: "not a dialogd model blob") }
        var model = LabelModel()
        let alpha = try f32()
        let vocabulary = Int(try u32())
        let labelCount = Int(try u32())
        // Each label lays out 1 MiB of table before any cell is read: bounded as training bounds it.
        guard labelCount <= NaiveBayes.maxLabels else {
            throw Invalid(description: "model blob claims \(labelCount) labels, at most \(NaiveBayes.maxLabels) are kept")
        }
        // Counts a model can reach (sums of documents and features, clamped at 0) and the
        // smoothing training uses: anything else (NaN, ∞, negative, 1e300) would make every
        // prediction NaN rather than the snapshot unreadable and learned again.
        guard alpha.isFinite, alpha > 0, alpha <= Self.maxAlpha else { throw Invalid(description: "model blob has a smoothing of \(alpha)") }
        guard vocabulary <= NaiveBayes.buckets else { throw Invalid(description: "model blob has a vocabulary of \(vocabulary)") }
        func count(_ value: Double, _ what: String) throws(Invalid) -> Double {
            guard value.isFinite, value >= 0, value <= Self.maxCount else { throw Invalid(description: "model blob has \(what) of \(value)") }
            return value
        }
        var names: [String] = [], documents: [Double] = [], totals: [Double] = []
        for _ in 0..<labelCount {
            names.append(String(decoding: try take(Int(try u32())), as: UTF8.self))
            documents.append(try count(try f64(), "a document count"))
            totals.append(try count(try f64(), "a feature total"))
        }
        // A repeated name would give fewer columns than the cells' stride (out of range below).
        // As Strings, as `NaiveBayes` finds its columns: "é" and "e" + U+0301 would be one label
        // with a column that is never trained.
        guard Set(names).count == names.count else { throw Invalid(description: "model blob repeats a label") }
        // The table laid out once for all labels: one by one, each start re-laid it per label.
        model.bayes = NaiveBayes(labels: names)
        model.bayes.alpha = alpha
        model.bayes.documents = documents
        model.bayes.totals = totals
        if magic == Array("DNB1".utf8) {
            _ = try take(2 * 20 * 8)  // the old binned calibration
            // Only the sentiment model was seeded before any training: its labels say so.
            if Set(model.bayes.labels) == ["neutral", "positive", "negative"] { model.evidence = .perKnownFeature }
        } else {
            guard let evidence = NaiveBayes.Evidence(rawValue: UInt8(truncatingIfNeeded: try u32())) else {
                throw Invalid(description: "model blob has an unknown evidence scale")
            }
            model.evidence = evidence
            model.calibration.observations = try count(try f64(), "a calibration count")
            guard Int(try u32()) == Calibration.grid.count else { throw Invalid(description: "model blob has another temperature grid") }
            for i in Calibration.grid.indices { model.calibration.loss[i] = try count(try f64(), "a calibration loss") }
            model.calibration.refit()
        }
        let cells = Int(try u32())
        for _ in 0..<cells {
            let bucket = Int(try u32()), label = Int(try u32()), v = try f32()
            guard bucket < NaiveBayes.buckets, label < labelCount else { throw Invalid(description: "model blob has a cell out of range") }
            _ = try count(Double(v), "a cell")
            model.bayes.table[bucket * labelCount + label] = v
        }
        model.bayes.vocabulary = vocabulary
        guard at == bytes.count else { throw Invalid(description: "model blob has \(bytes.count - at) trailing bytes") }
        return model
    }
}
