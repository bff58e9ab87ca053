import Foundation

// Shared by the configuration fuzz target (Fuzz/fuzz.sh compiles this file into it) and the corpus replay
// test, so that both judge a leak by the same rule.

/// Distinctive values given to `accessKeySecret` in a YAML text.
enum SecretCandidates {
  /// Each run of 12+ letters/digits right after the key `accessKeySecret:` (optionally quoted) that has a digit
  /// and an upper-case letter and occurs only once in the text.
  static func values(in text: String) -> [String] {
    var result: [String] = []
    var rest = Substring(text)
    while let range = rest.range(of: "accessKeySecret") {
      // Only a real key: `accessKeySecret`, optional closing quote and blanks, then `:`.
      let afterKey = rest[range.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\t" }
      guard afterKey.first == ":" else {
        rest = rest[range.upperBound...]
        continue
      }
      var tail = afterKey.dropFirst().drop { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\t" }
      let value = String(tail.prefix { $0.isASCII && ($0.isLetter || $0.isNumber) })
      tail = tail.dropFirst(value.count)
      rest = tail
      guard value.count >= 12, value.contains(where: \.isNumber), value.contains(where: \.isUppercase) else { continue }
      if text.components(separatedBy: value).count == 2 { result.append(value) }
    }
    return result
  }
}
