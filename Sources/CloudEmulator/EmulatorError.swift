import Foundation

/// Errors the emulator raises while it is configured or started (never for API requests,
/// which are answered with Alibaba Cloud error bodies instead).
public struct EmulatorError: Error, CustomStringConvertible, Sendable, Equatable {
  /// A lowercase, actionable message naming the file, field or flag at fault.
  public let message: String

  /// Creates an error with `message`.
  public init(_ message: String) {
    self.message = message
  }

  /// The message.
  public var description: String { message }
}
