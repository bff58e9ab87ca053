import Foundation

extension EmulatorSeed {
  /// Another Alibaba Cloud account served by the same emulator process: its own access keys, load balancers and
  /// CAS certificates, in a world of its own. A request signed by one of its keys (or by an STS credential of one
  /// of its roles) sees only this world and counts against this account's rate limits; nothing it does is visible
  /// to another account.
  public struct Account: Codable, Sendable, Equatable {
    /// The account ID (e.g. `1111222233334444`); every key of the account belongs to it.
    public var id: String
    /// The ALB region of this account's load balancers (default: the seed's `region`).
    public var region: String?
    /// The CAS site region (default: follows `region`).
    public var casRegion: String?
    /// The account's access keys (their `accountId` may be omitted; it must match `id` when given).
    public var accessKeys: [AccessKey]
    /// The account's ALB instances.
    public var loadBalancers: [LoadBalancer]
    /// Certificates uploaded to the account's CAS at start.
    public var certificates: [CertificateFiles]

    /// Creates an account.
    public init(
      id: String, region: String? = nil, casRegion: String? = nil, accessKeys: [AccessKey],
      loadBalancers: [LoadBalancer] = [], certificates: [CertificateFiles] = []
    ) {
      self.id = id
      self.region = region
      self.casRegion = casRegion
      self.accessKeys = accessKeys
      self.loadBalancers = loadBalancers
      self.certificates = certificates
    }

    enum CodingKeys: String, CodingKey {
      case id, region, casRegion, accessKeys, loadBalancers, certificates
    }

    /// Decodes an account; everything but `id` and `accessKeys` may be omitted.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      id = try c.decode(String.self, forKey: .id)
      region = try c.decodeIfPresent(String.self, forKey: .region)
      casRegion = try c.decodeIfPresent(String.self, forKey: .casRegion)
      accessKeys = try c.decode([AccessKey].self, forKey: .accessKeys)
      loadBalancers = try c.decodeIfPresent([LoadBalancer].self, forKey: .loadBalancers) ?? []
      certificates = try c.decodeIfPresent([CertificateFiles].self, forKey: .certificates) ?? []
    }

    /// The account's world as a seed of its own (keys stamped with the account ID).
    func seed(defaultRegion: String) -> EmulatorSeed {
      EmulatorSeed(
        region: region ?? defaultRegion,
        accessKeys: accessKeys.map { key in
          var stamped = key
          stamped.accountId = id
          return stamped
        }, loadBalancers: loadBalancers, certificates: certificates, casRegion: casRegion)
    }
  }

  /// Every access key of the seed: the top-level ones and each account's (stamped with its account ID).
  public var allAccessKeys: [AccessKey] {
    accessKeys + accounts.flatMap { $0.seed(defaultRegion: region).accessKeys }
  }

  /// Checks account IDs are unique and non-empty, each account's keys name no other account, every key ID is
  /// unique across the seed, and each account's world is valid on its own.
  func validateAccounts(source: String) throws {
    var ids = Set<String>()
    var keyIds = Set(accessKeys.map(\.id))
    for (i, account) in accounts.enumerated() {
      guard !account.id.isEmpty, ids.insert(account.id).inserted else {
        throw EmulatorError("\(source): accounts[\(i)].id '\(account.id)' is empty or used twice")
      }
      for (j, key) in account.accessKeys.enumerated() {
        if let other = key.accountId, other != account.id {
          throw EmulatorError("\(source): accounts[\(i)].accessKeys[\(j)].accountId '\(other)' is not the account's id")
        }
        guard keyIds.insert(key.id).inserted else {
          throw EmulatorError("\(source): accounts[\(i)].accessKeys[\(j)].id '\(key.id)' is used twice")
        }
      }
      try account.seed(defaultRegion: region).validate(source: "\(source): accounts[\(i)]")
    }
  }
}
