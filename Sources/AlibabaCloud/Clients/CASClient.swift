import Foundation

/// Client for the SSL Certificates Service, CAS (version 2020-04-07).
public struct CASClient: Sendable {
  /// The API version (the action table's).
  public static let version = ApiAction.Product.cas.version
  /// Page size used for `ListUserCertificateOrder`.
  public static let pageSize = 50

  /// The tag certhook puts on every certificate it uploads (`Tags.1.Key=managed-by`, `Tags.1.Value=certhook`).
  public static let managedTag = (key: "managed-by", value: "certhook")

  /// The underlying RPC client.
  public let rpc: AcsRPCClient

  /// Creates a client for `configuration.resolvedCASEndpoint()`.
  public init(configuration: ClientConfiguration, credentials: any CredentialProvider, transport: any HTTPTransport) throws {
    self.rpc = AcsRPCClient(
      endpoint: try configuration.resolvedCASEndpoint(), version: Self.version, credentials: credentials,
      transport: transport, configuration: configuration)
  }

  /// Uploads a certificate (PEM, leaf first) and its key. Parameters travel in the URL query, as the official
  /// SDK sends them (no public source confirms that CAS accepts a form body); the URL is never logged or shown.
  /// `tags` become `Tags.N.Key/Value` (certhook marks its own uploads with `CASClient.managedTag`).
  public func uploadUserCertificate(
    name: String, certificatePEM: String, keyPEM: String, clientToken: String? = nil,
    tags: [(key: String, value: String)] = []
  )
    async throws -> (certId: Int, resourceId: String?)
  {
    let token = clientToken ?? rpc.configuration.runtime.nonce()
    let json = try await rpc.call(
      "UploadUserCertificate",
      parameters: [("Name", name), ("Cert", certificatePEM), ("Key", keyPEM), ("ClientToken", token)]
        + tags.enumerated().flatMap { i, tag in [("Tags.\(i + 1).Key", tag.key), ("Tags.\(i + 1).Value", tag.value)] })
    guard let certId = json["CertId"]?.int else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: "UploadUserCertificate",
        message: "answer has no CertId (request id \(json["RequestId"]?.string ?? "-"))")
    }
    return (certId, CASFields.nonEmpty(json["ResourceId"]))
  }

  /// Every certificate matching the filters (page-number paging, all pages).
  public func listUserCertificates(keyword: String? = nil, orderType: String = "UPLOAD", status: String? = nil)
    async throws -> [UserCertificateSummary]
  {
    var result: [UserCertificateSummary] = []
    var page = 1
    while true {
      var p: [(String, String)] = [
        ("OrderType", orderType), ("CurrentPage", String(page)), ("ShowSize", String(Self.pageSize)),
      ]
      if let keyword, !keyword.isEmpty { p.append(("Keyword", keyword)) }
      if let status, !status.isEmpty { p.append(("Status", status)) }
      let json = try await rpc.call("ListUserCertificateOrder", parameters: p)
      let items = json["CertificateOrderList"]?.array ?? []
      result += items.map(UserCertificateSummary.init(json:))
      let total = json["TotalCount"]?.int ?? 0
      if items.isEmpty || result.count >= total || page >= 10_000 { break }
      page += 1
    }
    return result
  }

  /// One certificate's details; `includePEM` fetches the certificate and key PEM too.
  public func getUserCertificateDetail(certId: Int, includePEM: Bool = false) async throws -> UserCertificateDetail {
    let json = try await rpc.call(
      "GetUserCertificateDetail", parameters: [("CertId", String(certId)), ("CertFilter", includePEM ? "false" : "true")])
    let detail = UserCertificateDetail(json: json)
    guard !detail.certIdentifier.isEmpty else {
      throw AlibabaCloudError(
        kind: .invalidResponse, action: "GetUserCertificateDetail",
        message: "certificate \(certId): answer has no CertIdentifier (request id \(json["RequestId"]?.string ?? "-"))")
    }
    return detail
  }

  /// Deletes a certificate from CAS.
  public func deleteUserCertificate(certId: Int, clientToken: String? = nil) async throws {
    let token = clientToken ?? rpc.configuration.runtime.nonce()
    _ = try await rpc.call("DeleteUserCertificate", parameters: [("CertId", String(certId)), ("ClientToken", token)])
  }
}
