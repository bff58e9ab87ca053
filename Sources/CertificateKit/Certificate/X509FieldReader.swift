internal import COpenSSL
import Foundation

/// Reads every field `Certificate` exposes from a decoded OpenSSL `X509`, once.
///
/// Works on certificates decoded in `ParsingContext` (public key not decoded): key type and size
/// come from the SubjectPublicKeyInfo algorithm, parameters and key bits.
enum X509FieldReader {
  /// Thrown reasons are short lowercase phrases; the caller adds the file name.
  struct Failure: Error {
    let reason: String
  }

  static func name(_ name: OpaquePointer?) throws -> DistinguishedName {
    guard let name else { throw Failure(reason: "missing name") }
    let text = try MemoryBIO.string("X509_NAME_print_ex") { bio in
      X509_NAME_print_ex(bio, name, 0, certhook_xn_flag_rfc4514()) >= 0
    }
    var commonName: String? = nil
    var index: Int32 = -1
    while true {
      index = X509_NAME_get_index_by_NID(name, NID_commonName, index)
      if index < 0 { break }
      if let entry = X509_NAME_get_entry(name, index), let data = X509_NAME_ENTRY_get_data(entry) {
        commonName = try utf8(data)
      }
    }
    return DistinguishedName(rfc4514: text, commonName: commonName)
  }

  /// Converts any ASN.1 string type to UTF-8.
  static func utf8(_ string: UnsafePointer<ASN1_STRING>) throws -> String {
    var out: UnsafeMutablePointer<UInt8>? = nil
    let length = ASN1_STRING_to_UTF8(&out, string)
    guard length >= 0, let out else { throw Failure(reason: "undecodable string: \(OpenSSLErrorQueue.drain())") }
    defer { certhook_openssl_free(out) }
    return String(decoding: UnsafeBufferPointer(start: out, count: Int(length)), as: UTF8.self)
  }

  /// The raw bytes of an ASN.1 string, as ASCII/UTF-8 text.
  static func rawText(_ string: UnsafePointer<ASN1_STRING>) -> String {
    let length = Int(ASN1_STRING_length(string))
    guard length > 0, let data = ASN1_STRING_get0_data(string) else { return "" }
    return String(decoding: UnsafeBufferPointer(start: data, count: length), as: UTF8.self)
  }

  static func serial(_ x509: OpaquePointer) throws -> String {
    guard let serial = X509_get0_serialNumber(x509) else { throw Failure(reason: "missing serial number") }
    let length = Int(ASN1_STRING_length(serial))
    var hex = ""
    if length > 0, let data = ASN1_STRING_get0_data(serial) {
      let bytes = UnsafeBufferPointer(start: data, count: length)
      hex = Hex.encode(bytes.drop { $0 == 0 }, uppercase: false)
      if hex.first == "0" { hex.removeFirst() }
    }
    if hex.isEmpty { return "0" }
    return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + hex : hex
  }

  static func time(_ time: UnsafePointer<ASN1_TIME>?, field: String) throws -> Date {
    guard let time else { throw Failure(reason: "missing \(field)") }
    var parts = tm()
    guard ASN1_TIME_to_tm(time, &parts) == 1 else {
      throw Failure(reason: "invalid \(field): \(OpenSSLErrorQueue.drain())")
    }
    let year = Int(parts.tm_year) + 1900
    let days = CivilCalendar.daysFromCivil(year: year, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday))
    let seconds = days * 86_400 + Int(parts.tm_hour) * 3600 + Int(parts.tm_min) * 60 + Int(parts.tm_sec)
    return Date(timeIntervalSince1970: TimeInterval(seconds))
  }

  /// Decodes extension `nid`; nil when absent, throws when present but malformed or duplicated.
  static func extensionValue(_ x509: OpaquePointer, _ nid: Int32, _ label: String) throws -> UnsafeMutableRawPointer? {
    var critical: Int32 = 0
    let value = X509_get_ext_d2i(x509, nid, &critical, nil)
    if let value { return value }
    if critical == -1 { return nil }
    if critical == -2 { throw Failure(reason: "duplicate \(label) extension") }
    throw Failure(reason: "malformed \(label) extension: \(OpenSSLErrorQueue.drain())")
  }

  struct SubjectAlternativeNames {
    var dnsNames: [String] = []
    var ipAddresses: [String] = []
    var emailAddresses: [String] = []
    var uris: [String] = []
  }

  /// Reads the subject alternative names.
  ///
  /// Strict (`problems` nil): a duplicated or malformed extension, or an IP address that is not 4 or 16 bytes,
  /// throws. Tolerant (`problems` an array): each such problem is appended and the readable names are kept
  /// (every occurrence of a duplicated extension is read).
  static func subjectAlternativeNames(_ x509: OpaquePointer, problems: inout [String]?) throws
    -> SubjectAlternativeNames
  {
    var result = SubjectAlternativeNames()
    var critical: Int32 = 0
    if let raw = X509_get_ext_d2i(x509, NID_subject_alt_name, &critical, nil) {
      try collect(OpaquePointer(raw), into: &result, problems: &problems)
      return result
    }
    if critical == -1 { return result }
    let reason =
      critical == -2
      ? "duplicate subjectAltName extension" : "malformed subjectAltName extension: \(OpenSSLErrorQueue.drain())"
    guard problems != nil else { throw Failure(reason: reason) }
    problems?.append(reason)
    guard critical == -2 else { return result }
    var index: Int32 = -1
    while true {
      index = X509_get_ext_by_NID(x509, NID_subject_alt_name, index)
      guard index >= 0 else { break }
      guard let ext = X509_get_ext(x509, index), let raw = X509V3_EXT_d2i(ext) else {
        problems?.append("malformed subjectAltName extension: \(OpenSSLErrorQueue.drain())")
        continue
      }
      try collect(OpaquePointer(raw), into: &result, problems: &problems)
    }
    return result
  }

  /// Appends the names of one decoded `GENERAL_NAMES` stack and frees it.
  private static func collect(
    _ stack: OpaquePointer, into result: inout SubjectAlternativeNames, problems: inout [String]?
  ) throws {
    defer { GENERAL_NAMES_free(stack) }
    let count = OPENSSL_sk_num(stack)
    for index in 0..<max(count, 0) {
      guard let element = OPENSSL_sk_value(stack, index) else { continue }
      let name = element.assumingMemoryBound(to: GENERAL_NAME.self)
      switch name.pointee.type {
      case GEN_DNS:
        if let string = name.pointee.d.dNSName { result.dnsNames.append(rawText(string)) }
      case GEN_EMAIL:
        if let string = name.pointee.d.rfc822Name { result.emailAddresses.append(rawText(string)) }
      case GEN_URI:
        if let string = name.pointee.d.uniformResourceIdentifier { result.uris.append(rawText(string)) }
      case GEN_IPADD:
        if let string = name.pointee.d.iPAddress {
          let length = Int(ASN1_STRING_length(string))
          guard let data = ASN1_STRING_get0_data(string) else { continue }
          let bytes = Array(UnsafeBufferPointer(start: data, count: max(length, 0)))
          guard let text = IPAddressText.format(bytes) else {
            let reason = "subjectAltName IP address has \(length) bytes (expected 4 or 16)"
            guard problems != nil else { throw Failure(reason: reason) }
            problems?.append(reason)
            continue
          }
          result.ipAddresses.append(text)
        }
      default:
        continue
      }
    }
  }

  static func keyUsage(_ x509: OpaquePointer) throws -> KeyUsage? {
    guard let raw = try extensionValue(x509, NID_key_usage, "keyUsage") else { return nil }
    let bits = raw.assumingMemoryBound(to: ASN1_STRING.self)
    defer { ASN1_BIT_STRING_free(bits) }
    var usage: UInt16 = 0
    for bit in 0..<9 where ASN1_BIT_STRING_get_bit(bits, Int32(bit)) == 1 {
      usage |= 1 << UInt16(bit)
    }
    return KeyUsage(rawValue: usage)
  }

  static func extendedKeyUsages(_ x509: OpaquePointer) throws -> [String]? {
    guard let raw = try extensionValue(x509, NID_ext_key_usage, "extendedKeyUsage") else { return nil }
    let stack = OpaquePointer(raw)
    defer { EXTENDED_KEY_USAGE_free(stack) }
    var names: [String] = []
    for index in 0..<max(OPENSSL_sk_num(stack), 0) {
      guard let element = OPENSSL_sk_value(stack, index) else { continue }
      names.append(ObjectNames.extendedKeyUsage(OpaquePointer(element)))
    }
    return names
  }

  static func basicConstraints(_ x509: OpaquePointer) throws -> (isCA: Bool, pathLength: Int?) {
    guard let raw = try extensionValue(x509, NID_basic_constraints, "basicConstraints") else { return (false, nil) }
    let constraints = raw.assumingMemoryBound(to: BASIC_CONSTRAINTS.self)
    defer { BASIC_CONSTRAINTS_free(constraints) }
    var pathLength: Int? = nil
    if let length = constraints.pointee.pathlen {
      var value: Int64 = 0
      guard ASN1_INTEGER_get_int64(&value, length) == 1 else {
        throw Failure(reason: "basicConstraints path length out of range")
      }
      pathLength = Int(value)
    }
    return (constraints.pointee.ca != 0, pathLength)
  }

  static func signatureAlgorithm(_ x509: OpaquePointer) -> String {
    var algorithm: UnsafePointer<X509_ALGOR>? = nil
    X509_get0_signature(nil, &algorithm, x509)
    guard let algorithm else { return "unknown" }
    var object: OpaquePointer? = nil
    X509_ALGOR_get0(&object, nil, nil, algorithm)
    guard let object else { return "unknown" }
    return ObjectNames.text(object, numeric: false)
  }
}
