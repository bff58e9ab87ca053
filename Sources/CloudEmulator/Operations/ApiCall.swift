import struct AlibabaCloud.ApiAction
import Foundation

/// One authenticated call to an operation.
struct ApiCall: Sendable {
  /// ALB operations the emulator serves (from the action table).
  static let albActions: Set<String> = Set(ApiAction.actions(of: .alb).map(\.name))
  /// CAS operations the emulator serves (from the action table).
  static let casActions: Set<String> = Set(ApiAction.actions(of: .cas).map(\.name))
  /// STS operations the emulator serves (from the action table).
  static let stsActions: Set<String> = Set(ApiAction.actions(of: .sts).map(\.name))

  /// The load balancer product whose state the call reads or changes (ALB for CAS and STS).
  var balancer: EmulatorSeed.Product {
    switch product {
    case .nlb: return .nlb
    case .ga: return .ga
    case .slb: return .clb
    case .alb, .cas, .sts: return .alb
    }
  }

  var action: String
  /// The product whose API was called (from the action and its `Version`).
  var product: ApiAction.Product = .alb
  var params: Parameters
  var caller: VerifiedCaller
  var now: Date
}
