import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The production `HTTPTransport`: AsyncHTTPClient with connection reuse, connect/read/overall
/// timeouts and TLS verification always on. Plain http is refused except to loopback hosts.
///
/// Call `shutdown()` once when done.
public final class AsyncHTTPClientTransport: HTTPTransport {
  /// Timeouts for each request.
  public struct Timeouts: Sendable {
    /// Time to establish a connection.
    public var connect: Duration
    /// Maximum silence while reading a response.
    public var read: Duration
    /// Maximum time for one whole request/response.
    public var overall: Duration

    /// Creates timeouts (defaults: connect 5 s, read 30 s, overall 60 s).
    public init(connect: Duration = .seconds(5), read: Duration = .seconds(30), overall: Duration = .seconds(60)) {
      self.connect = connect
      self.read = read
      self.overall = overall
    }
  }

  private let client: HTTPClient
  private let timeouts: Timeouts
  private let extraPlainHTTPHosts: Set<String>
  /// Largest response body accepted.
  private let maxBodyBytes = 16 * 1024 * 1024

  /// Creates a transport; `extraPlainHTTPHosts` lists non-loopback hosts allowed over plain http
  /// (only the ECS metadata address should ever be here).
  public init(timeouts: Timeouts = Timeouts(), extraPlainHTTPHosts: Set<String> = []) {
    self.timeouts = timeouts
    self.extraPlainHTTPHosts = Set(extraPlainHTTPHosts.map { $0.lowercased() })
    var configuration = HTTPClient.Configuration(
      timeout: .init(connect: Self.amount(timeouts.connect), read: Self.amount(timeouts.read)))
    configuration.redirectConfiguration = .disallow
    self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }

  /// Sends one request; connection failures and timeouts throw `AlibabaCloudError` `.transport`. The whole
  /// exchange (connect, send, head and every byte of the body) ends at the overall timeout, however slowly the
  /// server trickles its answer.
  public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
    try EndpointPolicy.validate(request.url, extraPlainHTTPHosts: extraPlainHTTPHosts)
    var outgoing = HTTPClientRequest(url: request.url.absoluteString)
    outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
    for (name, value) in request.headers {
      outgoing.headers.add(name: name, value: value)
    }
    if !request.body.isEmpty {
      outgoing.body = .bytes(ByteBuffer(bytes: request.body))
    }
    let target = TransportFailure.Target(method: request.method, url: request.url)
    let (client, overall, maxBodyBytes, prepared) = (self.client, timeouts.overall, self.maxBodyBytes, outgoing)
    do {
      return try await Self.withDeadline(overall, target: target) {
        let response = try await client.execute(prepared, timeout: Self.amount(overall))
        let buffer = try await response.body.collect(upTo: maxBodyBytes)
        var headers: [(String, String)] = []
        for field in response.headers {
          headers.append((field.name, field.value))
        }
        return HTTPResponseSpec(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
      }
    } catch let error as AlibabaCloudError {
      throw error
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw TransportFailure.classify(error, target: target)
    }
  }

  /// Runs `body`, failing with a transport timeout once `limit` has passed, whatever `body` is waiting for.
  static func withDeadline<T: Sendable>(
    _ limit: Duration, target: TransportFailure.Target, _ body: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
      group.addTask { try await body() }
      group.addTask {
        try await Task.sleep(for: limit)
        throw TransportFailure.timedOut(target: target, limit: limit)
      }
      defer { group.cancelAll() }
      guard let first = try await group.next() else { throw CancellationError() }
      return first
    }
  }

  /// The reason when `text` (a TLS library error) says the peer's certificate failed verification, else nil.
  static func certificateVerificationFailure(_ text: String) -> String? {
    TransportFailure.certificateVerificationFailure(text)
  }

  /// Closes every pooled connection; call once when done.
  public func shutdown() async throws {
    try await client.shutdown()
  }

  private static func amount(_ d: Duration) -> TimeAmount {
    let (seconds, attoseconds) = d.components
    return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}
