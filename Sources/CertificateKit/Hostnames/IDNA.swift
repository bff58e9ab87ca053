import Foundation

/// Converts internationalized domain names to the A-label form certificates carry (`bücher.example` ->
/// `xn--bcher-kva.example`), so a name typed in Unicode is matched against the certificate's ASCII names.
///
/// The conversion is IDNA's ToASCII without the UTS #46 mapping table: Unicode NFC normalization, lowercase,
/// the ideographic full stops as label separators, then Punycode for every label that is not ASCII.
public enum IDNA {
  /// Label separators that IDNA treats like `.`.
  private static let separators: Set<Character> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]

  /// The A-label form of `name`; ASCII names come back lowercased and otherwise unchanged.
  /// - Throws: `CertificateKitError.invalidDomainName` when a label cannot be encoded or is too long.
  public static func toASCII(_ name: String) throws -> String {
    if name.utf8.allSatisfy({ $0 < 0x80 }) { return name.lowercased() }
    let normalized = name.precomposedStringWithCanonicalMapping.lowercased()
    let labels = normalized.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
    var encoded: [String] = []
    for label in labels {
      if label.utf8.allSatisfy({ $0 < 0x80 }) {
        encoded.append(String(label))
        continue
      }
      guard let punycode = Punycode.encode(Array(label.unicodeScalars)) else {
        throw CertificateKitError.invalidDomainName(name: name, reason: "label '\(label)' cannot be encoded")
      }
      let aLabel = "xn--" + punycode
      guard aLabel.utf8.count <= 63 else {
        throw CertificateKitError.invalidDomainName(
          name: name, reason: "label '\(label)' is \(aLabel.utf8.count) characters as an A-label (limit 63)")
      }
      encoded.append(aLabel)
    }
    let result = encoded.joined(separator: ".")
    guard result.utf8.count <= 254 else {
      throw CertificateKitError.invalidDomainName(
        name: name, reason: "\(result.utf8.count) characters as A-labels (limit 253)")
    }
    return result
  }
}
