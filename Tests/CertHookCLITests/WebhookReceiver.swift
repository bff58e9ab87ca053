import Foundation
import Hummingbird
import Logging
import XCTest

/// A real HTTP server on 127.0.0.1 (ephemeral port) that records every POST it gets and answers as told: the
/// stand-in for Slack, DingTalk, Feishu, WeCom and generic webhook receivers.
final class WebhookReceiver: Sendable {
  /// One request as received.
  struct Received: Sendable {
    let path: String
    let query: String
    let headers: [String: String]
    let body: Data

    /// The body as a JSON object.
    func json() throws -> [String: Any] {
      try XCTUnwrap(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    }

    /// The decoded value of query parameter `name`.
    func queryItem(_ name: String) -> String? {
      URLComponents(string: "http://x/?" + query)?.queryItems?.first { $0.name == name }?.value
    }
  }

  /// What to answer: status, body and how long to wait first.
  struct Answer: Sendable {
    var status = 200
    var body = "{\"errcode\":0,\"code\":0}"
    var delay: Duration = .zero
  }

  actor Log {
    var requests: [Received] = []
    func add(_ r: Received) { requests.append(r) }
  }

  let url: URL
  let log: Log
  private let task: Task<Void, any Error>

  private init(url: URL, log: Log, task: Task<Void, any Error>) {
    self.url = url
    self.log = log
    self.task = task
  }

  /// Starts a receiver answering every request (by its 1-based number) with `answer`.
  static func start(_ answer: @escaping @Sendable (Int) -> Answer = { _ in Answer() }) async throws -> WebhookReceiver {
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
    let next = await iterator.next()
    let port = try XCTUnwrap(next)
    return WebhookReceiver(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)")), log: log, task: task)
  }

  /// Every request so far.
  var requests: [Received] { get async { await log.requests } }

  /// Stops the server.
  func stop() { task.cancel() }
}
