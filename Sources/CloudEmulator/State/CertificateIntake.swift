import CertificateKit
import Foundation

/// Turns uploaded PEM text into a CAS record with CertificateKit, the way CAS validates uploads.
enum CertificateIntake {
  /// Parses `certPEM` (leaf first) and `keyPEM`, checks the key matches the leaf, and fills every
  /// field CAS shows.
  static func record(
    certPEM: String, keyPEM: String, certId: Int, name: String, resourceId: String, now: Date,
    resourceGroupId: String?, generated: Bool
  ) throws(ApiError) -> StoredCertificate {
    let chain: [Certificate]
    do {
      chain = try Certificate.parseAll(Array(certPEM.utf8), source: "Cert")
    } catch {
      throw ApiError(400, "InvalidParameter.Cert", "The certificate is not a valid PEM certificate: \(error).")
    }
    guard let leaf = chain.first else {
      throw ApiError(400, "InvalidParameter.Cert", "The certificate is not a valid PEM certificate.")
    }
    let key: PrivateKey
    do {
      key = try PrivateKey(pem: Array(keyPEM.utf8), source: "Key")
    } catch {
      throw ApiError(400, "InvalidParameter.Key", "The private key is not a valid unencrypted PEM key.")
    }
    guard key.matches(leaf) else {
      throw ApiError(400, "InvalidParameter.KeyMismatch", "The private key does not match the certificate.")
    }
    let sans = leaf.dnsNames + leaf.ipAddresses
    return StoredCertificate(
      certId: certId, name: name, resourceId: resourceId,
      certPEM: chain.map { $0.pem }.joined(), keyPEM: keyPEM,
      commonName: leaf.subject.commonName ?? sans.first ?? "",
      sans: sans, fingerprint: leaf.sha1Fingerprint, sha2: leaf.sha256Fingerprint,
      serialNo: leaf.serialNumber, issuer: leaf.issuer.commonName ?? leaf.issuer.rfc4514,
      algorithm: algorithmName(leaf.publicKey.algorithm),
      notBefore: leaf.notBefore, notAfter: leaf.notAfter,
      chain: chain.map {
        StoredCertificate.ChainEntry(
          commonName: $0.subject.commonName ?? "", issuerCommonName: $0.issuer.commonName ?? "",
          notBefore: $0.notBefore, notAfter: $0.notAfter, isCA: $0.isCA)
      },
      uploadedAt: now, resourceGroupId: resourceGroupId, generated: generated)
  }

  /// CAS algorithm names: `RSA`, `ECC`, or OpenSSL's name for the rest.
  static func algorithmName(_ algorithm: KeyAlgorithm) -> String {
    switch algorithm {
    case .rsa: return "RSA"
    case .ec: return "ECC"
    default: return algorithm.description
    }
  }
}
