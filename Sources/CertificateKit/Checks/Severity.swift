/// How serious a finding is; ordered info < warning < critical.
public enum Severity: String, Codable, Sendable, Comparable {
  /// Informational.
  case info
  /// Needs attention soon.
  case warning
  /// Needs attention now.
  case critical

  private var rank: Int {
    switch self {
    case .info: return 0
    case .warning: return 1
    case .critical: return 2
    }
  }

  /// Orders by seriousness.
  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
