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
    // No distributed tracing: a span per request (its attributes formatted from the URL) was 2 % of a fleet run's CPU.
    configuration.tracing.tracer = nil
    self.client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }

  /// Sends one request; connection failures and timeouts throw `AlibabaCloudError` `.transport`. The whole
  /// exchange (connect, send, head and every byte of the body) ends at the overall timeout, however slowly the
  /// server trickles its answer: AsyncHTTPClient's deadline covers the whole exchange when the body is gathered by
  /// its `ResponseAccumulator` (its async API stops the deadline at the head). That deadline is one timer on the
  /// connection's event loop, where a task group racing a sleeping task cost two child tasks and a dispatch timer
  /// per request (7 % of certhook's CPU in `bench/fleet`, with the dispatch timer thread).
  public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
    try EndpointPolicy.validate(request.url, extraPlainHTTPHosts: extraPlainHTTPHosts)
    let target = TransportFailure.Target(method: request.method, url: request.url)
    let overall = timeouts.overall
    do {
      var headers = HTTPHeaders()
      for (name, value) in request.headers {
        headers.add(name: name, value: value)
      }
      let outgoing = try HTTPClient.Request(
        url: request.url, method: HTTPMethod(rawValue: request.method.uppercased()), headers: headers,
        body: request.body.isEmpty ? nil : .bytes(request.body))
      let task = client.execute(
        request: outgoing, delegate: ResponseAccumulator(request: outgoing, maxBodySize: maxBodyBytes),
        eventLoop: .indifferent, deadline: .now() + Self.amount(overall))
      let response = try await withTaskCancellationHandler {
        try await task.futureResult.get()
      } onCancel: {
        task.cancel()
      }
      var responseHeaders: [(String, String)] = []
      for field in response.headers {
        responseHeaders.append((field.name, field.value))
      }
      return HTTPResponseSpec(
        status: Int(response.status.code), headers: responseHeaders,
        body: response.body.map { Array($0.readableBytesView) } ?? [])
    } catch let error as AlibabaCloudError {
      throw error
    } catch {
      if Task.isCancelled { throw CancellationError() }
      throw TransportFailure.classify(error, target: target, limit: overall)
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
