import Foundation

/// One thing worth telling someone: what happened, to which deployment, listeners and certificate, and the API's
/// error code and RequestId when a call failed. Built from a run's report after its outcome is known; every text
/// field has been through `SecretRedactor` (no secret, private key or signature can be in it).
public struct NotificationEvent: Codable, Sendable, Equatable {
  /// What happened.
  public var kind: NotificationEventKind
  /// The deployment, when the event belongs to one.
  public var deployment: String?
  /// Listener IDs involved (empty when none).
  public var listeners: [String]
  /// The certificate: CAS name, ALB certificate ID or local file (when known).
  public var certificate: String?
  /// Names the certificate covers (when known).
  public var domains: [String]
  /// The API error code (`IncorrectStatus.Listener`) when a call failed.
  public var errorCode: String?
  /// The API's RequestId when a call failed.
  public var requestId: String?
  /// End of validity (expiry warnings).
  public var notAfter: Date?
  /// Whole days until `notAfter` (expiry warnings).
  public var daysRemaining: Int?
  /// One line saying what happened.
  public var message: String

  /// Creates an event.
  public init(
    kind: NotificationEventKind, deployment: String? = nil, listeners: [String] = [], certificate: String? = nil,
    domains: [String] = [], errorCode: String? = nil, requestId: String? = nil, notAfter: Date? = nil,
    daysRemaining: Int? = nil, message: String
  ) {
    self.kind = kind
    self.deployment = deployment
    self.listeners = listeners
    self.certificate = certificate
    self.domains = domains
    self.errorCode = errorCode
    self.requestId = requestId
    self.notAfter = notAfter
    self.daysRemaining = daysRemaining
    self.message = message
  }

  /// The same event with every text field passed through `clean` (the redaction used for logs).
  public func redacted(_ clean: (String) -> String) -> NotificationEvent {
    var copy = self
    copy.deployment = deployment.map(clean)
    copy.listeners = listeners.map(clean)
    copy.certificate = certificate.map(clean)
    copy.domains = domains.map(clean)
    copy.errorCode = errorCode.map(clean)
    copy.requestId = requestId.map(clean)
    copy.message = clean(message)
    return copy
  }
}
