import CertificateKit
import Foundation

/// Looks up (and caches) the SANs and expiry of remote certificates by ALB ID, deciding SANs from the PEM.
///
/// Order: this run's memory, the state cache, then CAS `GetUserCertificateDetail`. A cached fact is used only once
/// the cloud confirms it: its certificate ID must be listed by CAS (`ListUserCertificateOrder`, read once per run)
/// with the cached SHA-256; an entry the cloud contradicts (another SHA-256, or unknown to CAS) is dropped and the
/// detail fetched again, so `audit` and the planner never show or act on a contradicted fact. SANs come from the
/// detail's PEM; CAS's `Sans` field is used only when no PEM came back and it is non-empty; otherwise the names are
/// `unknown` and the planner leaves the certificate alone (`error` when CAS could not be read, `not-in-cas` when
/// CAS does not know the ID).
public actor CertificateCatalog {
  private let backend: any CloudBackend
  private let state: StateStore?
  private var memory: [String: RemoteCertificate] = [:]
  private var inFlight: [String: Task<RemoteCertificate, Never>] = [:]
  /// CAS's SHA-256 per certificate ID from one list of uploads, or nil when that list could not be read.
  private var listed: Task<[Int: String]?, Never>?

  /// Creates a catalog over a backend and an optional state cache.
  public init(backend: any CloudBackend, state: StateStore?) {
    self.backend = backend
    self.state = state
  }

  /// Seeds the catalog with a certificate known locally (e.g. the one being deployed).
  public func remember(_ certificate: RemoteCertificate) {
    memory[certificate.identifier] = certificate
  }

  /// Facts about a remote certificate; never throws (unknown facts are marked `unknown`).
  public func lookup(_ identifier: String) async -> RemoteCertificate {
    if let known = memory[identifier] { return known }
    if let task = inFlight[identifier] { return await task.value }
    await state?.prepare()
    let backend = self.backend
    let cached = state?.snapshot().remote[identifier]
    let confirmed: Bool
    if let cached, cached.namesKnown {
      confirmed = await cloudConfirms(cached)
    } else {
      confirmed = false
    }
    if let cached, confirmed {
      memory[identifier] = cached
      return cached
    }
    if let task = inFlight[identifier] { return await task.value }
    let task = Task { await Self.fetch(identifier: identifier, backend: backend) }
    inFlight[identifier] = task
    let result = await task.value
    inFlight[identifier] = nil
    memory[identifier] = result
    if let state {
      if result.namesKnown {
        await state.recordOrWarn { $0.remote[identifier] = result }
      } else if cached != nil, result.namesSource == "not-in-cas" || result.namesSource == "unknown" {
        // The cloud no longer backs the cached entry: drop it rather than keep a fact nobody can confirm.
        await state.recordOrWarn { $0.remote[identifier] = nil }
      }
      if let cached, let sha = cached.sha256, sha != result.sha256 {
        // Whatever was recorded for the old SHA-256 under this ID is contradicted too.
        await state.recordOrWarn { snapshot in
          if snapshot.certificates[sha]?.identifier == identifier { snapshot.certificates[sha] = nil }
        }
      }
    }
    return result
  }

  /// True when CAS lists the cached certificate's ID with the cached SHA-256.
  private func cloudConfirms(_ cached: RemoteCertificate) async -> Bool {
    guard let sha = cached.sha256, !sha.isEmpty,
      let certId = cached.certId ?? RemoteCertificate.casId(fromIdentifier: cached.identifier)
    else { return false }
    let task: Task<[Int: String]?, Never>
    if let listed {
      task = listed
    } else {
      let backend = self.backend
      task = Task {
        guard let uploads = try? await backend.listUploadedCertificates() else { return nil }
        var result: [Int: String] = [:]
        for upload in uploads { result[upload.certId] = upload.sha256?.uppercased() ?? "" }
        return result
      }
      listed = task
    }
    guard let shas = await task.value, let listedSha = shas[certId] else { return false }
    return listedSha == sha.uppercased()
  }

  static func fetch(identifier: String, backend: any CloudBackend) async -> RemoteCertificate {
    var unknown = RemoteCertificate(
      identifier: identifier, certId: nil, name: nil, commonName: nil, dnsNames: [], namesSource: "unknown",
      notAfter: nil, sha256: nil)
    guard let casId = RemoteCertificate.casId(fromIdentifier: identifier) else { return unknown }
    unknown.certId = casId
    let detail: CloudCertificateDetail?
    do {
      detail = try await backend.certificateDetail(certId: casId)
    } catch {
      unknown.namesSource = "error"
      unknown.name = "\(error)"
      return unknown
    }
    guard let detail else {
      unknown.namesSource = "not-in-cas"
      return unknown
    }
    return describe(detail: detail, identifier: identifier)
  }

  /// Builds the facts from a CAS detail: names from the PEM when present, else from a non-empty `Sans` field.
  public static func describe(detail: CloudCertificateDetail, identifier: String) -> RemoteCertificate {
    var result = RemoteCertificate(
      identifier: identifier, certId: detail.certId, name: detail.name, commonName: detail.commonName, dnsNames: [],
      namesSource: "unknown", notAfter: detail.notAfter, sha256: detail.sha256?.uppercased())
    if let pem = detail.certificatePEM, !pem.isEmpty,
      let leaf = try? Certificate.parseAll(Array(pem.utf8), source: "CAS certificate \(detail.certId)").first
    {
      result.dnsNames = (leaf.dnsNames + leaf.ipAddresses).map { $0.lowercased() }
      result.namesSource = "pem"
      result.notAfter = leaf.notAfter
      result.sha256 = leaf.sha256Fingerprint
      result.commonName = leaf.subject.commonName ?? detail.commonName
    } else {
      let sans = detail.sans.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
      if !sans.isEmpty {
        result.dnsNames = sans
        result.namesSource = "cas-sans"
      }
    }
    if result.dnsNames.isEmpty { result.namesSource = "unknown" }
    return result
  }
}
