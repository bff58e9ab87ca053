/// RFC 6125 host name matching against certificate DNS names.
public enum HostnameMatcher {
  /// Whether the DNS-name pattern covers `hostname`.
  ///
  /// `*.example.com` covers `a.example.com`, not `example.com` nor `a.b.example.com`; only a whole
  /// left-most label may be a wildcard; comparison is case-insensitive; a trailing dot is ignored.
  public static func matches(pattern: String, hostname: String) -> Bool {
    let pattern = normalize(pattern)
    let host = normalize(hostname)
    guard !pattern.isEmpty, !host.isEmpty else { return false }
    if !pattern.contains("*") { return pattern == host }
    let patternLabels = pattern.split(separator: ".", omittingEmptySubsequences: false)
    let hostLabels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard patternLabels.first == "*", patternLabels.count >= 3, patternLabels.count == hostLabels.count,
      !patternLabels.dropFirst().contains(where: { $0.contains("*") || $0.isEmpty }),
      let firstHostLabel = hostLabels.first, !firstHostLabel.isEmpty, !firstHostLabel.contains("*")
    else { return false }
    return Array(patternLabels.dropFirst()) == Array(hostLabels.dropFirst())
  }

  /// Whether `name` is covered by any of `patterns`.
  ///
  /// A wildcard `name` (`*.example.com`) is covered only by the identical wildcard; a plain name by an
  /// equal name or a matching wildcard.
  public static func isCovered(_ name: String, by patterns: [String]) -> Bool {
    let normalized = normalize(name)
    if normalized.contains("*") {
      return patterns.contains { normalize($0) == normalized }
    }
    return patterns.contains { matches(pattern: $0, hostname: normalized) }
  }

  private static func normalize(_ name: String) -> String {
    var text = name.lowercased()
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
