import Foundation

/// One HTTP request as the clients send it.
public struct HTTPRequestSpec: Sendable {
  /// HTTP method, e.g. `POST`.
  public var method: String
  /// Absolute URL including the query string.
  public var url: URL
  /// Header fields in order.
  public var headers: [(String, String)]
  /// Body bytes (empty for none).
  public var body: [UInt8]

  /// Creates a request.
  public init(method: String, url: URL, headers: [(String, String)] = [], body: [UInt8] = []) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.0.equalsIgnoringASCIICase(name) }?.1
  }
}

/// One HTTP response.
public struct HTTPResponseSpec: Sendable {
  /// HTTP status code.
  public var status: Int
  /// Header fields in order.
  public var headers: [(String, String)]
  /// Body bytes.
  public var body: [UInt8]

  /// Creates a response.
  public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    headers.first { $0.0.equalsIgnoringASCIICase(name) }?.1
  }
}

/// Sends HTTP requests; the real one is `AsyncHTTPClientTransport`, tests may inject their own.
///
/// Implementations throw `AlibabaCloudError` of kind `.transport` for connection failures and timeouts.
public protocol HTTPTransport: Sendable {
  /// Sends `request` and returns the complete response.
  func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec
}
