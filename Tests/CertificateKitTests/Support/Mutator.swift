import CertHookTestSupport

/// Mutations of valid PEM/DER used by the robustness tests.
struct Mutator {
  var random: SeededGenerator
  private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  private static let labels = [
    "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", "CERTIFICATE REQUEST", "PRIVATE KEY", "RSA PRIVATE KEY",
    "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "PUBLIC KEY", "CERTIFICATE ", "certificate", "",
  ]

  init(seed: UInt64) { random = SeededGenerator(seed: seed) }

  mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &random) }

  /// Flips 1 to 8 random bits.
  mutating func flipBits(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    guard !bytes.isEmpty else { return bytes }
    for _ in 0..<int(1..<9) {
      bytes[int(0..<bytes.count)] ^= UInt8(1 << int(0..<8))
    }
    return bytes
  }

  /// Cuts the input at a random point.
  mutating func truncate(_ input: [UInt8]) -> [UInt8] {
    Array(input.prefix(int(0..<max(input.count, 1))))
  }

  /// Writes a long-form length (`0x84 ff ff ff ff`, `0x88 ...`, `0x80`, `0xff`) at a random position.
  mutating func hugeLength(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    guard bytes.count > 8 else { return bytes }
    let position = int(0..<2) == 0 ? int(1..<min(12, bytes.count - 6)) : int(1..<(bytes.count - 6))
    let forms: [[UInt8]] = [
      [0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x84, 0x7F, 0xFF, 0xFF, 0xFF], [0x88, 0xFF, 0xFF, 0xFF, 0xFF], [0x80], [0xFF],
      [0x83, 0x10, 0x00, 0x00], [0x82, UInt8(int(0..<256)), UInt8(int(0..<256))], [0x00],
    ]
    let form = forms[int(0..<forms.count)]
    for (offset, byte) in form.enumerated() where position + offset < bytes.count {
      bytes[position + offset] = byte
    }
    return bytes
  }

  /// Replaces, inserts or deletes a run of bytes.
  mutating func splice(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    let position = int(0..<(bytes.count + 1))
    let length = int(1..<40)
    switch int(0..<3) {
    case 0:
      let end = min(bytes.count, position + length)
      bytes.removeSubrange(position..<end)
    case 1:
      bytes.insert(contentsOf: (0..<length).map { _ in UInt8(int(0..<256)) }, at: position)
    default:
      bytes.insert(contentsOf: bytes[position..<min(bytes.count, position + length)], at: position)
    }
    return bytes
  }

  /// Replaces the BEGIN/END labels with another (or mismatched) label.
  mutating func relabel(_ input: [UInt8]) -> [UInt8] {
    var text = String(decoding: input, as: UTF8.self)
    let begin = Self.labels[int(0..<Self.labels.count)]
    let end = int(0..<3) == 0 ? Self.labels[int(0..<Self.labels.count)] : begin
    for label in ["TRUSTED CERTIFICATE", "CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"] {
      if text.contains("BEGIN \(label)-----") {
        text = text.replacingOccurrences(of: "BEGIN \(label)-----", with: "BEGIN \(begin)-----")
        text = text.replacingOccurrences(of: "END \(label)-----", with: "END \(end)-----")
        break
      }
    }
    return Array(text.utf8)
  }

  /// Corrupts the base64 body: valid alphabet garbage, invalid characters, misplaced padding or dashes.
  mutating func base64Garbage(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    let bodyStart = (bytes.firstIndex(of: 0x0A) ?? 0) + 1
    let bodyEnd = max(bodyStart + 1, (bytes.lastIndex(of: 0x2D).map { $0 - 30 } ?? bytes.count))
    guard bodyEnd < bytes.count, bodyStart < bodyEnd else { return flipBits(bytes) }
    let position = int(bodyStart..<bodyEnd)
    switch int(0..<4) {
    case 0:
      for offset in 0..<int(1..<64) where position + offset < bodyEnd {
        bytes[position + offset] = Self.base64Alphabet[int(0..<64)]
      }
    case 1:
      bytes[position] =
        [UInt8(ascii: "="), UInt8(ascii: "-"), UInt8(ascii: "*"), 0x00, 0xFF, UInt8(ascii: ":")][int(0..<6)]
    case 2:
      bytes.insert(contentsOf: Array("====".utf8.prefix(int(1..<5))), at: position)
    default:
      bytes.removeSubrange(position..<min(bodyEnd, position + int(1..<5)))
    }
    return bytes
  }

  /// One random mutation of any kind.
  mutating func any(_ input: [UInt8], isPEM: Bool) -> [UInt8] {
    switch int(0..<(isPEM ? 7 : 5)) {
    case 0: return flipBits(input)
    case 1: return truncate(input)
    case 2: return hugeLength(input)
    case 3: return splice(input)
    case 4: return flipBits(hugeLength(input))
    case 5: return relabel(input)
    default: return base64Garbage(input)
    }
  }
}
