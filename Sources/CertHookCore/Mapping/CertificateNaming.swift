import Foundation

/// Deterministic, readable CAS names for certhook uploads: `certhook-<cn>-<yyyymmdd>-<sha256 prefix>`, <= 63 chars.
public enum CertificateNaming {
  /// Prefix of every name certhook gives an upload (for people reading the CAS console; prune trusts only the
  /// state record of an upload, never the name).
  public static let prefix = "certhook-"
  /// The longest name CAS accepts comfortably.
  public static let maximumLength = 63

  /// The name for a certificate; `attempt` > 0 lengthens the fingerprint part (and then adds a counter) to resolve
  /// a collision with an existing name.
  public static func name(commonName: String?, notAfter: Date, sha256: String, attempt: Int = 0) -> String {
    let date = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeZone: .gmt).year().month().day().format(notAfter)
    let fingerprintLength = min(8 + 4 * attempt, 24)
    var fingerprint = String(sha256.lowercased().prefix(fingerprintLength))
    if attempt > 4 { fingerprint += "-\(attempt)" }
    let suffix = "-\(date)-\(fingerprint)"
    let room = maximumLength - prefix.count - suffix.count
    var cn = sanitize(commonName ?? "certificate")
    if cn.count > room { cn = String(cn.prefix(room)) }
    while cn.hasSuffix("-") || cn.hasSuffix(".") { cn.removeLast() }
    if cn.isEmpty { cn = "certificate" }
    return prefix + cn + suffix
  }

  /// True when `name` looks like a certhook upload.
  public static func isCerthookName(_ name: String) -> Bool {
    name.hasPrefix(prefix)
  }

  private static func sanitize(_ s: String) -> String {
    var out = ""
    var text = s.lowercased()
    if text.hasPrefix("*.") {
      out = "wildcard."
      text.removeFirst(2)
    }
    for ch in text {
      if ch.isASCII, ch.isLetter || ch.isNumber || ch == "." || ch == "-" {
        out.append(ch)
      } else {
        out.append("-")
      }
    }
    return out
  }
}
