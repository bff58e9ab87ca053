import CertificateKit
import Foundation

/// The certificates (in chain order) and the key that `certhook inspect` looks at.
struct InspectInput {
  /// One certificate with the file it came from and its position there.
  struct Located {
    let path: String
    let index: Int
    let certificate: Certificate
  }

  /// The private key and where it was read from.
  struct LocatedKey {
    let path: String
    let key: PrivateKey
  }

  let certificates: [Located]
  let key: LocatedKey?

  /// Reads every file (under the size limit the deploy hook applies, ``CertificateFile``); the key comes from
  /// `keyPath`, else from the first certificate file that holds one. Certificates are parsed tolerantly: a
  /// malformed extension becomes a blocking finding instead of hiding the certificate.
  static func load(files: [String], keyPath: String?) throws -> InspectInput {
    var certificates: [Located] = []
    var embeddedKey: LocatedKey?
    for path in files {
      let bytes = try CertificateFile.read(path)
      for (index, certificate) in try Certificate.parseAll(bytes, source: path, tolerant: true).enumerated() {
        certificates.append(Located(path: path, index: index, certificate: certificate))
      }
      if keyPath == nil, embeddedKey == nil, containsPrivateKeyBlock(bytes) {
        embeddedKey = LocatedKey(path: path, key: try PrivateKey(pem: bytes, source: path))
      }
    }
    if let keyPath {
      embeddedKey = LocatedKey(
        path: keyPath, key: try PrivateKey(pem: try CertificateFile.read(keyPath), source: keyPath))
    }
    return InspectInput(certificates: certificates, key: embeddedKey)
  }

  private static func containsPrivateKeyBlock(_ bytes: [UInt8]) -> Bool {
    let marker = Array("PRIVATE KEY-----".utf8)
    guard bytes.count >= marker.count else { return false }
    for start in 0...(bytes.count - marker.count) where bytes[start] == marker[0] {
      if bytes[start..<(start + marker.count)].elementsEqual(marker) { return true }
    }
    return false
  }
}
