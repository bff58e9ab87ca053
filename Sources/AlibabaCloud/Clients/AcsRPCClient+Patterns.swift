import Foundation

/// What every product client does the same way on top of `call`: being made for one product, NextToken listings
/// that must end, certificate writes split into calls of a bounded size, and dry runs whose passing answer is the
/// `DryRunOperation` error.
///
/// Rules it keeps: a product client only runs on its own API version; a listing never loops (a repeated
/// `NextToken` or more than `maxPages` pages stops it with an error); chunk *i* of *n* carries
/// `ALBClient.chunkToken(token, index: i, count: n)`; a passing dry run is never reported as a failure.
extension AcsRPCClient {
  /// An RPC client for `product` on `endpoint` (validated) or the product's public endpoint for the region.
  static func forProduct(
    _ product: CloudProduct, endpoint: URL?, configuration: ClientConfiguration, credentials: any CredentialProvider,
    transport: any HTTPTransport
  ) throws -> AcsRPCClient {
    AcsRPCClient(
      endpoint: try ProductEndpoint.resolve(endpoint, product: product, region: configuration.region),
      version: product.version, credentials: credentials, transport: transport, configuration: configuration)
  }

  /// Throws a configuration error unless this client speaks `product`'s API version (`client` names the caller).
  func require(_ product: ApiAction.Product, for client: String) throws {
    guard self.product == product else {
      throw AlibabaCloudError.configuration(
        "\(client) needs API version \(product.version), not \(version) (endpoint \(endpoint.absoluteString))")
    }
  }

  /// Sends `action` once per chunk of at most `size` of `ids` (`encode` spells a chunk's IDs), each with `base`, its
  /// chunk's ClientToken and `DryRun`; returns the answers' `JobId`s (none on a passing dry run).
  func chunkedJobWrites(
    _ action: String, base: [(String, String)], ids: [String], size: Int, clientToken: String?, dryRun: Bool,
    location: ParameterLocation = .query, encode: ([String]) -> [(String, String)]
  ) async throws -> [String] {
    guard !ids.isEmpty else {
      throw AlibabaCloudError.configuration(
        "\(action): no certificate ids given for listener \(base.first { $0.0 == "ListenerId" }?.1 ?? "?")")
    }
    let token = clientToken ?? configuration.runtime.nonce()
    let chunks = RequestParameters.chunk(ids, size: size)
    var jobIds: [String] = []
    for (index, chunk) in chunks.enumerated() {
      var parameters = base + encode(chunk)
      parameters.append(("ClientToken", ALBClient.chunkToken(token, index: index, count: chunks.count)))
      if dryRun { parameters.append(("DryRun", "true")) }
      if let json = try await callAllowingDryRun(action, parameters: parameters, dryRun: dryRun, location: location) {
        jobIds.append(try requiredField(json, "JobId", action: action))
      }
    }
    return jobIds
  }

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
          message:
            "stopped at page \(pages + 1): NextToken \(NetworkText.escaped(String(t.prefix(64)))) was handed out "
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
