import AlibabaCloud
import Foundation

/// What binding one certificate to a CLB listener changes: the names it serves that have no domain extension yet
/// (to create) and the extensions of its names bound to another server certificate (to swap in place).
///
/// Rule it keeps: creations come first and are all-or-nothing: when one is refused (the listener's extension quota,
/// or any other answer), the extensions this binding created are deleted again, and so is a server certificate
/// created for it, before the refusal is thrown; a quota refusal then names the listener's extensions and says its
/// usage the way the executor reads a quota (`explained`). A creation refused because another writer (a second
/// certhook run at the same moment) created that name's extension meanwhile is no failure: the listener is read
/// again and that extension is swapped in place like any other. Swaps never uncover a name.
struct CLBDomainBinding: Sendable {
  /// Names without an extension.
  var creations: [String]
  /// Extensions to point at the certificate.
  var swaps: [CLBDomainExtension]
  /// The listener as read.
  var listener: CLBHTTPSListener

  /// Compares the listener's extensions with the names `target` serves.
  init(listener: CLBHTTPSListener, target: CLBServerCertificates.Target) {
    self.listener = listener
    let byDomain = Dictionary(
      listener.domainExtensions.map { ($0.domain.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    let own = Set(target.serverCertificateIds)
    creations = target.names.filter { byDomain[$0] == nil }
    swaps = target.names.compactMap { byDomain[$0] }.filter { !own.contains($0.serverCertificateId) }
  }

  /// True when the listener already serves every name with the certificate.
  var isEmpty: Bool { creations.isEmpty && swaps.isEmpty }

  /// Creates, then swaps; undoes its own creations (and a server certificate `created` for it) when a creation is
  /// refused.
  func apply(serverCertificateId: String, created: Bool, slb: SLBClient, key: String) async throws {
    var made: [String] = []
    var adopted: [CLBDomainExtension] = []
    do {
      for domain in creations {
        do {
          made.append(
            try await slb.createDomainExtension(
              loadBalancerId: listener.loadBalancerId, port: listener.port, domain: domain,
              serverCertificateId: serverCertificateId))
        } catch {
          guard let existing = try await createdMeanwhile(domain, slb: slb) else { throw error }
          adopted.append(existing)
        }
      }
    } catch {
      for id in made.reversed() { try? await slb.deleteDomainExtension(domainExtensionId: id) }
      if created { try? await slb.deleteServerCertificate(serverCertificateId: serverCertificateId) }
      throw Self.explained(
        error, extensions: listener.domainExtensions.count + made.count,
        certificates: Set(listener.domainExtensions.map(\.serverCertificateId)).count, key: key)
    }
    for ext in swaps + adopted where ext.serverCertificateId != serverCertificateId {
      try await slb.setDomainExtensionCertificate(domainExtensionId: ext.id, serverCertificateId: serverCertificateId)
    }
  }

  /// The extension of `domain` another writer created since the listener was read, if the listener has one now.
  private func createdMeanwhile(_ domain: String, slb: SLBClient) async throws -> CLBDomainExtension? {
    let now = try await slb.describeHTTPSListener(loadBalancerId: listener.loadBalancerId, port: listener.port)
    return now.domainExtensions.first { $0.domain.lowercased() == domain.lowercased() }
  }

  /// A quota refusal with the listener's figures; any other error as it was. The executor counts a listener's
  /// additional certificates, not its extensions: the `usage N/N` it reads is the number of certificates the
  /// listener's extensions hold, all it can hold, so the engine stops at once instead of waiting for a slot that
  /// no other listener can free (retiring a superseded certificate frees none either: its names were swapped).
  static func explained(_ error: Error, extensions: Int, certificates: Int, key: String) -> Error {
    guard var e = error as? AlibabaCloudError, let code = e.code,
      ApiAction.isQuotaFull(code, action: e.action, product: e.product)
    else { return error }
    e.message +=
      " (CLB listener \(key) holds \(extensions) domain extensions, all it takes; certificates on them:"
      + " usage \(certificates)/\(certificates))"
    return e
  }
}
