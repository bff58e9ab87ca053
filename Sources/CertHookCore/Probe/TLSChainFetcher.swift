import CertificateKit
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import NIOTLS

/// The real `ServedChainFetcher`: a NIOSSL client that accepts whatever chain is presented (trust and
/// names are judged afterwards by CertificateKit, so a wrong certificate is reported, not refused).
public struct TLSChainFetcher: ServedChainFetcher {
  /// Creates a fetcher on NIO's shared event loop group.
  public init() {}

  /// Connects, handshakes and returns the presented chain, all within `timeout`.
  public func fetch(address: String, port: Int, serverName: String?, timeout: Duration) async throws -> [Certificate] {
    let endpoint = "\(address):\(port)"
    guard (1...65535).contains(port) else { throw ProbeFailure("\(endpoint): port out of range") }
    var configuration = TLSConfiguration.makeClientConfiguration()
    configuration.certificateVerification = .noHostnameVerification
    let context: NIOSSLContext
    do {
      context = try NIOSSLContext(configuration: configuration)
    } catch {
      throw ProbeFailure("\(endpoint): cannot create a TLS client: \(error)")
    }
    let group = MultiThreadedEventLoopGroup.singleton
    let loop = group.next()
    let chainPromise = loop.makePromise(of: [NIOSSLCertificate].self)
    let handshakePromise = loop.makePromise(of: Void.self)
    let millis = max(1, Int64(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
    let sni = serverName.flatMap { $0.isEmpty ? nil : $0 }
    let timer = loop.scheduleTask(in: .milliseconds(millis)) {
      handshakePromise.fail(ProbeFailure("\(endpoint): no TLS handshake within \(millis) ms"))
      chainPromise.fail(ProbeFailure("\(endpoint): no TLS handshake within \(millis) ms"))
    }
    defer { timer.cancel() }
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: loop)
        .connectTimeout(.milliseconds(millis))
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            let handler = try NIOSSLClientHandler(
              context: context, serverHostname: sni,
              customVerificationCallback: { certificates, verification in
                chainPromise.succeed(certificates)
                verification.succeed(.certificateVerified)
              })
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.pipeline.syncOperations.addHandler(HandshakeWatcher(promise: handshakePromise))
          }
        }
        .connect(host: address, port: port).get()
    } catch {
      handshakePromise.fail(ProbeFailure("\(endpoint): cannot connect: \(error)"))
      chainPromise.fail(ProbeFailure("\(endpoint): cannot connect: \(error)"))
      throw ProbeFailure("\(endpoint): cannot connect: \(Self.describe(error))")
    }
    defer { channel.close(promise: nil) }
    do {
      try await handshakePromise.futureResult.get()
    } catch let failure as ProbeFailure {
      chainPromise.fail(failure)
      throw failure
    } catch {
      chainPromise.fail(error)
      throw ProbeFailure("\(endpoint): TLS handshake failed: \(Self.describe(error))")
    }
    let presented = try await chainPromise.futureResult.get()
    do {
      return try presented.map { try Certificate(derEncoded: try $0.toDERBytes()) }
    } catch {
      throw ProbeFailure("\(endpoint): the presented certificate cannot be read: \(error)")
    }
  }

  private static func describe(_ error: any Error) -> String {
    String(describing: error).lowercased()
  }
}

/// Completes `promise` when the handshake finishes, fails it when the connection errors or closes first.
private final class HandshakeWatcher: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer

  private let promise: EventLoopPromise<Void>

  init(promise: EventLoopPromise<Void>) {
    self.promise = promise
  }

  func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
    if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
      promise.succeed(())
    }
    context.fireUserInboundEventTriggered(event)
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    promise.fail(error)
    context.close(promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    promise.fail(ProbeFailure("the server closed the connection during the handshake"))
    context.fireChannelInactive()
  }
}
