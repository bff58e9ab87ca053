import CertHookCore
import CertificateKit
import Foundation

/// An in-memory ALB + CAS with immediate jobs, a call log and fault switches.
actor FakeCloud: CloudBackend {
  struct CASCert {
    var certId: Int
    var name: String
    var pem: String
    var sha256: String
    var notBefore: Date
    var notAfter: Date
    var dnsNames: [String]
    var commonName: String?
    var hidePEM = false
    var region = "cn-hangzhou"
    var identifier: String { "\(certId)-\(region)" }
  }

  struct Listener {
    var info: CloudListener
    var certificates: [CloudListenerCertificate]
  }

  var listeners: [String: Listener] = [:]
  var cas: [Int: CASCert] = [:]
  var quotas: [String: Int] = [:]
  var nextCertId = 1000
  /// Every call, in order: "Action listener? ids" (dry runs marked).
  var calls: [String] = []
  /// Write calls only (not dry runs).
  var writes: [String] = []
  /// Listeners that answer `IncorrectStatus.Listener` for this many more writes.
  var busyWrites: [String: Int] = [:]
  /// Listeners reported `Configuring` for this many more status reads.
  var configuringReads: [String: Int] = [:]
  /// Listeners whose associate fails with a server error.
  var failingListeners: Set<String> = []
  /// ClientTokens of associate calls, in order (dry runs included).
  var associateTokens: [String] = []
  /// CAS IDs whose detail lookup fails.
  var failingDetails: Set<Int> = []
  /// Names CAS treats as taken although no certificate shows them (a collision).
  var takenNames: Set<String> = []
  /// Products whose account-wide listing is refused (`Forbidden.RAM`).
  var unlistable: Set<ListenerProduct> = []
  /// Load balancers a listing that names them fails for (the whole call, as one real API call would).
  var unknownLoadBalancers: Set<String> = []

  // MARK: setup

  func addListener(
    _ id: String, loadBalancer: String, protocol proto: String = "HTTPS", port: Int = 443, defaultCertificate: Int?
  ) {
    var certs: [CloudListenerCertificate] = []
    var defaultId: String?
    if let d = defaultCertificate, let c = cas[d] {
      defaultId = c.identifier
      certs.append(CloudListenerCertificate(certificateId: c.identifier, isDefault: true, status: "Associated"))
    }
    listeners[id] = Listener(
      info: CloudListener(
        id: id, loadBalancerId: loadBalancer, listenerProtocol: proto, port: port, status: "Running",
        defaultCertificateId: defaultId),
      certificates: certs)
  }

  @discardableResult
  func addCAS(_ issued: Issued, name: String? = nil, hidePEM: Bool = false, region: String = "cn-hangzhou") -> Int {
    nextCertId += 1
    let leaf = issued.certificate
    cas[nextCertId] = CASCert(
      certId: nextCertId, name: name ?? "manual-\(nextCertId)", pem: leaf.pem, sha256: leaf.sha256Fingerprint,
      notBefore: leaf.notBefore, notAfter: leaf.notAfter, dnsNames: leaf.dnsNames, commonName: leaf.subject.commonName,
      hidePEM: hidePEM, region: region)
    return nextCertId
  }

  func attach(_ certId: Int, to listenerId: String, status: String = "Associated") {
    guard let c = cas[certId] else { return }
    listeners[listenerId]?.certificates.append(
      CloudListenerCertificate(certificateId: c.identifier, isDefault: false, status: status))
  }

  func setStatus(_ certId: Int, on listenerId: String, _ status: String) {
    guard let c = cas[certId],
      let i = listeners[listenerId]?.certificates.firstIndex(where: { $0.certificateId == c.identifier })
    else { return }
    listeners[listenerId]?.certificates[i].status = status
  }

  func setDetailFailing(_ certId: Int) { failingDetails.insert(certId) }

  func setQuota(_ lb: String, _ quota: Int) { quotas[lb] = quota }
  func setBusy(_ listener: String, writes: Int) { busyWrites[listener] = writes }
  func setConfiguring(_ listener: String, reads: Int) { configuringReads[listener] = reads }
  func setFailing(_ listener: String) { failingListeners.insert(listener) }
  func takeName(_ name: String) { takenNames.insert(name) }
  func resetLog() {
    calls = []
    writes = []
  }

  // MARK: queries for tests

  func certificateIds(on listenerId: String) -> [String] {
    (listeners[listenerId]?.certificates ?? []).map(\.certificateId).sorted()
  }
  func defaultCertificate(of listenerId: String) -> String? { listeners[listenerId]?.info.defaultCertificateId }
  func requireIdentifier(of certId: Int) -> String { identifier(of: certId) ?? "<no CAS cert \(certId)>" }
  func requireIdentifier(sha256: String) -> String { identifier(sha256: sha256) ?? "<no CAS cert \(sha256)>" }
  func casCount() -> Int { cas.count }
  func casNames() -> [String] { cas.values.map(\.name).sorted() }
  func identifier(of certId: Int) -> String? { cas[certId]?.identifier }
  func identifier(sha256: String) -> String? { cas.values.first { $0.sha256 == sha256 }?.identifier }

  // MARK: CloudBackend

  func listListeners(loadBalancerIds: [String]) async throws -> [CloudListener] {
    calls.append("ListListeners \(loadBalancerIds.joined(separator: ","))")
    if let unknown = loadBalancerIds.first(where: unknownLoadBalancers.contains) {
      throw CertHookError.cloud(code: "InvalidLoadBalancerId.NotFound", message: "\(unknown) does not exist")
    }
    return listeners.values.map(\.info).filter {
      loadBalancerIds.isEmpty || loadBalancerIds.contains($0.loadBalancerId)
    }
    .sorted { $0.id < $1.id }
  }

  /// The listeners of `product` (their keys say it), or the refusal `unlistable` asks for.
  func listAccountListeners(_ product: ListenerProduct) async throws -> [CloudListener] {
    calls.append("ListListeners \(product.rawValue):*")
    if unlistable.contains(product) {
      throw CertHookError.cloud(code: "Forbidden.RAM", message: "User not authorized to operate on the specified resource.")
    }
    return product == .clb ? [] : listeners.values.map(\.info).filter { $0.product == product }.sorted { $0.id < $1.id }
  }

  func refuseListing(_ product: ListenerProduct) { unlistable.insert(product) }
  func forget(loadBalancer id: String) { unknownLoadBalancers.insert(id) }

  func getListener(_ listenerId: String) async throws -> CloudListener {
    calls.append("GetListenerAttribute \(listenerId)")
    guard var l = listeners[listenerId]?.info else {
      throw CertHookError.cloud(
        code: "ResourceNotFound.Listener", message: "The specified resource \(listenerId) is not found.")
    }
    if let n = configuringReads[listenerId], n > 0 {
      configuringReads[listenerId] = n - 1
      l.status = "Configuring"
    }
    return l
  }

  func listListenerCertificates(_ listenerId: String) async throws -> [CloudListenerCertificate] {
    calls.append("ListListenerCertificates \(listenerId)")
    guard let l = listeners[listenerId] else {
      throw CertHookError.cloud(code: "ResourceNotFound.Listener", message: "\(listenerId) not found")
    }
    return l.certificates
  }

  private func checkWritable(_ listenerId: String) throws {
    guard listeners[listenerId] != nil else {
      throw CertHookError.cloud(code: "ResourceNotFound.Listener", message: "\(listenerId) not found")
    }
    if let n = configuringReads[listenerId], n > 0 {
      throw CertHookError.cloud(
        code: "IncorrectStatus.Listener", message: "The status of \(listenerId) [Configuring] is incorrect.")
    }
    if let n = busyWrites[listenerId], n > 0 {
      busyWrites[listenerId] = n - 1
      throw CertHookError.cloud(
        code: "IncorrectStatus.Listener", message: "The status of \(listenerId) [Configuring] is incorrect.")
    }
  }

  private func usage(_ lb: String) -> Int {
    listeners.values.filter { $0.info.loadBalancerId == lb }.reduce(0) {
      $0 + $1.certificates.filter { !$0.isDefault }.count
    }
  }

  func associateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    calls.append("Associate \(listenerId) \(certificateIds.joined(separator: ","))\(dryRun ? " dry" : "")")
    associateTokens.append(clientToken)
    try checkWritable(listenerId)
    if failingListeners.contains(listenerId) {
      throw CertHookError.cloud(code: "ServiceUnavailable", message: "injected failure on \(listenerId)")
    }
    guard let l = listeners[listenerId] else { return [] }
    for id in certificateIds {
      guard cas.values.contains(where: { $0.identifier == id }) else {
        throw CertHookError.cloud(code: "ResourceNotFound.Certificate", message: "\(id) not found")
      }
      if l.certificates.contains(where: { $0.certificateId == id && $0.isDefault }) {
        throw CertHookError.cloud(code: "OperationDenied.DefaultCertificateUsed", message: "\(id) is the default")
      }
      if l.certificates.contains(where: { $0.certificateId == id }) {
        throw CertHookError.cloud(code: "ResourceAlreadyAssociated.Certificate", message: "\(id) already associated")
      }
    }
    if let quota = quotas[l.info.loadBalancerId], usage(l.info.loadBalancerId) + certificateIds.count > quota {
      throw CertHookError.cloud(
        code: "ResourceQuotaExceeded.LoadBalancerCertificatesNum",
        message:
          "The quota of LoadBalancerCertificatesNum is exceeded for resource \(l.info.loadBalancerId), usage \(usage(l.info.loadBalancerId))/\(quota)."
      )
    }
    if dryRun { return [] }
    writes.append("Associate \(listenerId) \(certificateIds.joined(separator: ","))")
    for id in certificateIds {
      listeners[listenerId]?.certificates.append(
        CloudListenerCertificate(certificateId: id, isDefault: false, status: "Associated"))
    }
    return ["job-\(writes.count)"]
  }

  func dissociateCertificates(listenerId: String, certificateIds: [String], clientToken: String, dryRun: Bool)
    async throws -> [String]
  {
    calls.append("Dissociate \(listenerId) \(certificateIds.joined(separator: ","))\(dryRun ? " dry" : "")")
    try checkWritable(listenerId)
    guard let l = listeners[listenerId] else { return [] }
    for id in certificateIds {
      guard let c = l.certificates.first(where: { $0.certificateId == id }) else {
        throw CertHookError.cloud(code: "ResourceNotAssociated.Certificate", message: "\(id) not associated")
      }
      if c.isDefault {
        throw CertHookError.cloud(code: "OperationDenied.DefaultCertificateUsed", message: "\(id) is the default")
      }
    }
    if dryRun { return [] }
    writes.append("Dissociate \(listenerId) \(certificateIds.joined(separator: ","))")
    listeners[listenerId]?.certificates.removeAll { certificateIds.contains($0.certificateId) }
    return ["job-\(writes.count)"]
  }

  func replaceDefaultCertificate(listenerId: String, certificateId: String, clientToken: String, dryRun: Bool)
    async throws -> String?
  {
    calls.append("UpdateListenerAttribute \(listenerId) \(certificateId)\(dryRun ? " dry" : "")")
    try checkWritable(listenerId)
    if dryRun { return nil }
    writes.append("UpdateListenerAttribute \(listenerId) \(certificateId)")
    listeners[listenerId]?.certificates.removeAll { $0.isDefault }
    listeners[listenerId]?.certificates.append(
      CloudListenerCertificate(certificateId: certificateId, isDefault: true, status: "Associated"))
    listeners[listenerId]?.info.defaultCertificateId = certificateId
    return "job-\(writes.count)"
  }

  func waitForJob(_ jobId: String, timeout: Double) async throws {
    calls.append("ListAsynJobs \(jobId)")
  }

  func waitForListenerRunning(_ listenerId: String, timeout: Double) async throws {
    for _ in 0..<20 {
      let l = try await getListener(listenerId)
      if l.status == "Running" { return }
    }
    throw CertHookError.timeout("\(listenerId) stays Configuring")
  }

  func searchCertificates(keyword: String) async throws -> [CloudCertificateSummary] {
    calls.append("ListUserCertificateOrder \(keyword)")
    let k = keyword.lowercased()
    return cas.values.filter { c in
      c.name.lowercased().contains(k) || (c.commonName ?? "").lowercased().contains(k)
        || c.dnsNames.contains { $0.contains(k) }
    }.sorted { $0.certId < $1.certId }.map(summary)
  }

  func listUploadedCertificates() async throws -> [CloudCertificateSummary] {
    calls.append("ListUserCertificateOrder *")
    return cas.values.sorted { $0.certId < $1.certId }.map(summary)
  }

  private func summary(_ c: CASCert) -> CloudCertificateSummary {
    // Like the peers' bug report: the list's Sans field is empty.
    CloudCertificateSummary(
      certId: c.certId, name: c.name, commonName: c.commonName, sans: [], sha256: c.sha256, notAfter: c.notAfter)
  }

  func certificateDetail(certId: Int) async throws -> CloudCertificateDetail? {
    calls.append("GetUserCertificateDetail \(certId)")
    if failingDetails.contains(certId) {
      throw CertHookError.cloud(code: "ServiceUnavailable", message: "injected detail failure")
    }
    guard let c = cas[certId] else { return nil }
    return CloudCertificateDetail(
      certId: c.certId, identifier: c.identifier, name: c.name, commonName: c.commonName,
      sans: c.hidePEM ? [] : c.dnsNames, sha256: c.sha256, notBefore: c.notBefore, notAfter: c.notAfter,
      certificatePEM: c.hidePEM ? nil : c.pem)
  }

  func uploadCertificate(name: String, certificatePEM: String, keyPEM: String, clientToken: String) async throws -> Int
  {
    calls.append("UploadUserCertificate \(name)")
    if takenNames.contains(name) || cas.values.contains(where: { $0.name == name }) {
      throw CertHookError.cloud(code: "NameRepeat", message: "The certificate name already exists.")
    }
    let certs = try Certificate.parseAll(Array(certificatePEM.utf8), source: "upload")
    guard let leaf = certs.first else { throw CertHookError.cloud(code: "InvalidParameter", message: "no cert") }
    let key = try PrivateKey(pem: Array(keyPEM.utf8), source: "upload")
    guard key.matches(leaf) else { throw CertHookError.cloud(code: "KeyMismatch", message: "key does not match") }
    writes.append("UploadUserCertificate \(name)")
    nextCertId += 1
    cas[nextCertId] = CASCert(
      certId: nextCertId, name: name, pem: certificatePEM, sha256: leaf.sha256Fingerprint, notBefore: leaf.notBefore,
      notAfter: leaf.notAfter, dnsNames: leaf.dnsNames, commonName: leaf.subject.commonName)
    return nextCertId
  }

  func deleteCertificate(certId: Int) async throws {
    calls.append("DeleteUserCertificate \(certId)")
    writes.append("DeleteUserCertificate \(certId)")
    cas[certId] = nil
  }
}
