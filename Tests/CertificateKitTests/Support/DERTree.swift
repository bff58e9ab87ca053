import XCTest

/// A minimal DER tree for building malformed test certificates by hand: duplicate or undecodable extensions,
/// odd SAN entries, foreign key algorithms, a modulus without its leading zero. Written for the tests, apart
/// from the parser under test; signatures are not recomputed (parsing and scanning do not verify them).
struct DERNode: Equatable {
  var tag: UInt8
  /// Content of a primitive node (constructed nodes keep theirs in `children`).
  var content: [UInt8]
  var children: [DERNode]

  static func primitive(_ tag: UInt8, _ content: [UInt8]) -> DERNode {
    DERNode(tag: tag, content: content, children: [])
  }

  static func constructed(_ tag: UInt8, _ children: [DERNode]) -> DERNode {
    DERNode(tag: tag, content: [], children: children)
  }

  static func sequence(_ children: [DERNode]) -> DERNode { constructed(0x30, children) }

  /// An OBJECT IDENTIFIER from its dotted form.
  static func oid(_ dotted: String) -> DERNode {
    let arcs = dotted.split(separator: ".").compactMap { UInt64($0) }
    var bytes: [UInt8] = [UInt8(arcs[0] * 40 + arcs[1])]
    for arc in arcs.dropFirst(2) {
      var chunk: [UInt8] = [UInt8(arc & 0x7F)]
      var rest = arc >> 7
      while rest > 0 {
        chunk.insert(UInt8(rest & 0x7F) | 0x80, at: 0)
        rest >>= 7
      }
      bytes += chunk
    }
    return primitive(0x06, bytes)
  }

  var isConstructed: Bool { tag & 0x20 != 0 }

  /// Parses exactly one node spanning `bytes`.
  static func parse(_ bytes: [UInt8]) throws -> DERNode {
    var offset = 0
    let node = try parse(bytes, at: &offset)
    guard offset == bytes.count else { throw Failure("\(bytes.count - offset) bytes after the DER node") }
    return node
  }

  private static func parse(_ bytes: [UInt8], at offset: inout Int) throws -> DERNode {
    guard offset + 2 <= bytes.count else { throw Failure("truncated DER") }
    let tag = bytes[offset]
    var length = Int(bytes[offset + 1])
    offset += 2
    if length & 0x80 != 0 {
      let count = length & 0x7F
      guard count > 0, count <= 4, offset + count <= bytes.count else { throw Failure("bad DER length") }
      length = bytes[offset..<(offset + count)].reduce(0) { $0 << 8 | Int($1) }
      offset += count
    }
    guard offset + length <= bytes.count else { throw Failure("DER length beyond the input") }
    let content = Array(bytes[offset..<(offset + length)])
    offset += length
    guard tag & 0x20 != 0 else { return primitive(tag, content) }
    var children: [DERNode] = []
    var inner = 0
    while inner < content.count { children.append(try parse(content, at: &inner)) }
    return constructed(tag, children)
  }

  /// The DER encoding (lengths recomputed).
  var encoded: [UInt8] {
    let body = isConstructed ? children.flatMap(\.encoded) : content
    var bytes: [UInt8] = [tag]
    if body.count < 0x80 {
      bytes.append(UInt8(body.count))
    } else {
      var length: [UInt8] = []
      var rest = body.count
      while rest > 0 {
        length.insert(UInt8(rest & 0xFF), at: 0)
        rest >>= 8
      }
      bytes.append(0x80 | UInt8(length.count))
      bytes += length
    }
    return bytes + body
  }

  struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
  }
}

/// Edits of a certificate's TBSCertificate through `DERNode`.
enum CertificateSurgery {
  static let subjectAltName = "2.5.29.17"
  static let extendedKeyUsage = "2.5.29.37"

  /// Applies `edit` to the TBSCertificate and returns the re-encoded certificate.
  static func editTBS(_ der: [UInt8], _ edit: (inout DERNode) throws -> Void) throws -> [UInt8] {
    var certificate = try DERNode.parse(der)
    try edit(&certificate.children[0])
    return certificate.encoded
  }

  /// Applies `edit` to the list of extensions (`[3] { SEQUENCE OF Extension }`).
  static func editExtensions(_ der: [UInt8], _ edit: (inout [DERNode]) throws -> Void) throws -> [UInt8] {
    try editTBS(der) { tbs in
      guard let index = tbs.children.firstIndex(where: { $0.tag == 0xA3 }) else {
        throw DERNode.Failure("no extensions")
      }
      try edit(&tbs.children[index].children[0].children)
    }
  }

  /// The extension with `oid`, as a node (`SEQUENCE { OID, [BOOLEAN], OCTET STRING }`).
  static func extensionNode(_ der: [UInt8], oid: String) throws -> DERNode {
    var found: DERNode?
    _ = try editExtensions(der) { extensions in
      found = extensions.first { $0.children.first == DERNode.oid(oid) }
    }
    return try XCTUnwrap(found, "no extension \(oid)")
  }

  /// An extension with `oid` and the raw `value` inside its OCTET STRING.
  static func makeExtension(oid: String, value: [UInt8]) -> DERNode {
    .sequence([DERNode.oid(oid), .primitive(0x04, value)])
  }

  /// Replaces the value of the extension with `oid`.
  static func replaceExtension(_ der: [UInt8], oid: String, value: [UInt8]) throws -> [UInt8] {
    try editExtensions(der) { extensions in
      guard let index = extensions.firstIndex(where: { $0.children.first == DERNode.oid(oid) }) else {
        throw DERNode.Failure("no extension \(oid)")
      }
      extensions[index] = makeExtension(oid: oid, value: value)
    }
  }

  /// Applies `edit` to the SubjectPublicKeyInfo.
  static func editSPKI(_ der: [UInt8], _ edit: (inout DERNode) throws -> Void) throws -> [UInt8] {
    try editTBS(der) { tbs in
      let index = tbs.children[0].tag == 0xA0 ? 6 : 5
      try edit(&tbs.children[index])
    }
  }

  /// PEM of DER bytes (64-column base64).
  static func pem(_ der: [UInt8]) -> String {
    let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
    return "-----BEGIN CERTIFICATE-----\n\(base64)\n-----END CERTIFICATE-----\n"
  }
}
