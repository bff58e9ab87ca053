import Foundation

extension StoredState {
  /// Index of the listener with `id`.
  func listenerIndex(_ id: String) -> Int? {
    listeners.firstIndex { $0.id == id }
  }

  /// Index of the listener with `id` of `product` (a listener of another product is not found).
  func listenerIndex(_ id: String, product: EmulatorSeed.Product) -> Int? {
    listeners.firstIndex { $0.id == id && $0.kind == product }
  }

  /// The load balancer `id` of `product`.
  func loadBalancer(_ id: String, product: EmulatorSeed.Product) -> StoredLoadBalancer? {
    loadBalancers.first { $0.id == id && $0.kind == product }
  }

  /// CLB server certificates (none before the first).
  var serverCertificateList: [StoredServerCertificate] {
    get { serverCertificates ?? [] }
    set { serverCertificates = newValue }
  }

  /// The CLB server certificate `id`.
  func serverCertificate(_ id: String) -> StoredServerCertificate? {
    serverCertificates?.first { $0.id == id }
  }

  /// The certificate facts behind a listener's certificate ID: a CAS certificate (`<CertId>-<region>`) or a CLB
  /// server certificate.
  func certificateRecord(identifier: String) -> StoredCertificate? {
    if let index = certificateIndex(identifier: identifier) { return certificates[index] }
    return serverCertificate(identifier)?.record
  }

  /// Adds a CLB server certificate and returns its ID (`<account>_<hex>_<n>`, the real ID's shape).
  mutating func addServerCertificate(
    record: StoredCertificate, name: String, aliCloudCertificateId: Int?, aliCloudCertificateName: String?, time: Date
  ) -> String {
    let id = "1234567890123456_\(ids.token(11).lowercased())_\(serverCertificateList.count + 1)"
    serverCertificateList.append(
      StoredServerCertificate(
        id: id, name: name, regionId: region, aliCloudCertificateId: aliCloudCertificateId,
        aliCloudCertificateName: aliCloudCertificateName, createTime: TimeFormats.quantized(time), record: record))
    return id
  }
  /// The region suffix of certificate identifiers: the CAS site's (seeded, or following the ALB region).
  var casSiteRegion: String { casRegion ?? CASSite.region(forALBRegion: region) }

  /// Index of the CAS certificate named by an ALB identifier `<CertId>-<site region>` of this CAS site.
  func certificateIndex(identifier: String) -> Int? {
    let suffix = "-" + casSiteRegion
    guard identifier.hasSuffix(suffix), let id = Int(identifier.dropLast(suffix.count)) else { return nil }
    return certificates.firstIndex { $0.certId == id }
  }

  /// Index of the CAS certificate with numeric `certId`.
  func certificateIndex(certId: Int) -> Int? {
    certificates.firstIndex { $0.certId == certId }
  }

  func loadBalancer(_ id: String) -> StoredLoadBalancer? {
    loadBalancers.first { $0.id == id }
  }

  /// Additional certificates (any status) over every listener of the load balancer.
  func certificateUsage(loadBalancerId: String) -> Int {
    listeners.filter { $0.loadBalancerId == loadBalancerId }.reduce(0) { $0 + $1.additional.count }
  }

  /// The next CLB domain extension ID (`de-...`).
  mutating func nextDomainExtensionId() -> String {
    let n = (nextDomainExtension ?? 1)
    nextDomainExtension = n + 1
    return "de-emu\(ids.token(6).lowercased())\(n)"
  }

  /// Listeners that use the certificate identifier, as default or additional certificate.
  func listenersUsing(_ identifier: String) -> [String] {
    listeners.filter { l in
      l.defaultCertificateId == identifier || l.additional.contains { $0.certificateId == identifier }
    }.map { $0.id }
  }

  /// Appends an event; certificate facts are filled from CAS.
  mutating func emit(
    _ kind: EmulatorEvent.Kind, time: Date, listenerId: String? = nil, certificateId: String? = nil,
    detail: String? = nil, jobId: String? = nil
  ) {
    var event = EmulatorEvent(
      time: TimeFormats.quantized(time), seq: nextEventSeq, kind: kind, listenerId: listenerId,
      certificateId: certificateId, detail: detail, jobId: jobId)
    if let listenerId, let index = listenerIndex(listenerId) {
      event.loadBalancerId = listeners[index].loadBalancerId
    }
    if let certificateId, let cert = certificateRecord(identifier: certificateId) {
      event.domains = cert.domains
      event.notBefore = cert.notBefore
      event.notAfter = cert.notAfter
    }
    nextEventSeq += 1
    events.append(event)
  }

  /// Adds a parsed certificate to CAS and logs it.
  mutating func addCertificate(_ cert: StoredCertificate, time: Date) {
    certificates.append(cert)
    nextCertId = max(nextCertId, cert.certId + 1)
    emit(.casUploaded, time: time, certificateId: cert.identifier(region: casSiteRegion), detail: cert.name)
  }
}
