/// Hexadecimal encoding without separators.
enum Hex {
  private static let upper: [UInt8] = Array("0123456789ABCDEF".utf8)
  private static let lower: [UInt8] = Array("0123456789abcdef".utf8)

  /// Encodes `bytes` as hex, uppercase by default.
  static func encode<C: Collection>(_ bytes: C, uppercase: Bool = true) -> String where C.Element == UInt8 {
    let table = uppercase ? upper : lower
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(table[Int(byte >> 4)])
      out.append(table[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
