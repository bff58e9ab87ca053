/// The one table of the API actions certhook calls and the emulator serves: product, version, whether the action
/// writes, its published rate limit, the codes worth retrying and the codes meaning "the resource is busy".
///
/// Rule it keeps: no list of actions, codes or limits exists anywhere else. The client's retry policy, error
/// classification and rate limits, the CLI's write cap, the executor's busy handling, the emulator's routing and
/// limiter and the test harnesses all read this table; adding an action or a product is one row.
public struct ApiAction: Sendable, Hashable, CustomStringConvertible {
  /// An Alibaba Cloud product (one API version, one endpoint family).
  public enum Product: String, Sendable, Hashable, CaseIterable {
    /// Application Load Balancer.
    case alb
    /// SSL Certificates Service.
    case cas
    /// Security Token Service.
    case sts
    /// Network Load Balancer.
    case nlb
    /// Global Accelerator.
    case ga
    /// Classic Load Balancer (the SLB API).
    case slb

    /// The product whose API version is `version`, nil for an unknown version.
    public init?(version: String) {
      guard let product = Self.allCases.first(where: { $0.version == version }) else { return nil }
      self = product
    }

    /// The API version every action of the product uses.
    public var version: String {
      switch self {
      case .alb: return "2020-06-16"
      case .cas: return "2020-04-07"
      case .sts: return "2015-04-01"
      case .nlb: return "2022-04-30"
      case .ga: return "2019-11-20"
      case .slb: return "2014-05-15"
      }
    }
  }

  /// A published per-action limit: `requests` per `seconds`.
  public struct Limit: Sendable, Hashable {
    /// Requests allowed per period.
    public var requests: Int
    /// The period in seconds.
    public var seconds: Int
  }

  /// The action name, e.g. `UpdateListenerAttribute`.
  public let name: String
  /// The product that serves it.
  public let product: Product
  /// True when the action changes something in the cloud.
  public let isWrite: Bool
  /// The published rate limit, nil when none is published.
  public let publishedLimit: Limit?
  /// Codes meaning "the resource is busy with an earlier change": wait for it, then send again.
  public let busyCodes: Set<String>
  /// Codes meaning "refused: a per-resource certificate quota is full" (a slot must be freed before it can pass).
  public private(set) var quotaCodes: Set<String> = []

  /// The API version (the product's).
  public var version: String { product.version }

  /// Codes worth repeating the same request for (same ClientToken, fresh signature), besides any throttling
  /// code and any 5xx: the codes every action retries plus this action's busy codes.
  public var retryableCodes: Set<String> { ApiAction.commonRetryableCodes.union(busyCodes) }

  /// The name.
  public var description: String { name }

  /// A listener (or the lock around it) is still applying an earlier change (spec section 6).
  public static let listenerBusyCodes: Set<String> = [
    "IncorrectStatus.Listener", "ResourceInConfiguring.Listener", "Conflict.Lock", "IdempotenceProcessing",
  ]

  /// Codes every action retries (spec section 6): the service is briefly unavailable or busy.
  public static let commonRetryableCodes: Set<String> = listenerBusyCodes.union(["ServiceUnavailable", "SystemBusy"])

  /// What Terraform's `alicloud_alb_listener` retries around `UpdateListenerAttribute`, beyond a busy listener:
  /// the load balancer itself is busy (`IncorrectBusinessStatus.LoadBalancer`, `VipStatusNotSupport`) or the
  /// system is (`SystemBusy`).
  public static let loadBalancerBusyCodes: Set<String> = [
    "IncorrectBusinessStatus.LoadBalancer", "VipStatusNotSupport", "SystemBusy",
  ]

  private static let listenerWriteLimit = Limit(requests: 200, seconds: 60)

  /// Every action, in the order of the spec.
  public static let all: [ApiAction] = [
    ApiAction(name: "ListListeners", product: .alb),
    ApiAction(name: "GetListenerAttribute", product: .alb),
    ApiAction(name: "ListListenerCertificates", product: .alb),
    ApiAction(
      name: "AssociateAdditionalCertificatesWithListener", product: .alb, isWrite: true,
      publishedLimit: listenerWriteLimit, busyCodes: listenerBusyCodes
    ).refusing(["ResourceQuotaExceeded.LoadBalancerCertificatesNum"]),
    ApiAction(
      name: "DissociateAdditionalCertificatesFromListener", product: .alb, isWrite: true,
      publishedLimit: listenerWriteLimit, busyCodes: listenerBusyCodes),
    ApiAction(
      name: "UpdateListenerAttribute", product: .alb, isWrite: true, publishedLimit: listenerWriteLimit,
      busyCodes: listenerBusyCodes.union(loadBalancerBusyCodes)),
    ApiAction(name: "ListAsynJobs", product: .alb),
    ApiAction(name: "GetLoadBalancerAttribute", product: .alb),
    ApiAction(
      name: "UploadUserCertificate", product: .cas, isWrite: true, publishedLimit: Limit(requests: 100, seconds: 1)),
    ApiAction(name: "ListUserCertificateOrder", product: .cas, publishedLimit: Limit(requests: 10, seconds: 1)),
    ApiAction(name: "GetUserCertificateDetail", product: .cas, publishedLimit: Limit(requests: 100, seconds: 1)),
    ApiAction(name: "DeleteUserCertificate", product: .cas, isWrite: true),
    ApiAction(name: "GetCallerIdentity", product: .sts),
    ApiAction(name: "AssumeRole", product: .sts, publishedLimit: Limit(requests: 100, seconds: 1)),
    ApiAction(name: "AssumeRoleWithOIDC", product: .sts),
    // NLB 2022-04-30 (more-products spec section 1); no published rate limits (unconfirmed).
    ApiAction(name: "ListListeners", product: .nlb),
    ApiAction(name: "GetListenerAttribute", product: .nlb),
    ApiAction(name: "ListListenerCertificates", product: .nlb),
    ApiAction(
      name: "AssociateAdditionalCertificatesWithListener", product: .nlb, isWrite: true, busyCodes: nlbBusyCodes
    ).refusing(["QuotaExceeded.AdditionalCertificatesNum"]),
    ApiAction(
      name: "DisassociateAdditionalCertificatesWithListener", product: .nlb, isWrite: true, busyCodes: nlbBusyCodes),
    ApiAction(name: "UpdateListenerAttribute", product: .nlb, isWrite: true, busyCodes: nlbBusyCodes),
    ApiAction(name: "GetJobStatus", product: .nlb),
    ApiAction(name: "GetLoadBalancerAttribute", product: .nlb),
    // GA 2019-11-20 (section 2); no published rate limits (unconfirmed).
    ApiAction(name: "ListListeners", product: .ga),
    ApiAction(name: "DescribeListener", product: .ga),
    ApiAction(name: "ListListenerCertificates", product: .ga),
    ApiAction(name: "AssociateAdditionalCertificatesWithListener", product: .ga, isWrite: true, busyCodes: gaBusyCodes)
      .refusing(["QuotaExceeded.Certificate"]),
    ApiAction(name: "UpdateAdditionalCertificateWithListener", product: .ga, isWrite: true, busyCodes: gaBusyCodes),
    ApiAction(
      name: "DissociateAdditionalCertificatesFromListener", product: .ga, isWrite: true, busyCodes: gaBusyCodes),
    ApiAction(name: "UpdateListener", product: .ga, isWrite: true, busyCodes: gaBusyCodes),
    ApiAction(name: "DescribeAccelerator", product: .ga),
    // CLB (SLB 2014-05-15, section 3); no published rate limits.
    ApiAction(name: "DescribeLoadBalancerAttribute", product: .slb),
    ApiAction(name: "DescribeLoadBalancerHTTPSListenerAttribute", product: .slb),
    ApiAction(name: "SetLoadBalancerHTTPSListenerAttribute", product: .slb, isWrite: true, busyCodes: slbBusyCodes),
    ApiAction(name: "UploadServerCertificate", product: .slb, isWrite: true),
    ApiAction(name: "DescribeServerCertificates", product: .slb),
    ApiAction(
      name: "DeleteServerCertificate", product: .slb, isWrite: true,
      busyCodes: slbBusyCodes.union(["CertificateAndPrivateKeyIsRefered"])),
    ApiAction(name: "CreateDomainExtension", product: .slb, isWrite: true, busyCodes: slbBusyCodes)
      .refusing(slbDomainExtensionQuotaCodes),
    ApiAction(name: "DescribeDomainExtensions", product: .slb),
    ApiAction(name: "SetDomainExtensionAttribute", product: .slb, isWrite: true, busyCodes: slbBusyCodes),
    ApiAction(name: "DeleteDomainExtension", product: .slb, isWrite: true, busyCodes: slbBusyCodes),
  ]

  /// What Terraform retries around NLB writes: the instance or listener is locked or configuring.
  public static let nlbBusyCodes: Set<String> = [
    "Conflict.Lock", "OperationFailed.ResourceIsConfiguring", "SystemBusy",
  ]
  /// What Terraform retries around GA certificate writes: the accelerator's exclusive lock is held, or the listener
  /// is not active yet.
  public static let gaBusyCodes: Set<String> = ["StateError.Accelerator", "StateError.Listener", "NotActive.Listener"]
  /// CLB's refusal past the domain extensions of one HTTPS listener (3 by default; the real code is unconfirmed,
  /// more-products spec "Facts I could not confirm").
  public static let slbDomainExtensionQuotaCodes: Set<String> = ["QuotaExceeded.DomainExtension"]
  /// What Terraform retries around CLB listener and domain-extension writes.
  public static let slbBusyCodes: Set<String> = [
    "DomainExtensionProcessing", "ServiceIsConfiguring", "OperationFailed.ListenerStatusNotSupport",
    "BackendServer.configuring",
  ]

  private struct Key: Hashable {
    var product: Product
    var name: String
  }

  private static let byKey: [Key: ApiAction] = Dictionary(
    all.map { (Key(product: $0.product, name: $0.name), $0) }, uniquingKeysWith: { a, _ in a })

  /// Products whose names win in `named(_:)`: the ones certhook's clients have driven from the start.
  private static let byName: [String: ApiAction] = Dictionary(
    all.filter { [.alb, .cas, .sts].contains($0.product) }.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

  /// The ALB, CAS or STS row of `name`, nil for another name. Names repeat across products (`ListListeners`,
  /// `UpdateListenerAttribute`, ...): a caller that knows the product or the version asks `named(_:product:)` or
  /// `named(_:version:)`.
  public static func named(_ name: String) -> ApiAction? { byName[name] }

  /// The row of `name` in `product`, nil when that product has no such action.
  public static func named(_ name: String, product: Product) -> ApiAction? { byKey[Key(product: product, name: name)] }

  /// The row of `name` in the product of API `version`, nil when no product of that version has the action.
  public static func named(_ name: String, version: String) -> ApiAction? {
    Product.allCases.lazy.filter { $0.version == version }.compactMap { named(name, product: $0) }.first
  }

  /// Whether any product has an action called `name`.
  public static func exists(_ name: String) -> Bool { all.contains { $0.name == name } }

  /// The actions of one product.
  public static func actions(of product: Product) -> [ApiAction] { all.filter { $0.product == product } }

  /// The names of every writing action, each name once (a name several products share appears once).
  public static var writeActionNames: [String] {
    var seen = Set<String>()
    return all.filter { $0.isWrite && seen.insert($0.name).inserted }.map(\.name)
  }

  /// Busy codes of any action (for a caller that does not know which action answered).
  public static let anyBusyCodes: Set<String> = all.reduce(into: Set<String>()) { $0.formUnion($1.busyCodes) }

  /// Retryable codes of any action (for an error that names no action in the table).
  public static let anyRetryableCodes: Set<String> = all.reduce(into: commonRetryableCodes) {
    $0.formUnion($1.retryableCodes)
  }

  /// The row of `name` in `product`, or the ALB/CAS/STS row of `name` when the product is unknown (nil).
  static func row(_ name: String, product: Product?) -> ApiAction? {
    guard let product else { return named(name) }
    return named(name, product: product)
  }

  /// Whether `code` means "busy, wait and resend" for `action` of `product` (nil: the ALB/CAS/STS row of that
  /// name); any action's busy codes when the action is unknown.
  public static func isBusy(_ code: String, action: String?, product: Product? = nil) -> Bool {
    (action.flatMap { row($0, product: product) }?.busyCodes ?? anyBusyCodes).contains(code)
  }

  /// Whether `code` refuses `action` of `product` because a per-resource certificate quota is full: the row's quota
  /// codes (nil product: the ALB/CAS/STS row of that name; no such row: false), any row's when the action is unknown.
  public static func isQuotaFull(_ code: String, action: String?, product: Product?) -> Bool {
    guard let action else { return anyQuotaCodes.contains(code) }
    return row(action, product: product)?.quotaCodes.contains(code) ?? false
  }

  /// Every action's quota codes (for an answer whose action is unknown).
  public static let anyQuotaCodes: Set<String> = all.reduce(into: []) { $0.formUnion($1.quotaCodes) }

  /// Whether `code` is worth retrying for `action` of `product` (nil: the ALB/CAS/STS row of that name); any
  /// action's retryable codes when the action is unknown.
  public static func isRetryable(_ code: String, action: String?, product: Product? = nil) -> Bool {
    (action.flatMap { row($0, product: product) }?.retryableCodes ?? anyRetryableCodes).contains(code)
  }

  /// Whether the client hands `code` straight back to its caller instead of retrying it: a busy ALB *listener*,
  /// whose `Running` state the deployment executor watches before it sends again. Other products' busy codes (an
  /// NLB lock, a GA accelerator's exclusive lock, a configuring CLB) are retried by the client per their rows, as
  /// Terraform retries them.
  public static func isHandedBack(_ code: String, product: Product?) -> Bool {
    (product ?? .alb) == .alb && listenerBusyCodes.contains(code)
  }

  /// The products whose action names are rate-limit keys on their own (`rateLimits.actions`, `--rate-limit`
  /// names): the ones certhook drove first.
  static let unqualifiedProducts: Set<Product> = [.alb, .cas, .sts]

  /// The rate-limiter and metrics key of `name` in `product`: the bare name for ALB, CAS and STS (so configured
  /// names keep their meaning), `<product>:<name>` for the others (`nlb:ListListeners`), so products sharing a
  /// name never share a bucket. Nil product: the bare name.
  public static func limiterKey(_ name: String, product: Product?) -> String {
    guard let product, !unqualifiedProducts.contains(product) else { return name }
    return "\(product.rawValue):\(name)"
  }

  /// This row's rate-limiter and metrics key (see `limiterKey(_:product:)`).
  public var limiterKey: String { Self.limiterKey(name, product: product) }

  /// This row with `codes` as its quota codes.
  private func refusing(_ codes: Set<String>) -> ApiAction {
    var row = self
    row.quotaCodes = codes
    return row
  }

  private init(
    name: String, product: Product, isWrite: Bool = false, publishedLimit: Limit? = nil, busyCodes: Set<String> = []
  ) {
    self.name = name
    self.product = product
    self.isWrite = isWrite
    self.publishedLimit = publishedLimit
    self.busyCodes = busyCodes
  }
}
