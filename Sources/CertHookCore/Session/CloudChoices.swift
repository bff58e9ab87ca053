import Foundation

/// What the command line chose for the cloud (region, endpoints, credentials profile, `User-Agent`): the session
/// types apply it above the configuration file; nil leaves the choice to the file and the environment.
public struct CloudChoices: Sendable, Equatable {
  /// `--region`.
  public var region: String?
  /// `--alb-endpoint`.
  public var albEndpoint: String?
  /// `--cas-endpoint`.
  public var casEndpoint: String?
  /// `--nlb-endpoint`, `--ga-endpoint`, `--slb-endpoint` by product name.
  public var productEndpoints: [String: String] = [:]
  /// `--profile`.
  public var profile: String?
  /// `User-Agent` of every request, e.g. `certhook/0.1.0`.
  public var userAgent: String

  /// Creates choices.
  public init(
    region: String? = nil, albEndpoint: String? = nil, casEndpoint: String? = nil, profile: String? = nil,
    userAgent: String = "certhook"
  ) {
    self.region = region
    self.albEndpoint = albEndpoint
    self.casEndpoint = casEndpoint
    self.profile = profile
    self.userAgent = userAgent
  }
}
