import Foundation

/// Credentials given explicitly (configuration file or a test).
public struct StaticCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name: String
  /// Where the values came from.
  public let lookupDescription: String
  private let value: AccessCredentials?

  /// Wraps fixed credentials (nil = not configured).
  public init(_ credentials: AccessCredentials?, name: String = "explicit", lookupDescription: String = "configuration") {
    self.value = credentials
    self.name = name
    self.lookupDescription = lookupDescription
  }

  /// The fixed credentials.
  public func credentials() async throws -> AccessCredentials? { value }
}
