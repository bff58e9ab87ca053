import Foundation

/// Which credentials a session signs with. Anything named explicitly (a profile, the environment, keys in the
/// configuration) is the only source used: it never silently falls back to ambient credentials, and a named
/// source that does not exist is an error.
public enum CredentialSelection: Sendable, Equatable {
  /// The ambient chain: environment variables, aliyun CLI profile, INI credentials file, ECS RAM role.
  case standard
  /// One named profile: the aliyun CLI profile of that name, else the INI file's section of that name.
  /// `origin` says who named it (`--profile`, `credentials.profile`), for error messages.
  case profile(String, origin: String)
  /// Only the environment's AccessKey variables; `origin` says who asked (`credentials.environment`).
  case environment(origin: String)
  /// Fixed keys (the configuration file's, or a test's); `origin` names where they came from.
  case keys(AccessCredentials, origin: String)
  /// A RAM role assumed (STS `AssumeRole`) with the credentials `base` selects; `origin` names the setting
  /// (`credentials.assumeRole`). Failing to assume it is an error, never a fallback to the base identity.
  indirect case assumeRole(RoleProviders.RoleFields, base: CredentialSelection, origin: String)
}
