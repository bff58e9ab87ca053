import Foundation

/// Remembers signature nonces per access key for the signature window, to refuse replays.
struct NonceCache: Sendable {
  private var seen: [String: Date] = [:]
  private var lastPrune = Date.distantPast

  /// Records the nonce; false when it was already used within the window.
  mutating func use(_ nonce: String, accessKeyId: String, now: Date) -> Bool {
    if now.timeIntervalSince(lastPrune) > 60 {
      seen = seen.filter { now.timeIntervalSince($0.value) <= SignatureVerifier.window }
      lastPrune = now
    }
    let key = accessKeyId + "\u{0}" + nonce
    if let previous = seen[key], now.timeIntervalSince(previous) <= SignatureVerifier.window {
      return false
    }
    seen[key] = now
    return true
  }
}
