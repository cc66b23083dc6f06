extension String {
    /// Replaces every occurrence of one Unicode scalar (no Foundation). On scalars, not
    /// `Character`s: `_` followed by a combining mark is still a `_` (issue 13).
    func replacingAll(_ scalar: Unicode.Scalar, with replacement: String) -> String {
        guard unicodeScalars.contains(scalar) else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            if s == scalar { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(s) }
        }
        return String(out)
    }
}
