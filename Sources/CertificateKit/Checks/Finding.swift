/// One result of checking a certificate chain: a value, not an error.
public struct Finding: Sendable, Hashable, Codable {
  /// What the finding is about.
  public let code: FindingCode
  /// How serious it is.
  public let severity: Severity
  /// An operator-readable message.
  public let message: String
  /// The position of the certificate concerned (0 = leaf), nil when about the whole chain or the key.
  public let certificateIndex: Int?
  /// Whether the finding must stop a deployment (derived from `code` by default).
  public var blocksDeployment: Bool

  /// Creates a finding; `blocksDeployment` defaults to what `code` implies.
  public init(
    code: FindingCode, severity: Severity, message: String, certificateIndex: Int?, blocksDeployment: Bool? = nil
  ) {
    self.code = code
    self.severity = severity
    self.message = message
    self.certificateIndex = certificateIndex
    self.blocksDeployment = blocksDeployment ?? code.blocksDeployment
  }
}
