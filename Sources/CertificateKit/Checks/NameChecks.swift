/// Findings about what a certificate carries rather than what it is for: extensions that OpenSSL loads but
/// certhook could not read, and DNS SANs that are not host names. Shared by `inspect` (every certificate of
/// the chain) and `scan` (every certificate found).
public enum NameChecks {
  /// The findings for `certificate` at position `index` (0 = leaf); empty for a well-formed certificate.
  public static func findings(_ certificate: Certificate, index: Int) -> [Finding] {
    var findings: [Finding] = []
    for problem in certificate.malformedExtensions {
      findings.append(
        Finding(
          code: .malformedExtension, severity: .critical,
          message: "\(ValidityChecks.label(certificate, index: index)) has a malformed extension: \(problem)",
          certificateIndex: index))
    }
    for name in certificate.dnsNames {
      switch DNSNameSyntax.check(name) {
      case .valid:
        continue
      case .underscore:
        findings.append(
          Finding(
            code: .underscoreInDNSName, severity: .info,
            message: "\(ValidityChecks.label(certificate, index: index)) has the DNS name '\(name)' with an "
              + "underscore, which RFC 5280 does not allow in a host name (it is still matched, as OpenSSL does)",
            certificateIndex: index))
      case .invalid(let reason):
        findings.append(
          Finding(
            code: .invalidDNSName, severity: .warning,
            message: "\(ValidityChecks.label(certificate, index: index)) has the DNS name '\(name)', which is not a "
              + "host name: \(reason)", certificateIndex: index))
      }
    }
    return findings
  }
}

/// The RFC 5280 / RFC 1034 preferred syntax of a DNS SAN: labels of letters, digits and hyphens (not at
/// either end), at most 63 characters each and 253 in all, an optional `*` as the whole left-most label.
enum DNSNameSyntax {
  enum Verdict: Equatable {
    case valid
    case underscore
    case invalid(String)
  }

  /// One pass over the bytes, no allocation for a valid name (the scan checks every DNS SAN it reads).
  static func check(_ name: String) -> Verdict {
    var utf8 = Substring(name).utf8
    if utf8.last == UInt8(ascii: ".") { utf8 = utf8.dropLast() }
    guard !utf8.isEmpty else { return .invalid("it is empty") }
    guard utf8.count <= 253 else { return .invalid("it is longer than 253 characters") }
    var sawUnderscore = false
    var labelStart = utf8.startIndex
    var isFirstLabel = true
    var index = utf8.startIndex
    while true {
      let atEnd = index == utf8.endIndex
      if atEnd || utf8[index] == UInt8(ascii: ".") {
        let label = utf8[labelStart..<index]
        if let problem = labelProblem(label, isFirst: isFirstLabel, sawUnderscore: &sawUnderscore) {
          return .invalid(problem)
        }
        if atEnd { break }
        isFirstLabel = false
        labelStart = utf8.index(after: index)
      }
      index = utf8.index(after: index)
    }
    return sawUnderscore ? .underscore : .valid
  }

  private static func labelProblem(_ label: Substring.UTF8View.SubSequence, isFirst: Bool, sawUnderscore: inout Bool)
    -> String?
  {
    guard let first = label.first, let last = label.last else { return "it has an empty label" }
    var text: String { String(Substring(label)) }
    if label.count > 63 { return "the label '\(text)' is longer than 63 characters" }
    if isFirst && label.count == 1 && first == UInt8(ascii: "*") { return nil }
    for byte in label where !HostnameMatcher.isLDH(byte: byte) {
      guard byte == UInt8(ascii: "_") else {
        return "the label '\(text)' holds a character other than letters, digits and hyphens"
      }
      sawUnderscore = true
    }
    if first == UInt8(ascii: "-") || last == UInt8(ascii: "-") {
      return "the label '\(text)' starts or ends with a hyphen"
    }
    return nil
  }
}
