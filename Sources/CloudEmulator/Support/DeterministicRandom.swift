import Foundation

/// SplitMix64: a small, seedable, reproducible generator for fault draws and generated IDs.
struct DeterministicRandom: RandomNumberGenerator, Sendable, Codable {
  private(set) var state: UInt64

  init(seed: UInt64) {
    state = seed
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1).
  mutating func unit() -> Double {
    Double(next() >> 11) / Double(UInt64(1) << 53)
  }

  /// An uppercase UUID-shaped string (8-4-4-4-12 hex digits).
  mutating func uuidString() -> String {
    let a = next()
    let b = next()
    func hex(_ v: UInt64, _ digits: Int) -> String {
      let s = String(v, radix: 16, uppercase: true)
      return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
    let h = hex(a, 16) + hex(b, 16)
    let c = Array(h)
    return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
      + String(c[20..<32])
  }

  /// A lowercase alphanumeric string of `count` characters.
  mutating func token(_ count: Int) -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    return String((0..<count).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
  }
}
