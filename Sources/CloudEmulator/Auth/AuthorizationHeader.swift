import Foundation

/// The parts of a V3 `Authorization` header:
/// `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b;c>,Signature=<hex>` (spec section 2).
struct AuthorizationHeader: Sendable, Equatable {
  var accessKeyId: String
  /// Lowercased names, in the order sent.
  var signedHeaders: [String]
  var signature: String

  /// Nil when the header is not a well-formed `ACS3-HMAC-SHA256` authorization.
  init?(_ text: String) {
    let scheme = "ACS3-HMAC-SHA256"
    let trimmed = text.trimmedOfSpaces
    guard trimmed.hasPrefix(scheme + " ") else { return nil }
    var fields: [String: String] = [:]
    // Split on the ASCII separators byte by byte (splitting by `Character` walked grapheme boundaries: a tenth of
    // the signature check).
    let body = trimmed.utf8.dropFirst(scheme.utf8.count + 1)
    for part in body.split(separator: UInt8(ascii: ",")) {
      guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { return nil }
      let key = Substring(part[..<equals]).trimmedOfSpaces
      fields[key] = Substring(part[part.index(after: equals)...]).trimmedOfSpaces
    }
    guard let id = fields["Credential"], !id.isEmpty, let names = fields["SignedHeaders"], !names.isEmpty,
      let signature = fields["Signature"], !signature.isEmpty
    else { return nil }
    accessKeyId = id
    signedHeaders = names.utf8.split(separator: UInt8(ascii: ";")).map { Substring($0).lowercased() }
    self.signature = signature
  }
}
