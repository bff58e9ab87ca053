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

  var action: String
  var params: Parameters
  var caller: VerifiedCaller
  var now: Date
}
