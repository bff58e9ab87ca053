import Foundation

/// One certificate a listener can present in a TLS handshake: its ALB identifier, the names and
/// expiry CAS read from it with CertificateKit at upload, and the uploaded chain and key.
struct ServingCandidate: Sendable, Equatable {
  /// `<CertId>-<region>`.
  var identifier: String
  /// DNS (and IP) SANs of the leaf.
  var sans: [String]
  /// The leaf's notAfter.
  var notAfter: Date
  /// The full uploaded chain, leaf first, as PEM.
  var certPEM: String
  /// The private key, as PEM.
  var keyPEM: String

  init(identifier: String, sans: [String], notAfter: Date, certPEM: String, keyPEM: String) {
    self.identifier = identifier
    self.sans = sans
    self.notAfter = notAfter
    self.certPEM = certPEM
    self.keyPEM = keyPEM
  }

  init(_ stored: StoredCertificate, region: String) {
    self.init(
      identifier: stored.identifier(region: region), sans: stored.sans, notAfter: stored.notAfter,
      certPEM: stored.certPEM, keyPEM: stored.keyPEM)
  }
}

/// What a listener's data plane holds at one instant: the default certificate and the additional
/// certificates that are `Associated` (not `Associating`, not `Diassociating`), in association order.
struct ListenerServingSet: Sendable, Equatable {
  /// The default certificate, if the listener has one.
  var defaultCertificate: ServingCandidate?
  /// Associated additional certificates.
  var additional: [ServingCandidate]
  /// GA and CLB: certificates bound to one domain each (exact name or `*.` wildcard), associated.
  var bound: [Binding] = []

  /// One domain binding (GA additional certificate, CLB domain extension).
  struct Binding: Sendable, Equatable {
    var domain: String
    var candidate: ServingCandidate
  }
}
