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

  /// Sends one request; connection failures and timeouts throw `AlibabaCloudError` `.transport`.
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
    let target = "\(request.method) \(request.url.scheme ?? "")://\(request.url.host ?? "")"
    do {
      let response = try await client.execute(outgoing, timeout: Self.amount(timeouts.overall))
      let buffer = try await response.body.collect(upTo: maxBodyBytes)
      var headers: [(String, String)] = []
      for field in response.headers {
        headers.append((field.name, field.value))
      }
      return HTTPResponseSpec(status: Int(response.status.code), headers: headers, body: Array(buffer.readableBytesView))
    } catch let error as AlibabaCloudError {
      throw error
    } catch let error as HTTPClientError {
      throw AlibabaCloudError.transport("\(target) failed: \(error)")
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      let text = String(describing: error)
      if let reason = Self.certificateVerificationFailure(text) {
        // Not retryable: the next attempt would meet the same certificate.
        throw AlibabaCloudError.configuration(
          "\(target): TLS certificate verification failed (\(reason)); the endpoint's certificate is not trusted or "
            + "does not name the host. certhook never skips verification: check the endpoint URL, or add the private CA "
            + "that signed it to the system trust store (update-ca-certificates)")
      }
      throw AlibabaCloudError.transport("\(target) failed: \(text)")
    }
  }

  /// The reason when `text` (a TLS library error) says the peer's certificate failed verification, else nil.
  static func certificateVerificationFailure(_ text: String) -> String? {
    let markers = [
      "CERTIFICATE_VERIFY_FAILED", "failedToValidateHostname", "unableToValidateCertificate",
      "certificate verify failed",
    ]
    return markers.first { text.localizedCaseInsensitiveContains($0) }
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
