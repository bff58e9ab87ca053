import Foundation

extension EmulatorEngine {
  func uploadUserCertificate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    // Name is optional (the SDK model marks it so); CAS names an unnamed upload itself (the form is assumed).
    let name = call.params.string("Name") ?? "cert-\(state.nextCertId)"
    let certPEM = try call.params.required("Cert")
    let keyPEM = try call.params.required("Key")
    if name.count > 128 {
      throw ApiError.invalidParameter("Name must be at most 128 characters")
    }
    if state.certificates.contains(where: { $0.name == name }) {
      throw ApiError(400, "NameRepeat", "The certificate name already exists.")
    }
    let resourceId = "cas-upload-\(state.ids.token(8))"
    let record = try CertificateIntake.record(
      certPEM: certPEM, keyPEM: keyPEM, certId: state.nextCertId, name: name, resourceId: resourceId,
      now: call.now, resourceGroupId: call.params.string("ResourceGroupId"), generated: false)
    state.addCertificate(record, time: call.now)
    dirty = true
    remember(call, fields: ["ResourceId": resourceId], intFields: ["CertId": record.certId])
    return ApiOutcome(fields: [("CertId", .int(record.certId)), ("ResourceId", .string(resourceId))])
  }

  private func certificateId(_ call: ApiCall) throws(ApiError) -> Int {
    let text = try call.params.required("CertId")
    guard let id = Int(text) else { throw ApiError.invalidParameter("CertId must be a number") }
    return id
  }

  private static func notFound(_ id: Int) -> ApiError {
    ApiError(404, "NotFound", "The certificate \(id) does not exist.")
  }

  func getUserCertificateDetail(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let id = try certificateId(call)
    guard let index = state.certificateIndex(certId: id) else { throw EmulatorEngine.notFound(id) }
    let c = state.certificates[index]
    let filter = try call.params.bool("CertFilter")
    var fields: [(String, ResponseJSON)] = [
      ("Id", .int(c.certId)),
      ("Name", .string(c.name)),
      ("Common", .string(c.commonName)),
    ] + c.identityFields + [
      ("NotBefore", .int(TimeFormats.epochMilliseconds(c.notBefore))),
      ("NotAfter", .int(TimeFormats.epochMilliseconds(c.notAfter))),
      ("Expired", .bool(c.notAfter <= call.now)),
      ("Algorithm", .string(c.algorithm)),
      ("CertIdentifier", .string(c.identifier(region: state.casSiteRegion))),
      ("CertSha2", .string(c.sha2)),
      ("InstanceId", .string(c.resourceId)),
      ("BuyInAliyun", .bool(false)),
      ("ResourceGroupId", .string(c.resourceGroupId ?? "")),
      (
        "CertChain",
        .array(
          c.chain.map { e in
            .object([
              ("CommonName", .string(e.commonName)),
              ("IssuerCommonName", .string(e.issuerCommonName)),
              ("NotBefore", .int(TimeFormats.epochMilliseconds(e.notBefore))),
              ("NotAfter", .int(TimeFormats.epochMilliseconds(e.notAfter))),
              ("RemainDay", .int(Int(max(0, e.notAfter.timeIntervalSince(call.now)) / 86_400))),
            ])
          })
      ),
    ]
    if !filter {
      fields.append(("Cert", .string(c.certPEM)))
      fields.append(("Key", .string(c.keyPEM)))
    }
    return ApiOutcome(fields: fields)
  }

  func listUserCertificateOrder(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    let orderType = (call.params.string("OrderType") ?? "CPACK").uppercased()
    guard ["CPACK", "BUY", "UPLOAD", "CERT"].contains(orderType) else {
      throw ApiError.invalidParameter("OrderType must be CPACK, BUY, UPLOAD or CERT")
    }
    let page = try call.params.int("CurrentPage", default: 1, range: 1...Int(Int32.max))
    let size = try call.params.int("ShowSize", default: 50, range: 1...1000)
    let keyword = call.params.string("Keyword")?.lowercased()
    let status = call.params.string("Status")?.uppercased()
    let group = call.params.string("ResourceGroupId")
    let now = call.now
    let matching: [StoredCertificate]
    if orderType == "CPACK" || orderType == "BUY" {
      matching = []
    } else {
      matching = state.certificates.filter { c in
        let s = c.status(now: now)
        let statusOK = status.map { $0 == s } ?? (s == "ISSUED" || s == "WILLEXPIRED")
        let keywordOK =
          keyword.map { k in
            ([c.name, c.resourceId, c.identifier(region: state.casSiteRegion), String(c.certId)] + c.domains)
              .contains { $0.lowercased().contains(k) }
          } ?? true
        let groupOK = group.map { $0 == c.resourceGroupId } ?? true
        return statusOK && keywordOK && groupOK
      }
    }
    let start = min((page - 1) * size, matching.count)
    let items = matching[start..<min(start + size, matching.count)]
    return ApiOutcome(fields: [
      (
        "CertificateOrderList",
        .array(
          items.map { c in
            .object([
              ("CertificateId", .int(c.certId)),
              ("InstanceId", .string(c.resourceId)),
              ("Name", .string(c.name)),
              ("CommonName", .string(c.commonName)),
            ] + c.identityFields + [
              ("CertStartTime", .int(TimeFormats.epochMilliseconds(c.notBefore))),
              ("CertEndTime", .int(TimeFormats.epochMilliseconds(c.notAfter))),
              ("Expired", .bool(c.notAfter <= now)),
              ("Status", .string(c.status(now: now))),
              ("Algorithm", .string(c.algorithm)),
              ("Upload", .bool(true)),
              ("ResourceGroupId", .string(c.resourceGroupId ?? "")),
            ])
          })
      ),
      ("CurrentPage", .int(page)),
      ("ShowSize", .int(size)),
      ("TotalCount", .int(matching.count)),
    ])
  }

  func deleteUserCertificate(_ call: ApiCall) throws(ApiError) -> ApiOutcome {
    if let replayed = try replay(call) { return replayed }
    let id = try certificateId(call)
    guard let index = state.certificateIndex(certId: id) else { throw EmulatorEngine.notFound(id) }
    let identifier = state.certificates[index].identifier(region: state.casSiteRegion)
    let users = state.listenersUsing(identifier)
    if !users.isEmpty {
      throw ApiError(
        400, "OperationDenied.CertificateInUse",
        "The certificate \(id) is used by cloud resources (\(users.joined(separator: ","))) and cannot be deleted.")
    }
    state.emit(.casDeleted, time: call.now, certificateId: identifier, detail: state.certificates[index].name)
    state.certificates.remove(at: index)
    dirty = true
    remember(call, fields: [:])
    return ApiOutcome(fields: [])
  }
}

extension StoredCertificate {
  /// The identity fields that the detail and the list answers share, under the same names, in CAS's order:
  /// Sans (comma-separated), Fingerprint, Sha2, SerialNo, Issuer, StartDate, EndDate.
  var identityFields: [(String, ResponseJSON)] {
    [
      ("Sans", .string(sans.joined(separator: ","))),
      ("Fingerprint", .string(fingerprint)),
      ("Sha2", .string(sha2)),
      ("SerialNo", .string(serialNo)),
      ("Issuer", .string(issuer)),
      ("StartDate", .string(TimeFormats.day(notBefore))),
      ("EndDate", .string(TimeFormats.day(notAfter))),
    ]
  }
}
