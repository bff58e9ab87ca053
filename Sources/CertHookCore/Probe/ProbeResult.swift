import Foundation

/// What one handshake showed for one (listener, domain) pair.
public struct ProbeResult: Sendable, Equatable, Codable {
  /// The pair.
  public var target: ProbeTarget
  /// `ADDRESS:PORT` connected to.
  public var endpoint: String
  /// Uppercase SHA-256 of the served leaf; nil when the handshake failed.
  public var sha256: String?
  /// Serial number (lowercase hex) of the served leaf.
  public var serial: String?
  /// notAfter of the served leaf.
  public var notAfter: Date?
  /// Whole days until notAfter.
  public var daysRemaining: Int?
  /// Whether the served leaf's SANs cover the domain.
  public var covers: Bool?
  /// Whether the served chain verifies to a trusted root (`--ca-file` or the system store).
  public var chainTrusted: Bool?
  /// OpenSSL's reason when the chain does not verify.
  public var chainProblem: String?
  /// The ALB certificate ID the served leaf matches among those the API lists; nil when none.
  public var listedCertificateId: String?
  /// The handshake failure, when there was no certificate.
  public var error: String?
  /// `ok`, `warning`, `critical`, `expired`, `uncovered`, `unexpected`, `untrusted` or `unreachable`.
  public var status: String

  /// Creates a result.
  public init(
    target: ProbeTarget, endpoint: String, sha256: String? = nil, serial: String? = nil, notAfter: Date? = nil,
    daysRemaining: Int? = nil, covers: Bool? = nil, chainTrusted: Bool? = nil, chainProblem: String? = nil,
    listedCertificateId: String? = nil, error: String? = nil, status: String
  ) {
    self.target = target
    self.endpoint = endpoint
    self.sha256 = sha256
    self.serial = serial
    self.notAfter = notAfter
    self.daysRemaining = daysRemaining
    self.covers = covers
    self.chainTrusted = chainTrusted
    self.chainProblem = chainProblem
    self.listedCertificateId = listedCertificateId
    self.error = error
    self.status = status
  }

  /// True for the statuses that make `probe` exit 2.
  public var isCritical: Bool {
    ["critical", "expired", "uncovered", "unexpected", "untrusted"].contains(status)
  }
}
