import Foundation

/// The canonical strings both signature versions sign, built by the emulator from the API spec (section 2)
/// with its own encoding (`WireCoding`): the client's signer is never consulted.
enum CanonicalForms {
  /// Parameters sorted by encoded name (then encoded value), each `name=value`, joined by `&`.
  static func query(_ pairs: [(String, String)]) -> String {
    pairs.map { (WireCoding.encode($0.0), WireCoding.encode($0.1)) }
      .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
      .map { $0.0 + "=" + $0.1 }
      .joined(separator: "&")
  }

  /// One `name:value\n` line per signed header, sorted by name; a header sent more than once is joined with `,`
  /// after trimming and sorting its values, as the official signer does (`x-acs-test:http,https`).
  static func headers(_ headers: [(String, String)], signed: [String]) -> String {
    var values: [String: [String]] = [:]
    let wanted = Set(signed)
    for (name, value) in headers {
      let lower = name.lowercased()
      if wanted.contains(lower) { values[lower, default: []].append(value.trimmingCharacters(in: .whitespaces)) }
    }
    return signed.sorted().map { name in name + ":" + (values[name] ?? []).sorted().joined(separator: ",") + "\n" }
      .joined()
  }

  /// V3 canonical request: method, path, canonical query, canonical headers, signed names, payload hash.
  static func v3Request(
    method: String, path: String, query: [(String, String)], headers: [(String, String)], signed: [String],
    payloadHash: String
  ) -> String {
    [method, path, Self.query(query), Self.headers(headers, signed: signed), signed.sorted().joined(separator: ";"),
      payloadHash].joined(separator: "\n")
  }

  /// V1 string to sign: `METHOD&%2F&` + the encoded canonical query of every parameter but `Signature`.
  static func v1StringToSign(method: String, parameters: [(String, String)]) -> String {
    method + "&%2F&" + WireCoding.encode(query(parameters))
  }
}
