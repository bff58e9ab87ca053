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
    table.withUnsafeBufferPointer { table in
      var failed = false
      let output = [UInt8](unsafeUninitializedCapacity: text.count * 3 / 4 + 3) { out, initialized in
        var written = 0
        var accumulator: UInt32 = 0
        var count = 0
        var padding = 0
        for byte in text {
          let value = table[Int(byte)]
          if value < 64 {
            if padding > 0 {
              failed = true
              break
            }
            accumulator = accumulator << 6 | UInt32(value)
            count += 1
            if count == 4 {
              out[written] = UInt8(truncatingIfNeeded: accumulator >> 16)
              out[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 8)
              out[written + 2] = UInt8(truncatingIfNeeded: accumulator)
              written += 3
              accumulator = 0
              count = 0
            }
          } else if value == 0xFE {
            continue
          } else if value == 0xFD {
            padding += 1
            if padding > 2 {
              failed = true
              break
            }
          } else {
            failed = true
            break
          }
        }
        if !failed {
          switch (count, padding) {
          case (0, 0):
            break
          case (2, 0), (2, 2):
            out[written] = UInt8(truncatingIfNeeded: accumulator >> 4)
            written += 1
          case (3, 0), (3, 1):
            out[written] = UInt8(truncatingIfNeeded: accumulator >> 10)
            out[written + 1] = UInt8(truncatingIfNeeded: accumulator >> 2)
            written += 2
          default:
            failed = true
          }
        }
        initialized = failed ? 0 : written
      }
      return failed ? nil : output
    }
  }
}
