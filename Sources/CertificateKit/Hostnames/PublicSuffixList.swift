import Foundation

/// The Public Suffix List (publicsuffix.org), read at run time from Debian's `publicsuffix` package:
/// a wildcard name must not cover a public suffix plus one label (`*.co.uk`, `*.s3.amazonaws.com`).
///
/// Rules are kept in A-label form, so they compare with certificate names. When the list cannot be read,
/// only the implicit rule remains (every single label is a public suffix, so `*.com` still covers
/// nothing) and `unavailableReason` says why, for the operator.
public struct PublicSuffixList: Sendable {
  /// Where Debian's `publicsuffix` package installs the list.
  public static let installedPath = "/usr/share/publicsuffix/public_suffix_list.dat"

  /// The installed list, read once per process on first use.
  public static let system = PublicSuffixList(path: installedPath)

  /// The file the rules came from.
  public let source: String
  /// Why no rules were loaded (missing file, unreadable, empty), with what to do; nil when the list is loaded.
  public let unavailableReason: String?
  /// How many rules were loaded.
  public var ruleCount: Int { rules.count + wildcards.count + exceptions.count }

  private let rules: Set<String>
  private let wildcards: Set<String>
  private let exceptions: Set<String>

  /// Reads the list at `path` (the `.dat` text format); never throws: an unreadable or empty file leaves the
  /// list unavailable, with the reason in `unavailableReason`.
  public init(path: String) {
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      self.init(
        rules: "", source: path,
        unavailableReason: "public suffix list \(path) \(exists ? "is not readable" : "is missing") "
          + "(install Debian's publicsuffix package); wildcards are refused only on single-label suffixes")
      return
    }
    self.init(rules: String(decoding: data, as: UTF8.self), source: path)
  }

  /// Parses rules in the `.dat` format: one rule per line, `//` comments, `*.` wildcards, `!` exceptions.
  public init(rules text: String, source: String) {
    self.init(rules: text, source: source, unavailableReason: nil)
  }

  private init(rules text: String, source: String, unavailableReason: String?) {
    var rules: Set<String> = []
    var wildcards: Set<String> = []
    var exceptions: Set<String> = []
    for token in Self.firstTokens(of: text) {
      guard !token.starts(with: [0x2F, 0x2F]) else { continue }  // "//": a comment
      var rule = token[...]
      let isException = rule.first == UInt8(ascii: "!")
      if isException { rule = rule.dropFirst() }
      let isWildcard = rule.starts(with: [UInt8(ascii: "*"), UInt8(ascii: ".")])
      if isWildcard { rule = rule.dropFirst(2) }
      guard !rule.isEmpty, let name = Self.aLabels(rule) else { continue }
      if isException {
        exceptions.insert(name)
      } else if isWildcard {
        wildcards.insert(name)
      } else {
        rules.insert(name)
      }
    }
    self.rules = rules
    self.wildcards = wildcards
    self.exceptions = exceptions
    self.source = source
    if unavailableReason == nil, rules.isEmpty, wildcards.isEmpty {
      self.unavailableReason =
        "public suffix list \(source) holds no rules; wildcards are refused only on single-label suffixes"
    } else {
      self.unavailableReason = unavailableReason
    }
  }

  /// The first whitespace-separated token of every line (the `.dat` format reads a line only up to its first
  /// space), as bytes: splitting the 230 KB list by `Character` took a tenth of a short run's start-up.
  private static func firstTokens(of text: String) -> [ArraySlice<UInt8>] {
    let bytes = Array(text.utf8)
    var tokens: [ArraySlice<UInt8>] = []
    var index = 0
    while index < bytes.count {
      var end = index
      while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
      var start = index
      while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
      var stop = start
      while stop < end, bytes[stop] != 0x20, bytes[stop] != 0x09 { stop += 1 }
      if stop > start { tokens.append(bytes[start..<stop]) }
      index = end + 1
    }
    return tokens
  }

  /// A rule in A-label form: ASCII lowered in place, anything else through IDNA; nil when it cannot be encoded.
  private static func aLabels(_ rule: ArraySlice<UInt8>) -> String? {
    guard rule.allSatisfy({ $0 < 0x80 }) else { return try? IDNA.toASCII(String(decoding: rule, as: UTF8.self)) }
    return String(decoding: rule.lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
  }

  /// Whether `name` (A-labels, any case, trailing dot ignored) is itself a public suffix: a rule, a name
  /// directly below a wildcard rule (unless excepted), or a single label.
  public func isPublicSuffix(_ name: String) -> Bool {
    var domain = name.lowercased()
    if domain.hasSuffix(".") { domain.removeLast() }
    guard let dot = domain.firstIndex(of: ".") else { return true }
    if exceptions.contains(domain) { return false }
    if rules.contains(domain) { return true }
    return wildcards.contains(String(domain[domain.index(after: dot)...]))
  }
}
