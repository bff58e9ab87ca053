import struct AlibabaCloud.ApiAction
import Foundation
import Hummingbird
import Logging
import NIOCore

/// A running emulator: ALB and CAS APIs plus `/_emulator/*` routes on one HTTP port.
public final class EmulatorServer: Sendable {
  /// The bound port.
  public let port: Int
  /// `http://HOST:PORT` (the base URL for both APIs).
  public let endpoint: URL
  private let engine: EmulatorEngine
  private let task: Task<Void, any Error>
  private let tls: TLSServingServer?

  private init(port: Int, endpoint: URL, engine: EmulatorEngine, task: Task<Void, any Error>, tls: TLSServingServer?) {
    self.port = port
    self.endpoint = endpoint
    self.engine = engine
    self.task = task
    self.tls = tls
  }

  /// Builds the world (seed or state file) and starts serving; returns once the port is bound.
  public static func start(_ configuration: EmulatorConfiguration) async throws -> EmulatorServer {
    let engine = try EmulatorEngine(configuration: configuration)
    let (stream, continuation) = AsyncStream<Result<Int, any Error>>.makeStream()
    let app = Application(
      responder: EmulatorResponder(
        engine: engine, latency: configuration.latency, bodyTimeout: configuration.connectionTimeout),
      server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.connectionTimeout))),
      configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
      onServerRunning: { channel in
        continuation.yield(.success(channel.localAddress?.port ?? 0))
      },
      logger: configuration.logger)
    let task = Task {
      do {
        try await app.runService(gracefulShutdownSignals: [])
        continuation.yield(.failure(EmulatorError("the emulator stopped before it was listening")))
      } catch {
        continuation.yield(.failure(error))
        throw error
      }
    }
    var iterator = stream.makeAsyncIterator()
    guard let first = await iterator.next() else {
      task.cancel()
      throw EmulatorError("the emulator did not start")
    }
    switch first {
    case .success(let port):
      let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
      guard let url = URL(string: "http://\(host):\(port)") else {
        task.cancel()
        throw EmulatorError("cannot form a URL for \(configuration.host):\(port)")
      }
      var tls: TLSServingServer? = nil
      if configuration.serveTLS {
        do {
          tls = try await TLSServingServer.start(
            engine: engine, offset: configuration.tlsPortOffset, noServe: configuration.faults.noServe)
        } catch {
          task.cancel()
          _ = try? await task.value
          throw error
        }
        await engine.setServingLayout(tls?.layout)
      }
      return EmulatorServer(port: port, endpoint: url, engine: engine, task: task, tls: tls)
    case .failure(let error):
      task.cancel()
      throw EmulatorError("cannot listen on \(configuration.host):\(configuration.port): \(error)")
    }
  }

  /// Stops serving, waits until the port is closed, and writes the state file (when configured).
  public func stop() async {
    await tls?.stop()
    task.cancel()
    _ = try? await task.value
    await engine.flush()
  }

  /// With `serveTLS`: the `ADDRESS:PORT` where the listener terminates TLS, nil otherwise.
  public func tlsEndpoint(listenerId: String) -> (address: String, port: Int)? {
    tls?.layout.endpoints.first { $0.listenerId == listenerId }.map { ($0.address, $0.port) }
  }

  /// With `serveTLS`: how many handshakes presented each certificate (`<CertId>-<region>`).
  public func presentedCertificates() async -> [String: Int] {
    await tls?.source.presented ?? [:]
  }

  /// The world as `GET /_emulator/state` shows it (no private keys).
  public func state() async -> EmulatorState {
    await engine.snapshot()
  }

  /// The world of a further seed account (`GET /_emulator/state?account=ID`); nil for an unknown account.
  public func state(account: String) async -> EmulatorState? {
    await engine.snapshot(account: account)
  }

  /// Every state change so far (`GET /_emulator/events`).
  public func events() async -> [EmulatorEvent] {
    await engine.eventLog()
  }

  /// Every API request answered so far (`GET /_emulator/requests`).
  public func requestLog() async -> [RequestRecord] {
    await engine.requestLog()
  }

  /// The requests that changed something: answered 200, not a dry run, of an action the table marks as a write
  /// (its product's row, by the answering product).
  public func appliedWrites() async -> [RequestRecord] {
    await requestLog().filter { record in
      guard record.status == 200, !record.dryRun else { return false }
      let product = record.product.flatMap { ApiAction.Product(rawValue: $0) }
      return (product.flatMap { ApiAction.named(record.action, product: $0) } ?? ApiAction.named(record.action))?.isWrite
        ?? false
    }
  }
}
