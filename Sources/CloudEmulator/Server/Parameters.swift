import Foundation

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
      throw ApiError.invalidParameter(
        "the parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
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
