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
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix(scheme + " ") else { return nil }
    var fields: [String: String] = [:]
    for part in trimmed.dropFirst(scheme.count + 1).split(separator: ",") {
      guard let equals = part.firstIndex(of: "=") else { return nil }
      let key = part[..<equals].trimmingCharacters(in: .whitespaces)
      fields[key] = String(part[part.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
    }
    guard let id = fields["Credential"], !id.isEmpty, let names = fields["SignedHeaders"], !names.isEmpty,
      let signature = fields["Signature"], !signature.isEmpty
    else { return nil }
    accessKeyId = id
    signedHeaders = names.split(separator: ";").map { $0.lowercased() }
    self.signature = signature
  }
}
