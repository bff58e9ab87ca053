import Foundation

/// Which CAS site a load balancer's region belongs to, and so the region suffix of every certificate identifier
/// (`<CertId>-<site region>`): the China site (`cas.aliyuncs.com`) names its certificates `-cn-hangzhou` whatever
/// the ALB region, the international site (`cas.ap-southeast-1.aliyuncs.com`) `-ap-southeast-1`.
enum CASSite {
  /// The China site's region.
  static let china = "cn-hangzhou"
  /// The international site's region.
  static let international = "ap-southeast-1"

  /// The site region for an ALB region: `cn-*` regions are on the China site, all others international.
  static func region(forALBRegion albRegion: String) -> String {
    albRegion.hasPrefix("cn-") ? china : international
  }
}
