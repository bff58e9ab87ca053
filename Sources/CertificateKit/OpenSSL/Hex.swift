/// Hexadecimal encoding without separators.
enum Hex {
  private static let upper: [UInt8] = Array("0123456789ABCDEF".utf8)
  private static let lower: [UInt8] = Array("0123456789abcdef".utf8)

  /// Encodes `bytes` as hex, uppercase by default.
  static func encode<C: Collection>(_ bytes: C, uppercase: Bool = true) -> String where C.Element == UInt8 {
    (uppercase ? upper : lower).withUnsafeBufferPointer { table in
      String(unsafeUninitializedCapacity: bytes.count * 2) { out in
        var index = 0
        for byte in bytes {
          out[index] = table[Int(byte >> 4)]
          out[index + 1] = table[Int(byte & 0x0F)]
          index += 2
        }
        return index
      }
    }
  }
}
