import enum AlibabaCloud.Hashing
import Foundation

/// Recomputes V3 (`ACS3-HMAC-SHA256`) and V1 (`HMAC-SHA1`) signatures from a request as received, with the
/// emulator's own canonical forms (`CanonicalForms`, written from the spec; only the hash and HMAC primitives are
/// shared with the client), and checks key, parts, body hash, date window, nonce presence and STS token.
/// Nonce replay is checked by the caller.
struct SignatureVerifier: Sendable {
  /// How far the request date may be from the server clock.
  static let window: TimeInterval = 15 * 60

  var keys: [String: EmulatorSeed.AccessKey]
  /// When each STS credential the emulator issued stops working; seed keys never expire.
  var expirations: [String: Date] = [:]

  init(keys: [EmulatorSeed.AccessKey]) {
    var map: [String: EmulatorSeed.AccessKey] = [:]
    for key in keys { map[key.id] = key }
    self.keys = map
  }

  /// Accepts an issued STS credential until `expiration`.
  mutating func register(_ key: EmulatorSeed.AccessKey, expiration: Date) {
    keys[key.id] = key
    expirations[key.id] = expiration
  }

  func verify(_ request: IncomingRequest, now: Date) throws(ApiError) -> VerifiedCaller {
    if let authorization = request.header("authorization") {
      return try verifyV3(request, authorization: authorization, now: now)
    }
    let params = Parameters(request.parameters)
    if params["Signature"] != nil || params["AccessKeyId"] != nil {
      return try verifyV1(request, params: params, now: now)
    }
    throw ApiError.incompleteSignature("The request carries neither an Authorization header nor a Signature parameter.")
  }

  // MARK: V3

  private func verifyV3(_ request: IncomingRequest, authorization: String, now: Date) throws(ApiError) -> VerifiedCaller
  {
    guard let auth = AuthorizationHeader(authorization) else {
      throw ApiError.incompleteSignature(
        "The Authorization header must be 'ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...'.")
    }
    let key = try lookup(auth.accessKeyId)
    let signed = auth.signedHeaders
    for name in ["x-acs-date", "x-acs-content-sha256"] where request.header(name) == nil {
      throw ApiError.incompleteSignature("The header \(name) is missing.")
    }
    let nonce = try SignatureVerifier.requireNonce(request.header("x-acs-signature-nonce"))
    var mustSign = Set(request.headers.map { $0.0 }.filter { $0.hasPrefix("x-acs-") })
    mustSign.insert("host")
    for name in mustSign.sorted() where !signed.contains(name) {
      throw ApiError.incompleteSignature("The header \(name) must be listed in SignedHeaders.")
    }
    for name in signed where request.header(name) == nil {
      throw ApiError.incompleteSignature("The signed header \(name) is not in the request.")
    }
    let date = try checkDate(request.header("x-acs-date") ?? "", now: now)
    let canonical = CanonicalForms.v3Request(
      method: request.method, path: request.path, query: request.query, headers: request.headers, signed: signed,
      payloadHash: request.header("x-acs-content-sha256") ?? "")
    let stringToSign = "ACS3-HMAC-SHA256\n" + Hashing.sha256Hex(Array(canonical.utf8))
    let bodyHash = Hashing.sha256Hex(request.body)
    if (request.header("x-acs-content-sha256") ?? "").lowercased() != bodyHash {
      throw ApiError(
        400, "SignatureDoesNotMatch",
        "The x-acs-content-sha256 header does not match the SHA-256 of the request body. server string to sign is:\(stringToSign)"
      )
    }
    let expected = Hashing.hmacSHA256Hex(key: Array(key.secret.utf8), data: Array(stringToSign.utf8))
    guard constantTimeEqual(expected, auth.signature.lowercased()) else {
      throw ApiError(
        400, "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:\(stringToSign)")
    }
    try checkToken(key, sent: request.header("x-acs-security-token"))
    try checkExpiry(key, now: now)
    return VerifiedCaller(accessKeyId: key.id, nonce: nonce, version: "V3", date: date)
  }

  // MARK: V1

  private func verifyV1(_ request: IncomingRequest, params: Parameters, now: Date) throws(ApiError) -> VerifiedCaller {
    for name in ["AccessKeyId", "Signature", "SignatureMethod", "Timestamp"] where params.string(name) == nil {
      throw ApiError.incompleteSignature("The parameter \(name) is missing.")
    }
    let nonce = try SignatureVerifier.requireNonce(params["SignatureNonce"])
    let key = try lookup(params["AccessKeyId"] ?? "")
    guard params["SignatureMethod"] == "HMAC-SHA1" else {
      throw ApiError.incompleteSignature("SignatureMethod must be HMAC-SHA1.")
    }
    if let v = params.string("SignatureVersion"), v != "1.0" {
      throw ApiError.incompleteSignature("SignatureVersion must be 1.0.")
    }
    let date = try checkDate(params["Timestamp"] ?? "", now: now)
    let unsigned = request.parameters.filter { $0.0 != "Signature" }
    let stringToSign = CanonicalForms.v1StringToSign(method: request.method, parameters: unsigned)
    let expected = Hashing.hmacSHA1Base64(key: Array((key.secret + "&").utf8), data: Array(stringToSign.utf8))
    guard constantTimeEqual(expected, params["Signature"] ?? "") else {
      throw ApiError(
        400, "SignatureDoesNotMatch",
        "Specified signature is not matched with our calculation. server string to sign is:\(stringToSign)")
    }
    try checkToken(key, sent: params.string("SecurityToken"))
    try checkExpiry(key, now: now)
    return VerifiedCaller(accessKeyId: key.id, nonce: nonce, version: "V1", date: date)
  }

  // MARK: Shared checks

  private func lookup(_ id: String) throws(ApiError) -> EmulatorSeed.AccessKey {
    guard let key = keys[id] else {
      throw ApiError(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    }
    return key
  }

  private func checkDate(_ text: String, now: Date) throws(ApiError) -> Date {
    guard let date = TimeFormats.parseRFC3339(text) else {
      throw ApiError(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    }
    if abs(date.timeIntervalSince(now)) > SignatureVerifier.window {
      throw ApiError(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    }
    return date
  }

  /// A signature nonce must be present and non-empty: an empty one would make every request replayable.
  /// The code follows the gateway's `Missing{ParameterName}` pattern.
  private static func requireNonce(_ nonce: String?) throws(ApiError) -> String {
    guard let nonce, !nonce.trimmedOfSpaces.isEmpty else {
      throw ApiError(400, "MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
    }
    return nonce
  }

  private func checkToken(_ key: EmulatorSeed.AccessKey, sent: String?) throws(ApiError) {
    switch (key.securityToken, sent) {
    case (nil, nil): return
    case (nil, .some):
      throw ApiError(
        400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to this access key.")
    case (.some, nil):
      throw ApiError(400, "MissingSecurityToken", "The access key is an STS key: a security token is required.")
    case (.some(let expected), .some(let given)):
      guard constantTimeEqual(expected, given) else {
        throw ApiError(
          400, "InvalidSecurityToken.MismatchWithAccessKey", "The security token does not belong to this access key.")
      }
    }
  }

  /// An issued STS credential used at or after its `Expiration` (code from the STS documentation).
  private func checkExpiry(_ key: EmulatorSeed.AccessKey, now: Date) throws(ApiError) {
    guard let expiration = expirations[key.id], now >= expiration else { return }
    throw ApiError(400, "InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
  }

  private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
  }
}
