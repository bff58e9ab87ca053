/// The byte layout of ``CertificateSummary``: a sequence of fields, each a 4-byte little-endian tag-length
/// followed by its bytes. Length `0xFFFF_FFFF` marks an absent optional; a list is a count followed by
/// that many string fields; hex fingerprints are stored as raw bytes.
enum SummaryPacking {
  private static let absent: UInt32 = 0xFFFF_FFFF
  private static let hexDigits = Array("0123456789ABCDEF".utf8)

  struct Writer {
    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(320) }

    mutating func length(_ value: UInt32) {
      bytes.append(UInt8(truncatingIfNeeded: value))
      bytes.append(UInt8(truncatingIfNeeded: value >> 8))
      bytes.append(UInt8(truncatingIfNeeded: value >> 16))
      bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func string(_ value: String) {
      let utf8 = value.utf8
      length(UInt32(clamping: utf8.count))
      bytes.append(contentsOf: utf8)
    }

    mutating func optionalString(_ value: String?) {
      guard let value else { return length(SummaryPacking.absent) }
      string(value)
    }

    mutating func list(_ values: [String]) {
      length(UInt32(clamping: values.count))
      for value in values { string(value) }
    }

    mutating func optionalList(_ values: [String]?) {
      guard let values else { return length(SummaryPacking.absent) }
      list(values)
    }

    /// Hex text as raw bytes (a malformed digit pair is kept as text so nothing is lost).
    mutating func hex(_ text: String) {
      let utf8 = Array(text.utf8)
      var raw: [UInt8] = []
      raw.reserveCapacity(utf8.count / 2)
      var index = 0
      while index + 1 < utf8.count {
        guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { break }
        raw.append(high << 4 | low)
        index += 2
      }
      if index == utf8.count {
        length(UInt32(clamping: raw.count))
        bytes.append(contentsOf: raw)
      } else {
        // Not hex: store the text with the high bit of the length set.
        length(UInt32(clamping: utf8.count) | 0x8000_0000)
        bytes.append(contentsOf: utf8)
      }
    }

    private func nibble(_ character: UInt8) -> UInt8? {
      switch character {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0")
      case UInt8(ascii: "A")...UInt8(ascii: "F"): return character - UInt8(ascii: "A") + 10
      case UInt8(ascii: "a")...UInt8(ascii: "f"): return character - UInt8(ascii: "a") + 10
      default: return nil
      }
    }
  }

  struct Reader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private mutating func length() -> UInt32 {
      guard offset + 4 <= bytes.count else { return SummaryPacking.absent }
      let value =
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
        | UInt32(bytes[offset + 3]) << 24
      offset += 4
      return value
    }

    private mutating func take(_ count: Int) -> ArraySlice<UInt8> {
      let end = min(bytes.count, offset + count)
      defer { offset = end }
      return bytes[offset..<end]
    }

    /// Skips one field: a string, optional string or fingerprint, or (`isList`) a list of strings.
    mutating func skip(isList: Bool) {
      let value = length()
      if value == SummaryPacking.absent { return }
      if isList {
        for _ in 0..<value { skip(isList: false) }
      } else {
        _ = take(Int(value & 0x7FFF_FFFF))
      }
    }

    mutating func optionalString() -> String? {
      let value = length()
      if value == SummaryPacking.absent { return nil }
      return String(decoding: take(Int(value)), as: UTF8.self)
    }

    mutating func optionalList() -> [String]? {
      let count = length()
      if count == SummaryPacking.absent { return nil }
      var values: [String] = []
      values.reserveCapacity(Int(count))
      for _ in 0..<count { values.append(optionalString() ?? "") }
      return values
    }

    mutating func hex() -> String {
      let value = length()
      if value == SummaryPacking.absent { return "" }
      if value & 0x8000_0000 != 0 { return String(decoding: take(Int(value & 0x7FFF_FFFF)), as: UTF8.self) }
      var text: [UInt8] = []
      text.reserveCapacity(Int(value) * 2)
      for byte in take(Int(value)) {
        text.append(SummaryPacking.hexDigits[Int(byte >> 4)])
        text.append(SummaryPacking.hexDigits[Int(byte & 0xF)])
      }
      return String(decoding: text, as: UTF8.self)
    }
  }
}
