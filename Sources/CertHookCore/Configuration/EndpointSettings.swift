import Foundation

/// Endpoint overrides for the ALB and CAS APIs (e.g. the emulator): absolute http(s) URLs whose port, when
/// given, is 1 to 65535.
public struct EndpointSettings: Sendable, Codable, Equatable {
  /// ALB endpoint URL.
  public var alb: String?
  /// CAS endpoint URL.
  public var cas: String?
  /// Creates endpoint settings.
  public init(alb: String? = nil, cas: String? = nil) {
    self.alb = alb
    self.cas = cas
  }
}

extension EndpointSettings {
  /// Decodes `endpoints:` (`alb`, `cas`: http(s) URLs).
  public init(from decoder: any Decoder) throws {
    let fields = try ConfigurationFields(decoder, known: ["alb", "cas"])
    self.init(alb: try fields.url("alb"), cas: try fields.url("cas"))
  }
}
