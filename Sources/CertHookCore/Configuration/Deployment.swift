import Foundation

/// One deployment: a certificate source, the domains it must cover, and where it goes.
public struct Deployment: Sendable, Codable, Equatable {
  /// Unique, human-readable name.
  public var name: String
  /// Where the certificate comes from; nil matches any renewed certificate covering `domains`.
  public var source: CertificateSource?
  /// Domains the certificate must cover (checked against its SANs).
  public var domains: [String]
  /// Listeners and load balancers to deploy to.
  public var targets: [DeploymentTarget]
  /// Whether the certificate is added as an additional (SNI) certificate or replaces the default.
  public var mode: DeploymentMode
  /// Which older certificates are retired.
  public var replace: ReplacePolicy
  /// `verify: tls`: prove by handshake that the new certificate is served before retiring anything.
  public var verify: ServingVerification? = nil
  /// Where each target lives, index for index with `targets`; empty (or shorter) means the default placement.
  public var placements: [TargetPlacement] = []

  /// Creates a deployment.
  public init(
    name: String, source: CertificateSource? = nil, domains: [String], targets: [DeploymentTarget],
    mode: DeploymentMode = .additional, replace: ReplacePolicy = .covered, verify: ServingVerification? = nil
  ) {
    self.name = name
    self.source = source
    self.domains = domains
    self.targets = targets
    self.mode = mode
    self.replace = replace
    self.verify = verify
  }

  /// The placement of `targets[index]` (the default one when none was given).
  public func placement(ofTarget index: Int) -> TargetPlacement {
    placements.indices.contains(index) ? placements[index] : .standard
  }

  /// Every placement this deployment's targets use, sorted.
  public var usedPlacements: [TargetPlacement] {
    Set(targets.indices.map { placement(ofTarget: $0) }).sorted()
  }

  /// The same deployment with only its targets in `placement` (nil when it has none there).
  public func restricted(to placement: TargetPlacement) -> Deployment? {
    let kept = targets.indices.filter { self.placement(ofTarget: $0) == placement }
    guard !kept.isEmpty else { return nil }
    var copy = self
    copy.targets = kept.map { targets[$0] }
    copy.placements = kept.map { _ in placement }
    return copy
  }
}

extension Deployment {
  /// The keys of one `deployments[i]`.
  static let fileKeys: Set<String> = [
    "name", "source", "domains", "targets", "mode", "replace", "verify", "resolve", "portOffset", "verifyTimeout",
  ]

  /// Decodes one `deployments[i]`: its name, certificate source, domains, targets (each with its placement),
  /// mode, replace policy and `verify: tls` settings.
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(decoder, known: Self.fileKeys)
    guard let name = try fields.string("name") else {
      throw fields.error("name", "missing; every deployment needs a name")
    }
    let source = try fields.decode(CertificateSource.self, "source")
    let domains = try fields.stringList("domains")?.map { $0.lowercased() } ?? []
    if domains.isEmpty, source == nil || source == .domainMatch {
      throw fields.error("domains", "missing; a deployment without a source matches certificates by its domains")
    }
    guard let list = try fields.value("targets") else {
      throw fields.error("targets", "missing; list listeners or load balancers")
    }
    guard var targetList = try? list.unkeyedContainer(), targetList.count ?? 0 > 0 else {
      throw fields.error("targets", "must be a non-empty list")
    }
    var targets: [DeploymentTarget] = []
    var placements: [TargetPlacement] = []
    while !targetList.isAtEnd {
      let placed = try targetList.decode(PlacedTarget.self)
      targets.append(placed.target)
      placements.append(placed.placement)
    }
    let mode = try fields.oneOf("mode", ["additional", "default"], as: DeploymentMode.init(rawValue:)) ?? .additional
    let replace = try fields.oneOf("replace", ["covered", "none"], as: ReplacePolicy.init(rawValue:)) ?? .covered
    let verify = try ServingVerification.read(fields)
    self.init(
      name: name, source: source, domains: domains, targets: targets, mode: mode, replace: replace, verify: verify)
    if placements.contains(where: { $0 != .standard }) { self.placements = placements }
  }
}
