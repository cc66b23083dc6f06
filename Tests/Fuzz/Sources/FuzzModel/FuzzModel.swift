import DialogCore

/// libFuzzer entry: the input is a classifier snapshot blob (`classifier_models.model`). A
/// damaged one must be refused with a reason (the daemon then learns the rows again), never
/// trap or lay out more than `NaiveBayes.maxLabels` columns; one it accepts must predict a
/// confidence in 0…1 (never NaN) and encode back to a blob that decodes the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzModel(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let blob = Array(UnsafeBufferPointer(start: data, count: size))
    let model: LabelModel
    do { model = try ModelCodec.decode(blob) } catch {
        precondition(!error.description.isEmpty, "a refusal without a reason")
        return 0
    }
    precondition(model.bayes.labels.count <= NaiveBayes.maxLabels, "\(model.bayes.labels.count) labels")
    for buckets in [[], [0], [1, 2, 3], [UInt32(size % 65_536), 17, 4_096]] as [[UInt32]] {
        for fromPrior in [false, true] {
            guard let p = model.predict(Features(buckets: buckets), answersFromPrior: fromPrior) else { continue }
            precondition(p.confidence.isFinite && p.confidence >= 0 && p.confidence <= 1.000_001, "confidence \(p.confidence)")
            precondition(model.bayes.labels.contains(p.label), "a label it does not hold")
        }
    }
    let again = ModelCodec.encode(model)
    guard let decoded = try? ModelCodec.decode(again) else { preconditionFailure("its own encoding is refused") }
    precondition(decoded.bayes == model.bayes && decoded.evidence == model.evidence, "the encoding changes the model")
    return 0
}
