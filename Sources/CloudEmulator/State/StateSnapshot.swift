import Foundation

/// Builds the public, key-free `EmulatorState` view of the stored state.
enum StateSnapshot {
  static func make(_ state: StoredState) -> EmulatorState {
    let lbs = state.loadBalancers.map { lb in
      EmulatorState.LoadBalancer(
        id: lb.id, edition: lb.edition, certificateQuota: lb.certificateQuota,
        certificateUsage: state.certificateUsage(loadBalancerId: lb.id),
        listeners: state.listeners.filter { $0.loadBalancerId == lb.id }.map { l in
          EmulatorState.Listener(
            id: l.id, protocol: l.protocol, port: l.port, status: l.status,
            defaultCertificateId: l.defaultCertificateId,
            certificates: l.additional.map {
              EmulatorState.Association(
                certificateId: $0.certificateId, status: $0.status, domain: $0.domain, domainExtensionId: $0.extensionId
              )
            })
        }, product: lb.product?.rawValue)
    }
    let certs = state.certificates.map { c in
      EmulatorState.Certificate(
        certId: c.certId, certIdentifier: c.identifier(region: state.casSiteRegion), name: c.name,
        commonName: c.commonName, sans: c.sans, fingerprint: c.fingerprint, sha2: c.sha2,
        serialNo: c.serialNo, notBefore: c.notBefore, notAfter: c.notAfter, generated: c.generated,
        usedBy: state.listenersUsing(c.identifier(region: state.casSiteRegion)))
    }
    let jobs = state.jobs.map {
      EmulatorState.Job(
        id: $0.id, apiName: $0.apiName, listenerId: $0.listenerId, status: $0.status, createTime: $0.createTime,
        completeAt: $0.completeAt)
    }
    var snapshot = EmulatorState(region: state.region, loadBalancers: lbs, certificates: certs, jobs: jobs)
    if let servers = state.serverCertificates, !servers.isEmpty {
      snapshot.serverCertificates = servers.map { c in
        EmulatorState.ServerCertificate(
          id: c.id, name: c.name, fingerprint: c.fingerprint, aliCloudCertificateId: c.aliCloudCertificateId,
          sans: c.record.sans, notAfter: c.record.notAfter, usedBy: state.listenersUsing(c.id))
      }
    }
    return snapshot
  }
}
