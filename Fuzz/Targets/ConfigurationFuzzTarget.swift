import CertHookCore

/// libFuzzer entry point over the configuration decoder: `CertHookConfiguration.decode(yaml:source:)`
/// on arbitrary text (invalid UTF-8 is repaired first; the CLI refuses it before decoding).
///
/// Besides crashes it hunts secret leaks: when the input gives `accessKeySecret` a distinctive value
/// (12+ characters with a digit and an upper-case letter, appearing once in the input), no error
/// message may contain that value. A leak traps, so libFuzzer saves the input as a crasher.
@_cdecl("LLVMFuzzerTestOneInput")
public func configurationFuzzTarget(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  let text = String(decoding: bytes, as: UTF8.self)
  do {
    let (configuration, warnings) = try CertHookConfiguration.decode(yaml: text, source: "fuzz.yaml")
    _ = configuration.permissionWarning(path: "fuzz.yaml", mode: 0o644)
    for warning in warnings { checkNoSecret(warning, input: text) }
    checkNoSecret("\(configuration) \(configuration.credentials)", input: text)
  } catch {
    checkNoSecret("\(error)", input: text)
  }
  return 0
}

/// Traps when `message` contains the distinctive `accessKeySecret` value of `input`.
func checkNoSecret(_ message: String, input: String) {
  for secret in SecretCandidates.values(in: input) where message.contains(secret) {
    fatalError("accessKeySecret value leaked into a message: \(message.count) characters")
  }
}

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
