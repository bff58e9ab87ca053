import CertificateKit
import Foundation

/// The certificate a batch command works on: local files, or an existing CAS/ALB certificate ID.
public enum CertificateReference: Sendable, Equatable {
  /// Local files (the key is needed only to upload).
  case files(certificate: String, key: String?, chain: String?)
  /// An ALB certificate ID (`123-cn-hangzhou`) or a CAS numeric ID (`123`).
  case identifier(String)

  /// Parses a command-line value: a path when the file exists or it contains `/` or ends in .pem/.crt/.cer,
  /// an ID otherwise.
  public static func parse(_ value: String, key: String?, chain: String?, fileExists: (String) -> Bool)
    -> CertificateReference
  {
    let lower = value.lowercased()
    if fileExists(value) || value.contains("/") || lower.hasSuffix(".pem") || lower.hasSuffix(".crt")
      || lower.hasSuffix(".cer")
    {
      return .files(certificate: value, key: key, chain: chain)
    }
    return .identifier(value)
  }

  /// Resolves an ID through CAS detail (the returned identifier is CAS's `CertIdentifier`, never rebuilt).
  static func resolve(identifier: String, backend: any CloudBackend) async throws -> MappedCertificate {
    guard let casId = RemoteCertificate.casId(fromIdentifier: identifier) else {
      throw CertHookError.invalidArgument(
        "\"\(identifier)\" is neither a file nor a certificate ID such as 123-cn-hangzhou")
    }
    guard let detail = try await backend.certificateDetail(certId: casId) else {
      throw CertHookError.invalidArgument("CAS has no certificate \(identifier)")
    }
    // An ALB ID given by the user names the region; CAS's identifier is authoritative when the user gave a bare number.
    let alb = identifier.contains("-") ? identifier : detail.identifier
    let facts = CertificateCatalog.describe(detail: detail, identifier: alb)
    return MappedCertificate(
      identifier: alb, certId: casId, name: detail.name, sha256: facts.sha256, commonName: facts.commonName,
      dnsNames: facts.dnsNames, notBefore: detail.notBefore, notAfter: facts.notAfter)
  }
}
