/// A small German and English polarity lexicon (folded spelling) that seeds the sentiment
/// model, so it answers sensibly before any record with a logged sentiment arrived. Seeds are
/// pseudo-counts: real training data outweighs them after a few dozen examples.
enum SentimentLexicon {
    static let positive = """
        good great excellent perfect awesome amazing fantastic wonderful love loved happy glad pleased satisfied \
        helpful friendly quick fast easy recommend thanks appreciate brilliant superb best nice smooth solved works \
        gut super toll prima klasse perfekt wunderbar hervorragend ausgezeichnet zufrieden gluecklich freundlich \
        hilfreich schnell einfach empfehlen empfehle begeistert danke dankbar spitze top geloest funktioniert \
        freue freuen gerne lob
        """.split(separator: " ").map(String.init)

    static let negative = """
        bad terrible awful horrible worst poor slow broken angry annoyed disappointed disappointing frustrated \
        useless unacceptable complaint complain refund cancel wrong fail failed failure problem problems issue \
        rude never waiting waste hate \
        schlecht schrecklich furchtbar katastrophe katastrophal langsam kaputt defekt aergerlich veraergert \
        enttaeuscht enttaeuschend unzufrieden frustriert nutzlos inakzeptabel beschwerde reklamation \
        stornieren kuendigen kuendigung falsch fehler problem probleme unfreundlich warte warten ewig \
        frechheit unverschaemt mangelhaft
        """.split(separator: " ").map(String.init)

    /// Pseudo-count of one lexicon word in its class.
    static let seedWeight: Float = 3
    /// Prior pseudo-documents: with no polar word in sight, a text is neutral.
    static let priors: [(String, Double)] = [("neutral", 6), ("positive", 2), ("negative", 2)]

    /// A model seeded with the lexicon, with negated words seeded to the opposite class and
    /// satisfaction ratings (1–2 negative, 3 neutral, 4–5 positive).
    static func seededModel() -> LabelModel {
        var model = LabelModel(evidence: .perKnownFeature)
        model.bayes = NaiveBayes(labels: priors.map(\.0))
        for (label, documents) in priors { model.bayes.seedPrior(label: label, documents: documents) }
        for word in positive {
            let h = Features.hash(word)
            model.bayes.seed(Features.bucket(h), label: "positive", weight: seedWeight)
            model.bayes.seed(Features.bucket(Features.negated(h)), label: "negative", weight: seedWeight)
        }
        for word in negative {
            let h = Features.hash(word)
            model.bayes.seed(Features.bucket(h), label: "negative", weight: seedWeight)
            model.bayes.seed(Features.bucket(Features.negated(h)), label: "neutral", weight: seedWeight)
        }
        for (rating, label) in [(1, "negative"), (2, "negative"), (3, "neutral"), (4, "positive"), (5, "positive")] {
            let b = Features.bucket(Features.hash(Document.satisfactionToken(rating)))
            model.bayes.seed(b, label: label, weight: seedWeight * 2)
        }
        // The neutral class gets as much total mass as the others, so unseen words are
        // equally likely under all three.
        let mass = Float(positive.count + negative.count) * seedWeight
        model.bayes.seed(Features.bucket(Features.hash("<neutral-mass>")), label: "neutral", weight: mass / 2)
        return model
    }
}
