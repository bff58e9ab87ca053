/// Hex serial numbers in decimal, as x509-certificate-exporter labels them (Go's `big.Int.String()`).
enum DecimalSerial {
  /// `"0a"` -> `"10"`; any length; input that is not hex is returned unchanged.
  static func fromHex(_ hex: String) -> String {
    // Little-endian limbs of 10^9.
    var limbs: [UInt64] = [0]
    for character in hex.utf8 {
      guard let digit = hexValue(character) else { return hex }
      var carry = UInt64(digit)
      for position in limbs.indices {
        let value = limbs[position] * 16 + carry
        limbs[position] = value % 1_000_000_000
        carry = value / 1_000_000_000
      }
      while carry > 0 {
        limbs.append(carry % 1_000_000_000)
        carry /= 1_000_000_000
      }
    }
    var text = String(limbs[limbs.count - 1])
    for limb in limbs.dropLast().reversed() {
      let part = String(limb)
      text += String(repeating: "0", count: 9 - part.count) + part
    }
    return text
  }

  private static func hexValue(_ character: UInt8) -> UInt8? {
    switch character {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
    default: return nil
    }
  }
}
