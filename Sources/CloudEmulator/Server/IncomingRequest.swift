import Foundation

/// An HTTP request as received, independent of the server framework: what signature checks and
/// operations read. Query and form body are decoded alike (`WireCoding`: `%XX`, and `+` as a space, as the
/// gateway does for the official SDK's `quote_plus` queries).
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
  /// The query string as it arrived, still encoded.
  var rawQuery: String

  init(method: String, path: String, rawQuery: String?, headers: [(String, String)], body: [UInt8]) throws(ApiError) {
    self.method = method.uppercased()
    self.path = path.isEmpty ? "/" : path
    self.headers = headers.map { ($0.0.lowercased(), $0.1) }
    self.body = body
    self.rawQuery = rawQuery ?? ""
    self.query = try WireCoding.decodePairs(rawQuery ?? "")
    let contentType = self.headers.first { $0.0 == "content-type" }?.1.lowercased() ?? ""
    if contentType.hasPrefix("application/x-www-form-urlencoded"), !body.isEmpty {
      guard let text = String(bytes: body, encoding: .utf8) else {
        throw ApiError.invalidParameter("the form body is not UTF-8")
      }
      self.form = try WireCoding.decodePairs(text)
    } else {
      self.form = []
    }
  }

  /// The first value of header `name` (lowercase).
  func header(_ name: String) -> String? {
    headers.first { $0.0 == name }?.1
  }

  /// The request as it arrived, for `--record-wire`.
  var wire: WireRecord {
    WireRecord(
      method: method, path: path, rawQuery: rawQuery, headers: headers.map { [$0.0, $0.1] },
      body: String(decoding: body, as: UTF8.self))
  }

  /// Query and form parameters together (query first).
  var parameters: [(String, String)] { query + form }
}
