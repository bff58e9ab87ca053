import Foundation

/// The load balancer product a listener belongs to, read from the listener's key in the engine.
///
/// Rule it keeps: every listener and load balancer key the engine, the state file and the outputs carry says its
/// product. ALB keys are the bare IDs (`lsr-…`, `alb-…`, as before products existed); the others are qualified:
/// `nlb:<listener>` / `nlb:<load balancer>`, `ga:<accelerator>/<listener>` / `ga:<accelerator>`, and
/// `clb:<load balancer>:<port>` / `clb:<load balancer>`, because a GA listener ID looks like an ALB one and a CLB
/// listener has no ID of its own.
public enum ListenerProduct: String, Sendable, Codable, CaseIterable, Comparable {
  /// Application Load Balancer (HTTPS and QUIC listeners).
  case alb
  /// Network Load Balancer (TCPSSL listeners).
  case nlb
  /// Global Accelerator (HTTPS listeners).
  case ga
  /// Classic Load Balancer (SLB API; HTTPS listeners).
  case clb

  /// The name operators know.
  public var displayName: String {
    switch self {
    case .alb: return "ALB"
    case .nlb: return "NLB"
    case .ga: return "Global Accelerator"
    case .clb: return "CLB"
    }
  }

  /// The listener protocols that carry server certificates on this product.
  public var certificateProtocols: [String] {
    switch self {
    case .alb: return ["HTTPS", "QUIC"]
    case .nlb: return ["TCPSSL"]
    case .ga, .clb: return ["HTTPS"]
    }
  }

  /// The name of the additional-certificate quota a refusal names (ALB's code; NLB's and GA's Quota Center
  /// names, per load balancer instance and per listener).
  public var quotaName: String {
    switch self {
    case .alb: return "LoadBalancerCertificatesNum"
    case .nlb: return "nlb_quota_loadbalancer_certificates_num"
    case .ga: return "gaplus_quota_additional_certs_per_listener"
    case .clb: return "domain extensions per CLB listener"
    }
  }

  /// Whether the service applies one change at a time per load balancer (GA: each write locks the accelerator
  /// until it is active again), so a second listener of it started meanwhile only waits, holding a slot.
  public var changesOneListenerAtATime: Bool { self == .ga }

  /// The product of a listener or load balancer key (ALB when it names none).
  public init(key: String) {
    if let colon = key.firstIndex(of: ":"), let product = ListenerProduct(rawValue: String(key[..<colon])),
      product != .alb
    {
      self = product
    } else {
      self = .alb
    }
  }

  /// The key without its product qualifier.
  public static func unqualified(_ key: String) -> String {
    let product = ListenerProduct(key: key)
    return product == .alb ? key : String(key.dropFirst(product.rawValue.count + 1))
  }

  /// A key qualified with this product (ALB keys stay bare).
  public func qualified(_ id: String) -> String {
    self == .alb ? id : "\(rawValue):\(id)"
  }

  /// ALB, NLB, GA, CLB: the order outputs group products in.
  public static func < (lhs: ListenerProduct, rhs: ListenerProduct) -> Bool { lhs.order < rhs.order }

  private var order: Int {
    switch self {
    case .alb: return 0
    case .nlb: return 1
    case .ga: return 2
    case .clb: return 3
    }
  }
}
