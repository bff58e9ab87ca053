/// Strict base64 decoding of PEM bodies: whitespace is skipped, anything else outside the alphabet fails.
enum Base64Decoder {
  private static let table: [UInt8] = {
    var table = [UInt8](repeating: 0xFF, count: 256)
    for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
      table[Int(byte)] = UInt8(index)
    }
    for byte in [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")] {
      table[Int(byte)] = 0xFE
    }
    table[Int(UInt8(ascii: "="))] = 0xFD
    return table
  }()

  /// The decoded bytes, or nil when the text is not valid base64.
  static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    var output = [UInt8]()
    output.reserveCapacity(text.count * 3 / 4)
    var accumulator: UInt32 = 0
    var count = 0
    var padding = 0
    for byte in text {
      let value = table[Int(byte)]
      switch value {
      case 0xFE:
        continue
      case 0xFD:
        padding += 1
        if padding > 2 { return nil }
      case 0xFF:
        return nil
      default:
        if padding > 0 { return nil }
        accumulator = accumulator << 6 | UInt32(value)
        count += 1
        if count == 4 {
          output.append(UInt8(truncatingIfNeeded: accumulator >> 16))
          output.append(UInt8(truncatingIfNeeded: accumulator >> 8))
          output.append(UInt8(truncatingIfNeeded: accumulator))
          accumulator = 0
          count = 0
        }
      }
    }
    switch (count, padding) {
    case (0, 0):
      break
    case (2, _) where padding == 2 || padding == 0:
      output.append(UInt8(truncatingIfNeeded: accumulator >> 4))
    case (3, _) where padding == 1 || padding == 0:
      output.append(UInt8(truncatingIfNeeded: accumulator >> 10))
      output.append(UInt8(truncatingIfNeeded: accumulator >> 2))
    default:
      return nil
    }
    return output
  }
}
