import Foundation

/// Remembers signature nonces per access key for as long as the request that used them could still be accepted,
/// to refuse replays: a request dated `date` is accepted until `date + window`, so its nonce is kept until then
/// (a request dated 14.5 minutes ahead keeps its nonce for 29.5 minutes, not 15).
struct NonceCache: Sendable {
  private var expiries: [String: Date] = [:]
  private var lastPrune = Date.distantPast

  /// Records the nonce of a request dated `date`; false when it was already used and could still be replayed.
  mutating func use(_ nonce: String, accessKeyId: String, date: Date, now: Date) -> Bool {
    if now.timeIntervalSince(lastPrune) > 60 {
      expiries = expiries.filter { $0.value >= now }
      lastPrune = now
    }
    let key = accessKeyId + "\u{0}" + nonce
    if let expiry = expiries[key], expiry >= now {
      return false
    }
    expiries[key] = max(date, now).addingTimeInterval(SignatureVerifier.window)
    return true
  }
}
