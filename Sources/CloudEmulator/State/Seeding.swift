import CertificateKit
import Foundation

/// Builds the initial stored state from a seed: load balancers, listeners, CAS certificates, and a
/// generated self-signed default certificate for every HTTPS/QUIC listener that names none.
enum Seeding {
  /// The first CAS ID of a world created at `now`: its Unix time in milliseconds. Real CAS IDs never repeat, so a
  /// fresh emulator must not hand out an ID an earlier run gave to another certificate (a client cache from that
  /// run would map the new certificate to the old one's facts); worlds started a millisecond apart or more only
  /// collide after more uploads than milliseconds between their starts.
  static func firstCertId(startingAt now: Date) -> Int {
    Int(max(0, (now.timeIntervalSince1970 * 1000).rounded(.down)))
  }

  static func build(seed: EmulatorSeed, now: Date, firstCertId pinned: Int? = nil) throws -> StoredState {
    var state = StoredState(region: seed.region, casRegion: seed.casRegion)
    state.serverCertificateQuota = seed.clbServerCertificateQuota
    state.nextCertId = pinned ?? firstCertId(startingAt: now)
    for (i, files) in seed.certificates.enumerated() {
      let name = files.name ?? URL(fileURLWithPath: files.cert).deletingPathExtension().lastPathComponent
      if state.certificates.contains(where: { $0.name == name }) {
        throw EmulatorError("seed: certificates[\(i)].name '\(name)' is used twice")
      }
      let cert = try load(files, name: name, into: &state, now: now, field: "certificates[\(i)]")
      state.addCertificate(cert, time: now)
    }
    for (i, lb) in seed.loadBalancers.enumerated() {
      state.loadBalancers.append(
        StoredLoadBalancer(
          id: lb.id, edition: lb.edition.rawValue,
          certificateQuota: lb.certificateQuota ?? lb.product.defaultCertificateQuota(edition: lb.edition),
          product: lb.product == .alb ? nil : lb.product))
      for (j, l) in lb.listeners.enumerated() {
        let id = l.resolvedId(loadBalancerId: lb.id, product: lb.product)
        var listener = StoredListener(
          id: id, loadBalancerId: lb.id, protocol: l.protocol, port: l.port,
          description: l.description ?? "\(l.protocol)_\(l.port)", status: lb.product.idleListenerStatus)
        listener.product = lb.product == .alb ? nil : lb.product
        var cert: StoredCertificate? = nil
        if let files = l.defaultCertificate {
          cert = try load(
            files, name: files.name ?? "\(id)-default", into: &state, now: now,
            field: "loadBalancers[\(i)].listeners[\(j)].defaultCertificate")
        } else if listener.acceptsCertificates {
          cert = try generated(for: id, into: &state, now: now)
        }
        if let cert {
          if lb.product == .clb {
            // A CLB listener holds a server certificate, not a CAS certificate.
            listener.defaultCertificateId = state.addServerCertificate(
              record: cert, name: cert.name, aliCloudCertificateId: nil, aliCloudCertificateName: nil, time: now)
          } else {
            state.addCertificate(cert, time: now)
            listener.defaultCertificateId = cert.identifier(region: state.casSiteRegion)
          }
        }
        state.listeners.append(listener)
        state.emit(.listenerStatus, time: now, listenerId: id, detail: listener.status)
        if let certificateId = listener.defaultCertificateId {
          state.emit(
            .defaultCertificateReplaced, time: now, listenerId: id, certificateId: certificateId, detail: "initial")
        }
      }
    }
    return state
  }

  private static func load(
    _ files: EmulatorSeed.CertificateFiles, name: String, into state: inout StoredState, now: Date, field: String
  ) throws -> StoredCertificate {
    guard let certData = FileManager.default.contents(atPath: files.cert),
      let certPEM = String(data: certData, encoding: .utf8)
    else {
      throw EmulatorError("seed: \(field).cert: cannot read \(files.cert)")
    }
    guard let keyData = FileManager.default.contents(atPath: files.key),
      let keyPEM = String(data: keyData, encoding: .utf8)
    else {
      throw EmulatorError("seed: \(field).key: cannot read \(files.key)")
    }
    let certId = state.nextCertId
    do {
      return try CertificateIntake.record(
        certPEM: certPEM, keyPEM: keyPEM, certId: certId, name: name, resourceId: "cas-upload-\(state.ids.token(8))",
        now: now, resourceGroupId: nil, generated: false)
    } catch {
      throw EmulatorError("seed: \(field) (\(files.cert), \(files.key)): \(error.message)")
    }
  }

  private static func generated(for listenerId: String, into state: inout StoredState, now: Date) throws
    -> StoredCertificate
  {
    let key = try PrivateKey.generate(.ecP256)
    let request = CertificateFactory.Request(
      commonName: "\(listenerId).emulator.invalid", dnsNames: ["\(listenerId).emulator.invalid"],
      notBefore: now.addingTimeInterval(-86_400), notAfter: now.addingTimeInterval(10 * 365 * 86_400))
    let cert = try CertificateFactory.issue(request, subjectKey: key, issuer: nil)
    let keyPEM = try key.pkcs8PEM()
    do {
      return try CertificateIntake.record(
        certPEM: cert.pem, keyPEM: keyPEM, certId: state.nextCertId, name: "\(listenerId)-generated-default",
        resourceId: "cas-upload-\(state.ids.token(8))", now: now, resourceGroupId: nil, generated: true)
    } catch {
      throw EmulatorError("seed: cannot store the generated default certificate of \(listenerId): \(error.message)")
    }
  }
}
