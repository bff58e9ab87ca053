import Foundation

/// Which certificates a new one retires.
public enum ReplacePolicy: String, Sendable, Codable, Equatable {
  /// Retire older certificates whose every SAN is covered by the new one.
  case covered
  /// Retire nothing.
  case none
}
