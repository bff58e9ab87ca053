/// Writes `JSONNode`s as text in `JSONEncoder`'s layout: members sorted by key (the last of equal keys kept),
/// two-space indentation, `"key" : value`, and an empty container as `[` newline newline indentation `]` when pretty.
/// Strings escape `"`, `\`, the C0 controls (`\b \f \n \r \t`, else `\u00xx`) and, when asked, `/`; nothing else.
struct JSONTextWriter {
  let prettyPrinted: Bool
  let escapesSlashes: Bool
  private(set) var bytes: [UInt8] = []

  init(prettyPrinted: Bool, escapesSlashes: Bool) {
    self.prettyPrinted = prettyPrinted
    self.escapesSlashes = escapesSlashes
    bytes.reserveCapacity(1 << 16)
  }

  mutating func write(_ node: JSONNode, depth: Int) {
    switch node {
    case .string(let text): writeString(text)
    case .literal(let text): bytes.append(contentsOf: text.utf8)
    case .deferred(let encoder): write(encoder.node ?? .object(JSONObjectBox()), depth: depth)
    case .array(let box):
      bytes.append(UInt8(ascii: "["))
      newline()
      for (index, item) in box.items.enumerated() {
        if index > 0 { separator() }
        indent(depth + 1)
        write(item, depth: depth + 1)
      }
      newline()
      indent(depth)
      bytes.append(UInt8(ascii: "]"))
    case .object(let box):
      bytes.append(UInt8(ascii: "{"))
      newline()
      var first = true
      for index in Self.sortedOrder(box.keys) {
        if !first { separator() }
        first = false
        indent(depth + 1)
        writeString(box.keys[index])
        if prettyPrinted {
          bytes.append(contentsOf: [0x20, UInt8(ascii: ":"), 0x20])
        } else {
          bytes.append(UInt8(ascii: ":"))
        }
        write(box.values[index], depth: depth + 1)
      }
      newline()
      indent(depth)
      bytes.append(UInt8(ascii: "}"))
    }
  }

  /// Member indices by key, each key once (its last occurrence).
  static func sortedOrder(_ keys: [String]) -> [Int] {
    var order = Array(keys.indices)
    order.sort { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }
    var kept: [Int] = []
    kept.reserveCapacity(order.count)
    for (position, index) in order.enumerated() {
      if position + 1 < order.count, keys[order[position + 1]] == keys[index] { continue }
      kept.append(index)
    }
    return kept
  }

  private mutating func newline() {
    if prettyPrinted { bytes.append(0x0A) }
  }

  private mutating func separator() {
    bytes.append(UInt8(ascii: ","))
    newline()
  }

  private mutating func indent(_ depth: Int) {
    guard prettyPrinted else { return }
    for _ in 0..<(2 * depth) { bytes.append(0x20) }
  }

  private mutating func writeString(_ text: String) {
    bytes.append(UInt8(ascii: "\""))
    var text = text
    text.withUTF8 { utf8 in
      var start = 0
      for (index, byte) in utf8.enumerated() {
        guard let escape = escape(byte) else { continue }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
        escape.write(to: &bytes)
        start = index + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private func escape(_ byte: UInt8) -> Escape? {
    switch byte {
    case UInt8(ascii: "\""): return .short(UInt8(ascii: "\""))
    case UInt8(ascii: "\\"): return .short(UInt8(ascii: "\\"))
    case UInt8(ascii: "/"): return escapesSlashes ? .short(UInt8(ascii: "/")) : nil
    case 0x08: return .short(UInt8(ascii: "b"))
    case 0x0C: return .short(UInt8(ascii: "f"))
    case 0x0A: return .short(UInt8(ascii: "n"))
    case 0x0D: return .short(UInt8(ascii: "r"))
    case 0x09: return .short(UInt8(ascii: "t"))
    case 0..<0x20: return .unicode(byte)
    default: return nil
    }
  }

  private enum Escape {
    case short(UInt8)
    case unicode(UInt8)

    func write(to bytes: inout [UInt8]) {
      bytes.append(UInt8(ascii: "\\"))
      switch self {
      case .short(let letter): bytes.append(letter)
      case .unicode(let byte):
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
      }
    }
  }
}
