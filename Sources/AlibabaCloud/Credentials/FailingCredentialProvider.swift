import Foundation

/// A source that is configured but cannot be built (an RRSA variable set wrong, a duration under 900 s): it stays in
/// the chain at its place and reports its error there, instead of vanishing or stopping the process early.
public struct FailingCredentialProvider: CredentialProvider {
  /// Provider name.
  public let name: String
  /// Why it fails.
  public var lookupDescription: String { "misconfigured" }
  private let error: any Error

  /// Wraps `error` under `name`.
  public init(name: String, error: any Error) {
    self.name = name
    self.error = error
  }

  /// Throws the error.
  public func credentials() async throws -> AccessCredentials? { throw error }
}
