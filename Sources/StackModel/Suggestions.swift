/// Finds the closest valid word for a misspelt one, for "did you mean" hints.
///
/// Distance is the optimal-string-alignment edit distance (insertions, deletions, substitutions
/// and swaps of neighbours each cost 1), compared case-insensitively.
public enum Suggestions {
    /// The candidate closest to `word`, if it is close enough to be a likely misspelling:
    /// at most 1 edit for candidates of up to 4 characters, at most 2 for longer ones, or one
    /// word a prefix of the other (`forked` -> `fork`), at least 3 characters long.
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = word.lowercased()
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = candidate.lowercased()
            let distance = editDistance(lowered, other)
            let limit = candidate.count <= 4 ? 1 : 2
            let isPrefix =
                min(lowered.count, other.count) >= 3 && (lowered.hasPrefix(other) || other.hasPrefix(lowered))
            guard isPrefix || (distance <= limit && distance < max(candidate.count, 1)) else { continue }
            if best == nil || distance < best!.distance { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// "; did you mean 'x'?" when a close candidate exists, else "; expected one of: a, b, c".
    public static func hint(for word: String, among candidates: [String], noun: String = "one of") -> String {
        if let match = closest(to: word, among: candidates) {
            return "; did you mean '\(match)'?"
        }
        return "; expected \(noun): " + candidates.joined(separator: ", ")
    }

    /// The optimal-string-alignment distance between two strings.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars)
        let t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = Array(repeating: Array(repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }
}
