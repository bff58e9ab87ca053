import Foundation

extension EmulatorEngine {
  private func idempotencyKey(_ call: ApiCall) -> String? {
    guard let token = call.params.string("ClientToken") else { return nil }
    let action = [.alb, .cas, .sts].contains(call.product) ? call.action : "\(call.product.rawValue)/\(call.action)"
    return "\(call.caller.accessKeyId)|\(action)|\(token)"
  }

  /// Validates the ClientToken (<= 64 ASCII characters) and returns the stored first answer, if any.
  func replay(_ call: ApiCall) throws(ApiError) -> ApiOutcome? {
    if let token = call.params.string("ClientToken") {
      guard token.count <= 64, token.allSatisfy({ $0.isASCII }) else {
        throw ApiError.invalidParameter("ClientToken must be at most 64 ASCII characters")
      }
    }
    guard let key = idempotencyKey(call), let entry = state.idempotency[key] else { return nil }
    var fields: [(String, ResponseJSON)] = entry.fields.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
    fields += entry.intFields.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }
    return ApiOutcome(fields: fields, replayed: true)
  }

  /// Stores the first answer of a write made with a ClientToken.
  func remember(_ call: ApiCall, fields: [String: String], intFields: [String: Int] = [:]) {
    guard let key = idempotencyKey(call) else { return }
    state.idempotency[key] = IdempotencyEntry(action: call.action, fields: fields, intFields: intFields, time: call.now)
    dirty = true
  }
}
