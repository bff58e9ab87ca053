import Foundation
import Logging

/// Tries providers in order; the first that yields credentials wins and is remembered.
public actor CredentialChain: CredentialProvider {
  /// Provider name.
  public nonisolated let name = "chain"
  /// Every provider's lookup, in order.
  public nonisolated let lookupDescription: String
  /// Providers in the order they are tried.
  public nonisolated let providers: [any CredentialProvider]
  private let logger: Logger
  private let notFound: String
  private var winner: (any CredentialProvider)?

  /// Creates a chain of `providers`; `notFound` leads the error when none has credentials.
  public init(
    providers: [any CredentialProvider], logger: Logger = Logger(label: "certhook.credentials"),
    notFound: String = "no alibaba cloud credentials found"
  ) {
    self.providers = providers
    self.logger = logger
    self.notFound = notFound
    self.lookupDescription = providers.map { "\($0.name) (\($0.lookupDescription))" }.joined(separator: ", ")
  }

  /// The standard order: explicit, environment, aliyun CLI profile, INI credentials file, ECS RAM role.
  ///
  /// `metadata` builds the ECS provider for a role name (nil = discover it); pass nil for
  /// `metadata` to leave the metadata service out entirely.
  public static func standard(
    explicit: AccessCredentials?, environment: [String: String], homeDirectory: String,
    readFile: @escaping FileReader,
    metadata: (@Sendable (_ roleName: String?) -> any CredentialProvider)?,
    logger: Logger = Logger(label: "certhook.credentials")
  ) -> CredentialChain {
    let sources = CredentialSources(
      environment: SessionEnvironment(environment), homeDirectory: homeDirectory, readFile: readFile, metadata: metadata)
    let explicitProvider: any CredentialProvider = StaticCredentialProvider(explicit)
    return CredentialChain(providers: [explicitProvider] + sources.ambient(), logger: logger)
  }

  /// Credentials from the first provider that has them; throws listing everything tried.
  public func credentials() async throws -> AccessCredentials? {
    try await resolve().credentials
  }

  /// Credentials and the name of the provider that supplied them.
  public func resolve() async throws -> (credentials: AccessCredentials, provider: String) {
    if let winner, let creds = try await winner.credentials() {
      return (creds, winner.name)
    }
    var tried: [String] = []
    for provider in providers {
      do {
        if let found = try await provider.credentials() {
          let creds = try CredentialValidation.check(found, source: "\(provider.name) (\(provider.lookupDescription))")
          winner = provider
          logger.debug("using credentials", metadata: ["provider": "\(provider.name)", "accessKeyId": "\(creds.maskedAccessKeyId)"])
          return (creds, provider.name)
        }
        tried.append("\(provider.name) (\(provider.lookupDescription): not configured)")
      } catch let error as AlibabaCloudError
        where error.code == CredentialValidation.invalidValueCode || error.code == CredentialRefresher.failureCode
      {
        // A source that holds unsendable values, or a role that cannot be assumed, is a mistake to fix, not a
        // reason to sign as someone else.
        throw error
      } catch let error as AlibabaCloudError {
        logger.debug("credential provider failed", metadata: ["provider": "\(provider.name)", "error": "\(error.message)"])
        tried.append("\(provider.name) (\(error.message))")
      }
    }
    throw AlibabaCloudError.credentials("\(notFound); tried: \(tried.joined(separator: "; "))")
  }
}
