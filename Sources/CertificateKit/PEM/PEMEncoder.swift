import Foundation

/// Writes PEM blocks.
enum PEMEncoder {
  /// `-----BEGIN label-----`, base64 in 64-column lines, `-----END label-----`, each line ending in `\n`.
  static func encode(_ der: [UInt8], label: String) -> String {
    let base64 = Data(der).base64EncodedString()
    var text = "-----BEGIN \(label)-----\n"
    text.reserveCapacity(base64.count + base64.count / 64 + 64)
    var index = base64.startIndex
    while index < base64.endIndex {
      let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
      text += base64[index..<end]
      text += "\n"
      index = end
    }
    text += "-----END \(label)-----\n"
    return text
  }
}
