/// RFC 6125 host name matching against certificate DNS names, as OpenSSL's `X509_check_host` does it, with
/// the Public Suffix List on top: a wildcard never covers a public suffix plus one label.
public enum HostnameMatcher {
  /// Whether the DNS-name pattern covers `hostname`.
  ///
  /// `*.example.com` covers `a.example.com`, not `example.com` nor `a.b.example.com`; only a whole
  /// left-most label may be a wildcard, and the label it stands for must be letters, digits and hyphens
  /// (OpenSSL); a wildcard over a public suffix (`*.co.uk`) covers nothing; comparison is case-insensitive;
  /// a trailing dot is ignored; a Unicode `hostname` is compared in its A-label form.
  public static func matches(
    pattern: String, hostname: String, publicSuffixes: PublicSuffixList = .system
  ) -> Bool {
    let pattern = normalize(pattern)
    let host = normalize(hostname)
    guard !pattern.isEmpty, !host.isEmpty else { return false }
    if !pattern.contains("*") { return pattern == host }
    let patternLabels = pattern.split(separator: ".", omittingEmptySubsequences: false)
    let hostLabels = host.split(separator: ".", omittingEmptySubsequences: false)
    guard patternLabels.first == "*", patternLabels.count >= 3, patternLabels.count == hostLabels.count,
      !patternLabels.dropFirst().contains(where: { $0.isEmpty || !isLDH($0) }),
      let firstHostLabel = hostLabels.first, !firstHostLabel.isEmpty, isLDH(firstHostLabel)
    else { return false }
    guard Array(patternLabels.dropFirst()) == Array(hostLabels.dropFirst()) else { return false }
    return !publicSuffixes.isPublicSuffix(patternLabels.dropFirst().joined(separator: "."))
  }

  /// Whether `name` is covered by any of `patterns`.
  ///
  /// A wildcard `name` (`*.example.com`) is covered only by the identical wildcard, and never when it stands
  /// for a public suffix; a plain name by an equal name or a matching wildcard.
  public static func isCovered(_ name: String, by patterns: [String], publicSuffixes: PublicSuffixList = .system)
    -> Bool
  {
    let normalized = normalize(name)
    if normalized.hasPrefix("*.") {
      guard !publicSuffixes.isPublicSuffix(String(normalized.dropFirst(2))) else { return false }
      return patterns.contains { normalize($0) == normalized }
    }
    if normalized.contains("*") {
      return patterns.contains { normalize($0) == normalized }
    }
    return patterns.contains { matches(pattern: $0, hostname: normalized, publicSuffixes: publicSuffixes) }
  }

  /// Letters, digits and hyphens only (what OpenSSL lets a wildcard stand for or stand next to).
  static func isLDH<S: StringProtocol>(_ label: S) -> Bool {
    label.utf8.allSatisfy(isLDH(byte:))
  }

  /// One letter, digit or hyphen.
  static func isLDH(byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
  }

  /// Lowercase, no trailing dot, Unicode labels as A-labels.
  private static func normalize(_ name: String) -> String {
    var text = name.utf8.allSatisfy({ $0 < 0x80 }) ? name.lowercased() : ((try? IDNA.toASCII(name)) ?? name)
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }
}
