import CertificateKit
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Terminates TLS for every HTTPS and QUIC listener at its `ServingLayout` endpoint; the SNI callback
/// picks the certificate from what the listener holds at the instant of the handshake.
final class TLSServingServer: Sendable {
  /// Where each listener answers.
  let layout: ServingLayout
  /// The certificate chooser (also counts what it presented).
  let source: ServingSource
  private let channels: [any Channel]

  private init(layout: ServingLayout, source: ServingSource, channels: [any Channel]) {
    self.layout = layout
    self.source = source
    self.channels = channels
  }

  /// Binds one TLS listener per endpoint; `noServe` listeners keep presenting what they held now.
  static func start(engine: EmulatorEngine, offset: Int, noServe: [String]) async throws -> TLSServingServer {
    let layout = try await engine.servingLayout(offset: offset)
    var frozen: [String: ListenerServingSet] = [:]
    for id in noServe {
      guard let set = await engine.servingSet(listenerId: id) else {
        throw EmulatorError("--faults no-serve: no listener \(id) in the seed")
      }
      frozen[id] = set
    }
    let source = ServingSource(engine: engine, frozen: frozen)
    let placeholder = try placeholderIdentity(now: engine.clock())
    var channels: [any Channel] = []
    do {
      for endpoint in layout.endpoints {
        let context = try makeContext(listenerId: endpoint.listenerId, source: source, placeholder: placeholder)
        let listenerId = endpoint.listenerId
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
          .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
          .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
              let sync = channel.pipeline.syncOperations
              try sync.addHandler(NIOSSLServerHandler(context: context))
              try sync.configureHTTPServerPipeline()
              try sync.addHandler(ServingHTTPResponder(listenerId: listenerId))
            }
          }
          .bind(host: endpoint.address, port: endpoint.port).get()
        channels.append(channel)
      }
    } catch {
      for channel in channels { try? await channel.close() }
      throw EmulatorError("--serve-tls: cannot listen: \(error)")
    }
    return TLSServingServer(layout: layout, source: source, channels: channels)
  }

  /// Closes every TLS listener.
  func stop() async {
    for channel in channels { try? await channel.close() }
  }

  private static func makeContext(listenerId: String, source: ServingSource, placeholder: ServedIdentity) throws
    -> NIOSSLContext
  {
    var configuration = TLSConfiguration.makeServerConfiguration(
      certificateChain: placeholder.chain.map { .certificate($0) }, privateKey: .privateKey(placeholder.key))
    configuration.sslContextCallback = { values, promise in
      Task {
        guard let identity = await source.identity(listenerId: listenerId, serverName: values.serverHostname) else {
          promise.fail(EmulatorError("listener \(listenerId) holds no certificate to present"))
          return
        }
        var change = NIOSSLContextConfigurationOverride()
        change.certificateChain = identity.chain.map { .certificate($0) }
        change.privateKey = .privateKey(identity.key)
        promise.succeed(change)
      }
    }
    return try NIOSSLContext(configuration: configuration)
  }

  /// The context needs a certificate before the SNI callback replaces it; this one is never presented.
  private static func placeholderIdentity(now: Date) throws -> ServedIdentity {
    let key = try PrivateKey.generate(.ecP256)
    let request = CertificateFactory.Request(
      commonName: "placeholder.emulator.invalid", dnsNames: ["placeholder.emulator.invalid"],
      notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(86_400))
    let certificate = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    return try ServedIdentity(
      ServingCandidate(
        identifier: "placeholder", sans: certificate.dnsNames, notAfter: certificate.notAfter,
        certPEM: certificate.pem, keyPEM: try key.pkcs8PEM()))
  }
}
