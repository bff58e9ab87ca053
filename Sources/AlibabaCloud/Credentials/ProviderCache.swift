import Foundation

/// Holds the provider a file-backed source built on first use, so a role profile keeps one refresher (one cached
/// STS credential) for the whole run instead of assuming the role again on every request.
actor ProviderCache {
  private var provider: (any CredentialProvider)?

  /// The cached provider, built by `make` the first time.
  func provider(_ make: () throws -> any CredentialProvider) throws -> any CredentialProvider {
    if let provider { return provider }
    let made = try make()
    provider = made
    return made
  }
}
