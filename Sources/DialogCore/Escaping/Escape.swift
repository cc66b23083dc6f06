/// The one place where stored text becomes markup, a CSV cell, a Prometheus label or terminal
/// output. Every function works on UTF-8 bytes or Unicode scalars, never on Swift `Character`s:
/// `"` followed by U+0301 is one grapheme cluster that compares unequal to `"`, yet a browser,
/// a CSV reader or a terminal sees the `"` (issue 13).
public enum Escape {}

extension Escape {
    /// Scalars a terminal would act on or that reorder what it shows: C0 controls, DEL, C1
    /// controls, and the bidi embeddings, overrides, isolates and marks (Trojan Source).
    /// Line and paragraph separators are included: some viewers break lines on them.
    public static func isHiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// True when `text` holds a scalar `isHiddenControl` flags; `allowing` lists ones that may stay.
    public static func containsHiddenControl(_ text: String, allowing: Set<Unicode.Scalar> = []) -> Bool {
        text.unicodeScalars.contains { isHiddenControl($0) && !allowing.contains($0) }
    }
}
