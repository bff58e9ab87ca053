import Foundation

/// What every product client does the same way on top of `call`: NextToken listings that must end, and dry runs whose
/// passing answer is the `DryRunOperation` error.
///
/// Rule it keeps: a listing never loops (a repeated `NextToken` or more than `maxPages` pages stops it with an
/// error) and a passing dry run is never reported as a failure.
extension AcsRPCClient {
  /// Most pages one listing reads: a server that never stops handing out fresh `NextToken`s cannot keep a run
  /// looping.
  public static let maxPages = 1000

  /// Every item under `listKey` of `action`, following `NextToken` with `MaxResults=pageSize`.
  func tokenPages(
    _ action: String, parameters: [(String, String)], listKey: String, pageSize: Int,
    location: ParameterLocation = .query
  ) async throws -> [JSONValue] {
    var items: [JSONValue] = []
    var token: String?
    var seenTokens: Set<String> = []
    var pages = 0
    repeat {
      guard pages < Self.maxPages else {
        throw AlibabaCloudError(
          kind: .invalidResponse, action: action, product: product,
          message: "stopped after \(Self.maxPages) pages (\(items.count) items): the answer still carried a NextToken; "
            + "the listing does not end, so it was not used")
      }
      var p = parameters
      p.append(("MaxResults", String(pageSize)))
      if let token { p.append(("NextToken", token)) }
      let json = try await call(action, parameters: p, location: location)
      pages += 1
      items += json[listKey]?.array ?? []
      token = json["NextToken"]?.string.flatMap { $0.isEmpty ? nil : $0 }
      if let t = token, !seenTokens.insert(t).inserted {
        throw AlibabaCloudError(
          kind: .invalidResponse, action: action, product: product,
          message: "stopped at page \(pages + 1): NextToken \(NetworkText.escaped(String(t.prefix(64)))) was handed out "
            + "before, so the listing would loop; it was not used")
      }
    } while token != nil
    return items
  }

  /// Calls `action`; on a dry run, the `DryRunOperation` answer means "the precheck passed" (returns nil), and any
  /// other answer to a dry run is returned as nil too (nothing to report but success).
  func callAllowingDryRun(
    _ action: String, parameters: [(String, String)], dryRun: Bool, location: ParameterLocation = .query
  ) async throws -> JSONValue? {
    do {
      let json = try await call(action, parameters: parameters, location: location)
      return dryRun ? nil : json
    } catch let error as AlibabaCloudError where dryRun && error.code == "DryRunOperation" {
      return nil
    }
  }

  /// A required non-empty string field of an answer, else an `invalidResponse` error naming it.
  func requiredField(_ json: JSONValue, _ field: String, action: String) throws -> String {
    guard let value = json[field]?.string, !value.isEmpty else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: action, product: product,
        message: "answer has no \(field) (request id \(json["RequestId"]?.string.map(NetworkText.escaped) ?? "-"))")
    }
    return value
  }
}

/// How list parameters are spelled on the wire and how long lists are split into calls.
enum RequestParameters {
  /// `name.1=v1`, `name.2=v2`, ...
  static func indexed(_ name: String, _ values: [String]) -> [(String, String)] {
    values.enumerated().map { ("\(name).\($0.offset + 1)", $0.element) }
  }

  /// `values` in groups of at most `size` (none for an empty list).
  static func chunk<T>(_ values: [T], size: Int) -> [[T]] {
    stride(from: 0, to: values.count, by: max(1, size)).map { Array(values[$0..<min($0 + size, values.count)]) }
  }

  /// `values` in groups of at most `size`, or one empty group for an empty list (a filter that is not sent).
  static func filterChunks(_ values: [String], size: Int) -> [[String]] {
    values.isEmpty ? [[]] : chunk(values, size: size)
  }
}
