import AlibabaCloud
import CertificateKit
import Foundation
import Logging

/// Maps a local certificate to its CAS identity: state cache, then CAS lookup, then one upload.
///
/// Identity is the SHA-256 of the leaf DER (CAS `Sha2`). Uploads get a deterministic readable name
/// (`CertificateNaming`), send the leaf followed by the chain without the root, and resolve name collisions.
public struct CertificateMapper: Sendable {
  /// The cloud.
  public let backend: any CloudBackend
  /// The state cache.
  public let state: StateStore
  /// The reference time (recorded in state).
  public let now: Date
  /// Where diagnostics go.
  public let logger: Logger

  /// Creates a mapper.
  public init(backend: any CloudBackend, state: StateStore, now: Date, logger: Logger) {
    self.backend = backend
    self.state = state
    self.now = now
    self.logger = logger
  }

  /// Returns the CAS identity of the bundle's leaf, uploading it once when CAS does not have it.
  ///
  /// With `dryRun`, nothing is uploaded: an absent certificate comes back with `pendingUpload` and the
  /// placeholder identifier.
  public func ensureUploaded(_ bundle: CertificateBundle, dryRun: Bool) async throws -> MappedCertificate {
    let leaf = bundle.leaf
    if let found = try await find(leaf) { return found }
    let baseName = CertificateNaming.name(
      commonName: displayName(leaf), notAfter: leaf.notAfter, sha256: leaf.sha256Fingerprint)
    if dryRun {
      return mapped(
        leaf, identifier: MappedCertificate.pendingIdentifier, certId: nil, name: baseName, uploaded: false,
        pending: true)
    }
    guard let key = bundle.key else {
      throw CertHookError.certificate(
        "\(bundle.certificatePath): a private key is needed to upload it to CAS (pass --key)")
    }
    let keyPEM: String
    do {
      keyPEM = try key.pkcs8PEM()
    } catch {
      throw CertHookError.certificate("\(bundle.certificatePath): cannot encode the private key for upload: \(error)")
    }
    var lastError: Error?
    for attempt in 0..<6 {
      let name = CertificateNaming.name(
        commonName: displayName(leaf), notAfter: leaf.notAfter, sha256: leaf.sha256Fingerprint, attempt: attempt)
      let token =
        "certhook-upload-" + String(Hashing.sha256Hex(Array("\(leaf.sha256Fingerprint)|\(name)".utf8)).prefix(40))
      do {
        let certId = try await backend.uploadCertificate(
          name: name, certificatePEM: bundle.uploadCertificatePEM, keyPEM: keyPEM, clientToken: token)
        logger.info("uploaded certificate to CAS", metadata: ["name": "\(name)", "certId": "\(certId)"])
        guard let detail = try await backend.certificateDetail(certId: certId) else {
          throw CertHookError.cloud(
            code: nil, message: "CAS does not return the certificate \(certId) it just uploaded")
        }
        let result = mapped(
          leaf, identifier: detail.identifier, certId: certId, name: name, uploaded: true, pending: false)
        await record(result, uploadedByCerthook: true)
        return result
      } catch let error as CertHookError {
        lastError = error
        // Another process may have uploaded the same certificate meanwhile; CAS is the source of truth.
        if let found = try await searchCAS(leaf) { return found }
        guard Self.isNameCollision(error) else { throw error }
        logger.notice("CAS name already taken, trying another", metadata: ["name": "\(name)"])
      }
    }
    throw lastError ?? CertHookError.cloud(code: nil, message: "upload of \(bundle.certificatePath) failed")
  }

  /// The CAS identity of a leaf if CAS already holds it (state cache verified against CAS, then a CAS search).
  public func find(_ leaf: Certificate) async throws -> MappedCertificate? {
    let sha = leaf.sha256Fingerprint.uppercased()
    await state.prepare()
    if let cached = state.certificate(sha256: sha) {
      if let detail = try await backend.certificateDetail(certId: cached.certId),
        detail.sha256.map({ $0.uppercased() == sha }) ?? true
      {
        return mapped(
          leaf, identifier: detail.identifier, certId: cached.certId, name: detail.name, uploaded: false, pending: false
        )
      }
      logger.notice(
        "state cache pointed at a CAS certificate that is gone; looking again", metadata: ["certId": "\(cached.certId)"]
      )
      await state.recordOrWarn { $0.certificates[sha] = nil }
    }
    return try await searchCAS(leaf)
  }

  private func searchCAS(_ leaf: Certificate) async throws -> MappedCertificate? {
    let sha = leaf.sha256Fingerprint.uppercased()
    var keywords: [String] = []
    for candidate in [leaf.subject.commonName] + leaf.dnsNames.map(Optional.some) {
      guard var k = candidate?.lowercased(), !k.isEmpty else { continue }
      if k.hasPrefix("*.") { k.removeFirst(2) }
      if !keywords.contains(k) { keywords.append(k) }
      if keywords.count == 2 { break }
    }
    if keywords.isEmpty { keywords = [String(sha.prefix(16))] }
    var checked = Set<Int>()
    for keyword in keywords {
      let candidates = try await backend.searchCertificates(keyword: keyword)
      for summary in candidates where !checked.contains(summary.certId) {
        checked.insert(summary.certId)
        if let listed = summary.sha256, !listed.isEmpty, listed.uppercased() != sha { continue }
        guard let detail = try await backend.certificateDetail(certId: summary.certId) else { continue }
        let detailSha = detail.sha256?.uppercased() ?? ""
        var matches = detailSha == sha
        if detailSha.isEmpty, let pem = detail.certificatePEM,
          let remoteLeaf = try? Certificate.parseAll(Array(pem.utf8), source: "CAS \(detail.certId)").first
        {
          matches = remoteLeaf.sha256Fingerprint.uppercased() == sha
        }
        guard matches else { continue }
        let result = mapped(
          leaf, identifier: detail.identifier, certId: detail.certId, name: detail.name, uploaded: false, pending: false
        )
        // A name that looks like certhook's proves nothing (another tool may use it): only this store's own
        // upload record marks a certificate as certhook's.
        await record(result, uploadedByCerthook: false)
        return result
      }
    }
    return nil
  }

  /// Records the identity; a cache that cannot be written is a warning, never a reason to stop the deploy.
  private func record(_ mapped: MappedCertificate, uploadedByCerthook: Bool) async {
    guard let certId = mapped.certId, let sha = mapped.sha256 else { return }
    let now = self.now
    await state.recordOrWarn {
      let previous = $0.certificates[sha]
      let sameUpload = previous?.certId == certId
      $0.certificates[sha] = CertificateRecord(
        certId: certId, identifier: mapped.identifier, name: mapped.name, notAfter: mapped.notAfter,
        uploadedByCerthook: uploadedByCerthook || (sameUpload && previous?.uploadedByCerthook == true),
        recordedAt: now)
    }
  }

  private func displayName(_ leaf: Certificate) -> String? {
    leaf.subject.commonName ?? leaf.dnsNames.first
  }

  private func mapped(
    _ leaf: Certificate, identifier: String, certId: Int?, name: String, uploaded: Bool, pending: Bool
  ) -> MappedCertificate {
    MappedCertificate(
      identifier: identifier, certId: certId, name: name, sha256: leaf.sha256Fingerprint.uppercased(),
      commonName: leaf.subject.commonName, dnsNames: (leaf.dnsNames + leaf.ipAddresses).map { $0.lowercased() },
      notBefore: leaf.notBefore, notAfter: leaf.notAfter, wasUploaded: uploaded, pendingUpload: pending)
  }

  /// True when an upload error says the name is taken (by code or message; the exact code is not relied on).
  static func isNameCollision(_ error: CertHookError) -> Bool {
    guard let message = error.apiMessage else { return false }
    let c = (error.apiCode ?? "").lowercased()
    let m = message.lowercased()
    return c.contains("namerepeat") || c.contains("name.") || c.contains("duplicate") || m.contains("already exist")
      || (m.contains("name") && (m.contains("repeat") || m.contains("duplicate") || m.contains("exists")))
  }
}
