import Foundation

/// What certhook last attached to a listener.
public struct ListenerRecord: Sendable, Codable, Equatable {
  /// Certificate IDs attached after the last change.
  public var certificateIds: [String]
  /// When that change finished.
  public var updatedAt: Date

  /// Creates a record.
  public init(certificateIds: [String], updatedAt: Date) {
    self.certificateIds = certificateIds
    self.updatedAt = updatedAt
  }
}
