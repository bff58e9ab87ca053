import Foundation

extension EmulatorSeed {
  /// A RAM role the emulator's STS lets callers assume, with its trust policy: which accounts or principals may
  /// call `AssumeRole` on it, an optional external ID, and which OIDC provider, issuer and subjects may call
  /// `AssumeRoleWithOIDC`. A caller the trust does not name is refused with `NoPermission`.
  public struct Role: Codable, Sendable, Equatable {
    /// The role ARN, `acs:ram::<account>:role/<name>`.
    public var arn: String
    /// The longest session, 3600 to 43200 seconds (default 3600): `DurationSeconds` above it is refused.
    public var maxSessionDuration: Int
    /// Who may `AssumeRole`: an account ID (any principal of that account), `acs:ram::<account>:root`, a RAM user
    /// ARN (`acs:ram::<account>:user/<accessKeyId>`) or a role ARN (callers holding that role's STS credentials).
    public var trust: [String]
    /// When set, `AssumeRole` must send this `ExternalId`.
    public var externalId: String?
    /// When set, `AssumeRoleWithOIDC` through this provider may assume the role.
    public var oidc: OIDCTrust?

    /// Creates a role.
    public init(
      arn: String, maxSessionDuration: Int = 3600, trust: [String] = [], externalId: String? = nil,
      oidc: OIDCTrust? = nil
    ) {
      self.arn = arn
      self.maxSessionDuration = maxSessionDuration
      self.trust = trust
      self.externalId = externalId
      self.oidc = oidc
    }

    enum CodingKeys: String, CodingKey {
      case arn, maxSessionDuration, trust, externalId, oidc
    }

    /// Decodes a role; everything but `arn` may be omitted.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      arn = try c.decode(String.self, forKey: .arn)
      maxSessionDuration = try c.decodeIfPresent(Int.self, forKey: .maxSessionDuration) ?? 3600
      trust = try c.decodeIfPresent([String].self, forKey: .trust) ?? []
      externalId = try c.decodeIfPresent(String.self, forKey: .externalId)
      oidc = try c.decodeIfPresent(OIDCTrust.self, forKey: .oidc)
    }

    /// The account in the ARN, nil when the ARN is not `acs:ram::<account>:role/<name>`.
    public var accountId: String? { RoleName.parse(arn)?.account }
    /// The role name in the ARN.
    public var name: String? { RoleName.parse(arn)?.name }
  }

  /// The OIDC side of a role's trust: the provider ARN, the issuer its tokens must carry (`iss`) and the subjects
  /// (`sub`) accepted (empty: any subject of that issuer).
  public struct OIDCTrust: Codable, Sendable, Equatable {
    /// `acs:ram::<account>:oidc-provider/<name>`.
    public var provider: String
    /// The `iss` claim the token must carry.
    public var issuer: String
    /// Accepted `sub` claims; empty accepts any.
    public var subjects: [String]

    /// Creates an OIDC trust.
    public init(provider: String, issuer: String, subjects: [String] = []) {
      self.provider = provider
      self.issuer = issuer
      self.subjects = subjects
    }

    enum CodingKeys: String, CodingKey {
      case provider, issuer, subjects
    }

    /// Decodes the trust; `subjects` may be omitted.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      provider = try c.decode(String.self, forKey: .provider)
      issuer = try c.decode(String.self, forKey: .issuer)
      subjects = try c.decodeIfPresent([String].self, forKey: .subjects) ?? []
    }
  }

  /// Splits `acs:ram::<account>:role/<name>`.
  enum RoleName {
    static func parse(_ arn: String) -> (account: String, name: String)? {
      let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 5, parts[0] == "acs", parts[1] == "ram", parts[2].isEmpty, !parts[3].isEmpty,
        parts[4].hasPrefix("role/"), parts[4].count > 5
      else { return nil }
      return (String(parts[3]), String(parts[4].dropFirst(5)))
    }
  }
}
