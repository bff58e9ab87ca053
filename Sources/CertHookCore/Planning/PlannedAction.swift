import Foundation

/// One change to a listener.
public struct PlannedAction: Codable, Sendable, Equatable {
  /// The kind of change.
  public enum Kind: String, Codable, Sendable {
    /// Associate additional certificates.
    case associate
    /// Dissociate additional certificates.
    case dissociate
    /// Replace the default certificate.
    case replaceDefault = "replace-default"
  }

  /// What to do.
  public var kind: Kind
  /// ALB certificate IDs involved.
  public var certificateIds: [String]
  /// Why.
  public var reason: String

  /// Creates an action.
  public init(kind: Kind, certificateIds: [String], reason: String) {
    self.kind = kind
    self.certificateIds = certificateIds
    self.reason = reason
  }
}
