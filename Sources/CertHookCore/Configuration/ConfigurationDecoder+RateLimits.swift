import Foundation
import Yams

/// `rateLimits.actions`: per-action limits written `N/Ts` (`1000/1s`, `200/60s`, `20/1` meaning per second),
/// each part inside its documented range, errors naming `rateLimits.actions.<Action>`.
extension ConfigurationDecoder {
  func actionRates(_ node: Node, path: String) throws -> [String: RateLimitSettings.ActionRate] {
    let m = try fields(try mapping(node, path: path), path: path, known: RateLimitSettings.knownActions)
    var result: [String: RateLimitSettings.ActionRate] = [:]
    for (action, value) in m {
      let full = "\(path).\(action)"
      let text = try string(value, path: full).trimmingCharacters(in: .whitespaces)
      let parts = text.split(separator: "/", omittingEmptySubsequences: false)
      var period = parts.count == 2 ? String(parts[1]) : ""
      if period.hasSuffix("s") { period.removeLast() }
      if period.isEmpty { period = "1" }
      guard parts.count == 2, let requests = Int(parts[0]), let seconds = Double(period), seconds.isFinite else {
        throw CertHookError.configuration(
          path: full, message: "must be requests per period such as 1000/1s or 200/60s\(describe(value))")
      }
      result[action] = RateLimitSettings.ActionRate(
        requests: try inRange(requests, RateLimitSettings.actionRequestsRange, path: full, unit: " requests"),
        seconds: try inRange(seconds, RateLimitSettings.actionPeriodRange, path: full, unit: " s"))
    }
    return result
  }
}
