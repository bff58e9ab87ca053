import AlibabaCloud
import Foundation

/// An HTTP request as received, independent of the server framework: what signature checks and
/// operations read.
struct IncomingRequest: Sendable {
  var method: String
  var path: String
  /// Decoded query parameters in arrival order.
  var query: [(String, String)]
  /// Decoded form-body parameters in arrival order.
  var form: [(String, String)]
  /// Headers with lowercase names, in arrival order (repeats kept). Includes `host`.
  var headers: [(String, String)]
  var body: [UInt8]

  init(method: String, path: String, rawQuery: String?, headers: [(String, String)], body: [UInt8]) throws(ApiError) {
    self.method = method.uppercased()
    self.path = path.isEmpty ? "/" : path
    self.headers = headers.map { ($0.0.lowercased(), $0.1) }
    self.body = body
    self.query = try IncomingRequest.parsePairs(rawQuery ?? "", plusAsSpace: false)
    let contentType = self.headers.first { $0.0 == "content-type" }?.1.lowercased() ?? ""
    if contentType.hasPrefix("application/x-www-form-urlencoded"), !body.isEmpty {
      guard let text = String(bytes: body, encoding: .utf8) else {
        throw ApiError.invalidParameter("the form body is not UTF-8")
      }
      self.form = try IncomingRequest.parsePairs(text, plusAsSpace: true)
    } else {
      self.form = []
    }
  }

  static func parsePairs(_ text: String, plusAsSpace: Bool) throws(ApiError) -> [(String, String)] {
    var out: [(String, String)] = []
    for item in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let rawName = String(parts[0])
      let rawValue = parts.count > 1 ? String(parts[1]) : ""
      guard let name = AcsPercentEncoding.decode(rawName, plusAsSpace: plusAsSpace),
        let value = AcsPercentEncoding.decode(rawValue, plusAsSpace: plusAsSpace)
      else {
        throw ApiError.invalidParameter("malformed percent-encoding in '\(rawName)'")
      }
      out.append((name, value))
    }
    return out
  }

  /// The first value of header `name` (lowercase).
  func header(_ name: String) -> String? {
    headers.first { $0.0 == name }?.1
  }

  /// Query and form parameters together (query first).
  var parameters: [(String, String)] { query + form }
}

/// Business parameters of one API call, with the typed readers operations need.
struct Parameters: Sendable {
  private var values: [String: String] = [:]

  init(_ pairs: [(String, String)]) {
    for (k, v) in pairs where values[k] == nil {
      values[k] = v
    }
  }

  subscript(_ name: String) -> String? { values[name] }

  /// A non-empty value or nil.
  func string(_ name: String) -> String? {
    guard let v = values[name], !v.isEmpty else { return nil }
    return v
  }

  func required(_ name: String) throws(ApiError) -> String {
    guard let v = string(name) else { throw ApiError.missingParameter(name) }
    return v
  }

  /// `true`/`True`/`TRUE` are true, `false`/absent false; anything else is an error.
  func bool(_ name: String) throws(ApiError) -> Bool {
    guard let v = string(name) else { return false }
    switch v.lowercased() {
    case "true": return true
    case "false": return false
    default: throw ApiError.invalidParameter("the parameter \(name) must be true or false")
    }
  }

  func int(_ name: String, default def: Int, range: ClosedRange<Int>) throws(ApiError) -> Int {
    guard let v = string(name) else { return def }
    guard let i = Int(v), range.contains(i) else {
      throw ApiError.invalidParameter("the parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
    }
    return i
  }

  /// Values of a flattened list `Name.1`, `Name.2`, ... (or `Name.1.Field` when `field` is set), in index order.
  func list(_ name: String, field: String? = nil) -> [String] {
    var indexed: [(Int, String)] = []
    let prefix = name + "."
    for (k, v) in values where k.hasPrefix(prefix) {
      let rest = k.dropFirst(prefix.count)
      let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
      guard let index = Int(parts[0]) else { continue }
      if let field {
        guard parts.count == 2, parts[1] == field else { continue }
      } else if parts.count != 1 {
        continue
      }
      indexed.append((index, v))
    }
    if indexed.isEmpty, let json = values[name], json.hasPrefix("[") {
      return Parameters.jsonList(json, field: field)
    }
    return indexed.sorted { $0.0 < $1.0 }.map { $0.1 }
  }

  /// Values of a JSON-encoded list (`[{"CertificateId":"1-cn-hangzhou"}]` or `["a","b"]`), the form
  /// OpenAPI Explorer's sample requests show.
  private static func jsonList(_ text: String, field: String?) -> [String] {
    guard let items = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [Any] else { return [] }
    return items.compactMap { item in
      if let field {
        return (item as? [String: Any])?[field].map { "\($0)" }
      }
      return item as? String
    }
  }
}
