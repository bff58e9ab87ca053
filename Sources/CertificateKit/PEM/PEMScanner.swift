/// Finds PEM blocks in arbitrary bytes (text around blocks, CRLF line ends, any labels).
enum PEMScanner {
  private static let begin: [UInt8] = Array("-----BEGIN ".utf8)
  private static let end: [UInt8] = Array("-----END ".utf8)
  private static let dashes: [UInt8] = Array("-----".utf8)

  /// Whether `bytes` contains a PEM BEGIN marker at all.
  static func containsPEM(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    find(begin, in: bytes, from: 0) != nil
  }

  /// All blocks in order of appearance.
  static func blocks(in bytes: UnsafeBufferPointer<UInt8>) -> [PEMBlock] {
    var blocks: [PEMBlock] = []
    var position = 0
    while let start = find(begin, in: bytes, from: position) {
      let labelStart = start + begin.count
      guard let labelEnd = find(dashes, in: bytes, from: labelStart, stopAtNewline: true) else {
        position = labelStart
        continue
      }
      let label = String(decoding: UnsafeBufferPointer(rebasing: bytes[labelStart..<labelEnd]), as: UTF8.self)
      let bodyStart = labelEnd + dashes.count
      let endMarker = end + Array(label.utf8) + dashes
      guard let endStart = find(endMarker, in: bytes, from: bodyStart) else {
        blocks.append(PEMBlock(label: label, headers: [], body: bodyStart..<bytes.count, isTerminated: false))
        break
      }
      let (headers, base64Start) = headerLines(bytes, from: bodyStart, to: endStart)
      blocks.append(PEMBlock(label: label, headers: headers, body: base64Start..<endStart, isTerminated: true))
      position = endStart + endMarker.count
    }
    return blocks
  }

  /// RFC 1421 style headers (`Name: value` lines up to a blank line) at the start of a body.
  private static func headerLines(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to limit: Int) -> (
    [String], Int
  ) {
    // Fast path: the first non-blank line has no colon, so there are no headers.
    var probe = start
    while probe < limit, bytes[probe] == 0x0A || bytes[probe] == 0x0D || bytes[probe] == 0x20 || bytes[probe] == 0x09 {
      probe += 1
    }
    var hasColon = false
    while probe < limit, bytes[probe] != 0x0A {
      if bytes[probe] == UInt8(ascii: ":") {
        hasColon = true
        break
      }
      probe += 1
    }
    guard hasColon else { return ([], start) }
    var lines: [(text: String, next: Int)] = []
    var cursor = start
    while cursor < limit {
      var lineEnd = cursor
      while lineEnd < limit, bytes[lineEnd] != 0x0A { lineEnd += 1 }
      let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[cursor..<lineEnd]), as: UTF8.self)
      lines.append((line.trimmingCharacters(), min(lineEnd + 1, limit)))
      cursor = lineEnd + 1
      if lines.count > 4 { break }
    }
    // The first non-empty line decides: a header has a colon; plain base64 never does.
    guard let first = lines.first(where: { !$0.text.isEmpty }), first.text.contains(":") else { return ([], start) }
    var headers: [String] = []
    var bodyStart = start
    for line in lines {
      if line.text.isEmpty {
        bodyStart = line.next
        if headers.isEmpty { continue }
        break
      }
      guard line.text.contains(":") else {
        break
      }
      headers.append(line.text)
      bodyStart = line.next
    }
    return (headers, bodyStart)
  }

  /// First index of `needle` in `bytes` at or after `from`.
  private static func find(
    _ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from: Int, stopAtNewline: Bool = false
  ) -> Int? {
    guard let first = needle.first, bytes.count >= needle.count else { return nil }
    var index = from
    let last = bytes.count - needle.count
    while index <= last {
      let byte = bytes[index]
      if stopAtNewline, byte == 0x0A { return nil }
      if byte == first {
        var matched = true
        for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
          matched = false
          break
        }
        if matched { return index }
      }
      index += 1
    }
    return nil
  }
}

extension String {
  /// Drops ASCII spaces, tabs and carriage returns at both ends.
  fileprivate func trimmingCharacters() -> String {
    let scalars = unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    func isBlank(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\r" }
    while start < end, isBlank(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isBlank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return String(scalars[start..<end])
  }
}
