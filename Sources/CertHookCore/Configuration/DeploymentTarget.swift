import Foundation

/// A deployment target: one listener, or every certificate-carrying listener of a load balancer, of any product.
///
/// The values are engine keys (`ListenerProduct`): `listener("lsr-…")` is an ALB listener, `listener("nlb:lsn-…")`
/// an NLB one, `listener("ga:ga-…/lsr-…")` a Global Accelerator one, `listener("clb:lb-…:443")` a CLB one; load
/// balancers alike (`alb-…`, `nlb:nlb-…`, `ga:ga-…`, `clb:lb-…`). In the file a target is a mapping with one key per
/// kind (`TargetKind`; each also spelled with `Id`), or a plain ID whose prefix says the kind.
public enum DeploymentTarget: Sendable, Codable, Equatable, Hashable {
  /// A single listener by key.
  case listener(String)
  /// All certificate-carrying listeners of a load balancer (by key), optionally filtered.
  case loadBalancer(String, protocols: [String]?, ports: [Int]?)

  /// The keys a target mapping may hold: each kind (also spelled `<kind>Id`), the filters, the parts some kinds
  /// need (`accelerator`, `port`) and the placement.
  static let fileKeys: Set<String> = Set(TargetKind.allCases.flatMap { [$0.rawValue, $0.rawValue + "Id"] })
    .union(["protocols", "ports", "accelerator", "port"]).union(TargetPlacement.fileKeys)

  /// A short label for messages.
  public var label: String {
    switch self {
    case .listener(let id): return id
    case .loadBalancer(let id, _, _): return id
    }
  }

  /// The load balancer key of the target (a listener's from its key: CLB `clb:lb-…:443` is `clb:lb-…`, GA
  /// `ga:ga-…/lsr-…` is `ga:ga-…`; ALB and NLB listener keys carry none and stay as they are).
  public var loadBalancerKey: String {
    switch self {
    case .loadBalancer(let id, _, _): return id
    case .listener(let key):
      guard let address = try? ListenerAddress(key: key), let lb = address.loadBalancerId else { return key }
      return address.product.qualified(lb)
    }
  }

  /// The product the target belongs to.
  public var product: ListenerProduct { ListenerProduct(key: label) }

  /// Decodes one `targets[i]` (its placement keys are `TargetPlacement`'s).
  public init(from decoder: any Decoder) throws {
    if let text = ConfigurationFields.scalar(decoder) {
      let path = ConfigurationDecoder.path(decoder.codingPath)
      guard let target = Self.fromScalar(text) else {
        throw CertHookError.configuration(
          path: path,
          message: "\"\(text)\" is ambiguous; write `listener: ID` or `loadBalancer: ID` (or nlbListener, "
            + "nlbLoadBalancer, gaListener, gaAccelerator, clbListener, clbLoadBalancer)")
      }
      if case .listener(let key) = target {
        do { _ = try ListenerAddress(key: key) } catch { throw CertHookError.configuration(path: path, message: "\(error)") }
      }
      self = target
      return
    }
    try self.init(fields: try ConfigurationFields(decoder, known: nil))
  }

  /// A target written as one ID: qualified keys as they are, else the ID's prefix says the kind (`lsr-`, `alb-`,
  /// `lsn-`, `nlb-`, `ga-`, `lb-`); nil when it says none.
  public static func fromScalar(_ text: String) -> DeploymentTarget? {
    let product = ListenerProduct(key: text)
    if product != .alb {
      let rest = ListenerProduct.unqualified(text)
      let isListener: Bool
      switch product {
      case .alb: isListener = true
      case .nlb: isListener = rest.hasPrefix("lsn-")
      case .ga: isListener = rest.contains("/")
      case .clb: isListener = rest.contains(":")
      }
      return isListener ? .listener(text) : .loadBalancer(text, protocols: nil, ports: nil)
    }
    if text.hasPrefix("lsr-") { return .listener(text) }
    if text.hasPrefix("alb-") { return .loadBalancer(text, protocols: nil, ports: nil) }
    if text.hasPrefix("lsn-") { return .listener(ListenerProduct.nlb.qualified(text)) }
    if text.hasPrefix("nlb-") { return .loadBalancer(ListenerProduct.nlb.qualified(text), protocols: nil, ports: nil) }
    if text.hasPrefix("ga-") { return .loadBalancer(ListenerProduct.ga.qualified(text), protocols: nil, ports: nil) }
    if text.hasPrefix("lb-") { return .loadBalancer(ListenerProduct.clb.qualified(text), protocols: nil, ports: nil) }
    return nil
  }

  /// The target a mapping names (`PlacedTarget` reads its placement from the same `fields`).
  init(fields: ConfigurationFields) throws {
    for kind in TargetKind.allCases {
      guard let key = fields.first(kind.rawValue, kind.rawValue + "Id"), let id = try fields.string(key) else {
        continue
      }
      guard !id.isEmpty else { throw fields.error(key, "must not be empty") }
      self = try kind.target(id, key: key, fields: fields)
      return
    }
    throw fields.error(
      nil,
      "names no target; write `listener: ID` or `loadBalancer: ID` (or nlbListener, nlbLoadBalancer, gaListener, "
        + "gaAccelerator, clbListener, clbLoadBalancer)")
  }
}
