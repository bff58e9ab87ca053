import AlibabaCloud
import NIOConcurrencyHelpers

/// An `AsyncHTTPClientTransport` made on first use, so a harness whose test never sends through it needs no
/// shutdown; `shutdown()` closes it only if it was made.
public final class LoopbackTransport: HTTPTransport {
  private let made = NIOLockedValueBox<AsyncHTTPClientTransport?>(nil)

  public init() {}

  private var transport: AsyncHTTPClientTransport {
    made.withLockedValue { made in
      if let made { return made }
      let fresh = AsyncHTTPClientTransport()
      made = fresh
      return fresh
    }
  }

  public func send(_ request: HTTPRequestSpec) async throws -> HTTPResponseSpec {
    try await transport.send(request)
  }

  /// Shuts the underlying client down if one was made.
  public func shutdown() async throws {
    let made = made.withLockedValue { $0 }
    try await made?.shutdown()
  }
}
