import Foundation

/// Where a target lives: an account named in `accounts:` (nil: the default credentials) and a region (nil: the
/// configuration's region). A run opens one cloud session per placement it uses; two targets with the same
/// placement share it.
public struct TargetPlacement: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
  /// The account's name in `accounts:`; nil is the default credentials (`credentials:` or the chain).
  public var account: String?
  /// The region; nil is the configuration's region (or the environment's).
  public var region: String?

  /// Creates a placement.
  public init(account: String? = nil, region: String? = nil) {
    self.account = account
    self.region = region
  }

  /// The default credentials in the default region.
  public static let standard = TargetPlacement()

  /// `account NAME` / `default account`, then the region when one is named, e.g. `account prod, cn-shanghai`.
  public var description: String {
    let name = account.map { "account \($0)" } ?? "default account"
    return region.map { "\(name), \($0)" } ?? name
  }

  /// Default account first, then by account name, then by region (default region first).
  public static func < (lhs: TargetPlacement, rhs: TargetPlacement) -> Bool {
    (lhs.account == nil ? 0 : 1, lhs.account ?? "", lhs.region == nil ? 0 : 1, lhs.region ?? "")
      < (rhs.account == nil ? 0 : 1, rhs.account ?? "", rhs.region == nil ? 0 : 1, rhs.region ?? "")
  }

  /// Whether `text` looks like a region ID: lower-case letters, digits and hyphens, not empty.
  public static func isRegionId(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64
      && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
  }
}

extension TargetPlacement {
  /// The keys of a target that place it.
  static let fileKeys: Set<String> = ["account", "region"]

  /// Decodes a target's `account:` (`default` is the default account) and `region:`, both optional.
  public init(from decoder: any Decoder) throws {
    try self.init(fields: try ConfigurationFields(decoder, known: nil))
  }

  /// The placement keys of a target mapping.
  init(fields: ConfigurationFields) throws {
    self.init()
    if let name = try fields.string("account"), name != "default" { account = name }
    region = try fields.region("region")
  }
}
