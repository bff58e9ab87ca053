import Foundation
import Hummingbird
import Logging

/// A real HTTP server on 127.0.0.1 (ephemeral port) that records every POST it gets and answers as told: the
/// stand-in for Slack, DingTalk, Feishu, WeCom and generic webhook receivers in tests of certhook's notifications.
/// It records the raw request and judges nothing (tests verify signatures themselves, independently).
public final class WebhookReceiver: Sendable {
  /// One request as received.
  public struct Received: Sendable {
    /// The URL path.
    public let path: String
    /// The raw query string (empty when none).
    public let query: String
    /// Header fields, names lowercased.
    public let headers: [String: String]
    /// The raw body.
    public let body: Data

    /// The body as a JSON object (throws when it is not one).
    public func json() throws -> [String: Any] {
      guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
        throw EmulatorError("the body is not a JSON object")
      }
      return object
    }

    /// The decoded value of query parameter `name`.
    public func queryItem(_ name: String) -> String? {
      URLComponents(string: "http://x/?" + query)?.queryItems?.first { $0.name == name }?.value
    }
  }

  /// What to answer: status, body and how long to wait first.
  public struct Answer: Sendable {
    /// HTTP status.
    public var status: Int
    /// Body text.
    public var body: String
    /// Wait before answering.
    public var delay: Duration

    /// An answer (default: 200 with the zero `errcode`/`code` the chat platforms send on success).
    public init(status: Int = 200, body: String = "{\"errcode\":0,\"code\":0}", delay: Duration = .zero) {
      self.status = status
      self.body = body
      self.delay = delay
    }
  }

  actor Log {
    var requests: [Received] = []
    func add(_ r: Received) { requests.append(r) }
  }

  /// Where it listens: `http://127.0.0.1:<port>`.
  public let url: URL
  let log: Log
  private let task: Task<Void, any Error>

  private init(url: URL, log: Log, task: Task<Void, any Error>) {
    self.url = url
    self.log = log
    self.task = task
  }

  /// Starts a receiver answering every request (by its 1-based number) with `answer`.
  public static func start(_ answer: @escaping @Sendable (Int) -> Answer = { _ in Answer() }) async throws -> WebhookReceiver {
    let log = Log()
    let router = Router()
    router.post("**") { request, _ -> Response in
      let buffer = try await request.body.collect(upTo: 1 << 20)
      var headers: [String: String] = [:]
      for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
      await log.add(
        Received(
          path: request.uri.path, query: request.uri.query ?? "", headers: headers,
          body: Data(buffer.readableBytesView)))
      let reply = answer(await log.requests.count)
      if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
      return Response(
        status: HTTPResponse.Status(code: reply.status),
        body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }
    let (stream, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
      onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
      logger: Logger(label: "webhook-receiver") { _ in SwiftLogNoOpLogHandler() })
    let task = Task { try await app.runService(gracefulShutdownSignals: []) }
    var iterator = stream.makeAsyncIterator()
    guard let port = await iterator.next(), port > 0, let url = URL(string: "http://127.0.0.1:\(port)") else {
      task.cancel()
      throw EmulatorError("the webhook receiver did not start")
    }
    return WebhookReceiver(url: url, log: log, task: task)
  }

  /// Every request so far.
  public var requests: [Received] { get async { await log.requests } }

  /// Stops the server.
  public func stop() { task.cancel() }
}

