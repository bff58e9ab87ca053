/// Thresholds for the expiry checks.
public struct CheckPolicy: Sendable, Hashable, Codable {
  /// Expiring within this many days is a warning.
  public var warningDays: Int
  /// Expiring within this many days is critical.
  public var criticalDays: Int

  /// Creates a policy; defaults are 30 and 7 days.
  public init(warningDays: Int = 30, criticalDays: Int = 7) {
    self.warningDays = warningDays
    self.criticalDays = criticalDays
  }
}
