import Foundation

/// The canonical strings both signature versions sign, built by the emulator from the API spec (section 2)
/// with its own encoding (`WireCoding`): the client's signer is never consulted.
enum CanonicalForms {
  /// Parameters sorted by encoded name (then encoded value), each `name=value`, joined by `&`.
  static func query(_ pairs: [(String, String)]) -> String {
    var encoded: [(name: String, value: String)] = []
    for (name, value) in pairs {
      encoded.append((WireCoding.encode(name), WireCoding.encode(value)))
    }
    encoded.sort { (a: (name: String, value: String), b: (name: String, value: String)) -> Bool in
      a.name == b.name ? a.value < b.value : a.name < b.name
    }
    var parts: [String] = []
    for item in encoded { parts.append(item.name + "=" + item.value) }
    return parts.joined(separator: "&")
  }

  /// One `name:value\n` line per signed header, sorted by name; a header sent more than once is joined with `,`
  /// after trimming and sorting its values, as the official signer does (`x-acs-test:http,https`).
  static func headers(_ headers: [(String, String)], signed: [String]) -> String {
    var values: [String: [String]] = [:]
    let wanted = Set(signed)
    for (name, value) in headers {
      let lower = name.lowercased()
      if wanted.contains(lower) { values[lower, default: []].append(value.trimmedOfSpaces) }
    }
    var lines = ""
    for name in signed.sorted() {
      let joined: String = (values[name] ?? []).sorted().joined(separator: ",")
      lines += name + ":" + joined + "\n"
    }
    return lines
  }

  /// V3 canonical request: method, path, canonical query, canonical headers, signed names, payload hash.
  static func v3Request(
    method: String, path: String, query: [(String, String)], headers: [(String, String)], signed: [String],
    payloadHash: String
  ) -> String {
    let parts: [String] = [
      method, path, Self.query(query), Self.headers(headers, signed: signed), signed.sorted().joined(separator: ";"),
      payloadHash,
    ]
    return parts.joined(separator: "\n")
  }

  /// V1 string to sign: `METHOD&%2F&` + the encoded canonical query of every parameter but `Signature`.
  static func v1StringToSign(method: String, parameters: [(String, String)]) -> String {
    method + "&%2F&" + WireCoding.encode(query(parameters))
  }
}
