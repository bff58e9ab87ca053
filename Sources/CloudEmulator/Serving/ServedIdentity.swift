import CertificateKit
import Foundation
import NIOSSL

/// A chosen certificate in the form the TLS stack presents it: the uploaded chain (leaf first) and
/// the key. The PEM is read by CertificateKit; NIOSSL only receives the DER it re-encodes.
struct ServedIdentity: Sendable {
  /// `<CertId>-<region>` of the presented certificate.
  var identifier: String
  /// The full chain, leaf first.
  var chain: [NIOSSLCertificate]
  /// The private key.
  var key: NIOSSLPrivateKey

  init(_ candidate: ServingCandidate) throws {
    let certificates = try Certificate.parseAll(Array(candidate.certPEM.utf8), source: candidate.identifier)
    identifier = candidate.identifier
    chain = try certificates.map { try NIOSSLCertificate(bytes: $0.der, format: .der) }
    key = try NIOSSLPrivateKey(bytes: Array(candidate.keyPEM.utf8), format: .pem)
  }
}
