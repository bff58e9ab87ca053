import CertificateKit
import Foundation

/// Loading and inspecting local certificate files before anything touches the cloud.
public enum LocalCertificates {
  /// Loads a bundle, turning CertificateKit errors into `CertHookError.certificate`.
  public static func load(certificatePath: String, keyPath: String?, chainPath: String?) throws -> CertificateBundle {
    do {
      return try CertificateBundle.load(certificatePath: certificatePath, keyPath: keyPath, chainPath: chainPath)
    } catch let error as CertHookError {
      throw error
    } catch {
      throw CertHookError.certificate("\(error)")
    }
  }

  /// Reasons to refuse deploying the bundle for `domains` (empty = deployable): expired, not yet valid, not for
  /// server auth, key mismatch or missing, domains not covered, broken chain (`refusedCodes`).
  public static func refusals(_ bundle: CertificateBundle, domains: [String], now: Date, policy: CheckPolicy)
    -> [String]
  {
    var reasons: [String] = []
    if bundle.key == nil {
      reasons.append("\(bundle.certificatePath): no private key found (pass the key file)")
    }
    let findings = CertificateChecker.check(
      chain: [bundle.leaf] + bundle.chain, key: bundle.key, domains: domains, now: now, policy: policy)
    for finding in findings where refusedCodes.contains(finding.code) {
      reasons.append("\(bundle.certificatePath): [\(finding.code.rawValue)] \(finding.message)")
    }
    return reasons
  }

  /// Findings that refuse a deployment: the certificate cannot serve the domains (expired, not yet valid, not for
  /// server auth, key mismatch, names not covered or absent), it is a CA certificate (a chain file given as the
  /// certificate), or its chain is wrong: the same findings that make `certhook inspect` exit 1. A weak key is a
  /// warning in both.
  public static let refusedCodes: Set<FindingCode> = [
    .expired, .notYetValid, .notServerAuth, .caAsLeaf, .keyMismatch, .domainNotCovered, .noSubjectAltName,
    .chainBroken, .chainOutOfOrder,
  ]

  /// The mapped description of a bundle's leaf, before it has a CAS identity.
  static func describe(_ leaf: Certificate) -> MappedCertificate {
    MappedCertificate(
      identifier: MappedCertificate.pendingIdentifier, certId: nil, name: "",
      sha256: leaf.sha256Fingerprint.uppercased(),
      commonName: leaf.subject.commonName, dnsNames: (leaf.dnsNames + leaf.ipAddresses).map { $0.lowercased() },
      notBefore: leaf.notBefore, notAfter: leaf.notAfter)
  }
}
