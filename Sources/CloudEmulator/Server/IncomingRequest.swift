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
