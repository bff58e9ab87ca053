import Foundation

/// Why a handshake produced no certificate; the text names the endpoint.
public struct ProbeFailure: Error, CustomStringConvertible, Sendable, Equatable {
  /// Lowercase, operator-readable reason.
  public var description: String

  /// Creates a failure.
  public init(_ description: String) {
    self.description = description
  }
}
