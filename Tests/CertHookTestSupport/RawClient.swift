import Foundation
#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// One HTTP answer, with the JSON body decoded loosely.
public struct Reply: @unchecked Sendable {
  public var status: Int
  public var headers: [String: String]
  public var body: Data
  public var json: [String: Any]

  public var code: String? { json["Code"] as? String }
  public var message: String { json["Message"] as? String ?? "" }

  public func string(_ key: String) -> String? { json[key] as? String }
  public func int(_ key: String) -> Int? { (json[key] as? NSNumber)?.intValue }
  public func array(_ key: String) -> [[String: Any]] { json[key] as? [[String: Any]] ?? [] }
}

/// A bare HTTP client over URLSession: sends exactly the method, query, headers and body given.
public struct RawClient: Sendable {
  public let base: URL
  public let session: URLSession

  public init(base: URL) {
    self.base = base
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = 10
    session = URLSession(configuration: configuration)
  }

  public func send(
    method: String = "POST", query: [(String, String)] = [], headers: [(String, String)] = [], body: [UInt8] = []
  ) async throws -> Reply {
    let q = query.map { "\(HandSigner.encode($0.0))=\(HandSigner.encode($0.1))" }.joined(separator: "&")
    return try await send(method: method, rawQuery: q, headers: headers, body: body)
  }

  /// Sends the query string exactly as given (already encoded, e.g. with `+` for spaces as the SDK sends it).
  public func send(method: String = "POST", rawQuery q: String, headers: [(String, String)] = [], body: [UInt8] = [])
    async throws -> Reply
  {
    guard let url = URL(string: base.absoluteString + "/" + (q.isEmpty ? "" : "?" + q)) else {
      throw URLError(.badURL)
    }
    var request = URLRequest(url: url)
    request.httpMethod = method
    for (name, value) in headers where name != "host" {
      request.setValue(value, forHTTPHeaderField: name)
    }
    if !body.isEmpty { request.httpBody = Data(body) }
    let (data, response) = try await session.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
    var fields: [String: String] = [:]
    for (k, v) in http.allHeaderFields {
      if let k = k as? String, let v = v as? String { fields[k.lowercased()] = v }
    }
    let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    return Reply(status: http.statusCode, headers: fields, body: data, json: json)
  }

  public func get(_ path: String) async throws -> (Int, Data) {
    guard let url = URL(string: base.absoluteString + path) else { throw URLError(.badURL) }
    let (data, response) = try await session.data(from: url)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
  }
}
