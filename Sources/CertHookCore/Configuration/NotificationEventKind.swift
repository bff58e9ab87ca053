import Foundation

/// The events a notifier can be sent; every notifier gets the failures and warnings unless its `events:` says
/// otherwise, and `success` only when asked (`events: [..., success]` or `onSuccess: true`).
public enum NotificationEventKind: String, Codable, Sendable, CaseIterable, Comparable {
  /// A deployment failed as a whole (its certificate could not be loaded or mapped, or a general error).
  case deploymentFailed
  /// A listener failed; the old certificates stay in place there.
  case listenerFailed
  /// The certificate was inspected and refused; nothing changed.
  case certificateRefused
  /// A served or source certificate is inside the warning window (from `sync` and `audit`).
  case expiryWarning
  /// A run that changed listeners finished without a failure.
  case success

  /// The events a notifier gets when its `events:` is not set.
  public static let defaults: Set<NotificationEventKind> = [
    .deploymentFailed, .listenerFailed, .certificateRefused, .expiryWarning,
  ]

  /// Orders kinds as declared (failures first).
  public static func < (lhs: NotificationEventKind, rhs: NotificationEventKind) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}
