import Foundation

/// Endpoint overrides for the ALB, CAS, NLB, GA and CLB (SLB) APIs (e.g. the emulator): absolute http(s) URLs
/// whose port, when given, is 1 to 65535.
public struct EndpointSettings: Sendable, Codable, Equatable {
  /// ALB endpoint URL.
  public var alb: String?
  /// CAS endpoint URL.
  public var cas: String?
  /// NLB endpoint URL.
  public var nlb: String?
  /// Global Accelerator endpoint URL.
  public var ga: String?
  /// CLB (SLB API) endpoint URL.
  public var slb: String?

  /// Creates endpoint settings.
  public init(alb: String? = nil, cas: String? = nil, nlb: String? = nil, ga: String? = nil, slb: String? = nil) {
    self.alb = alb
    self.cas = cas
    self.nlb = nlb
    self.ga = ga
    self.slb = slb
  }

  /// The URLs given, by product name.
  public var byProduct: [String: String] {
    ["alb": alb, "cas": cas, "nlb": nlb, "ga": ga, "slb": slb].compactMapValues { $0 }
  }
}

extension EndpointSettings {
  /// Decodes `endpoints:` (`alb`, `cas`, `nlb`, `ga`, `slb`: http(s) URLs).
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(decoder, known: ["alb", "cas", "nlb", "ga", "slb"])
    self.init(
      alb: try fields.url("alb"), cas: try fields.url("cas"), nlb: try fields.url("nlb"), ga: try fields.url("ga"),
      slb: try fields.url("slb"))
  }
}
