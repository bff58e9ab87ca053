import Foundation

/// The ECS instance RAM role, from the metadata service: a session token (PUT), the role name
/// (GET, unless given) and the role's STS credentials (GET), cached and refreshed before they expire; concurrent
/// requests share the one fetch in flight.
public actor ECSMetadataCredentialProvider: CredentialProvider {
  /// Provider name.
  public nonisolated let name = "ecs-ram-role"
  /// The metadata base URL.
  public nonisolated let lookupDescription: String
  private let baseURL: URL
  private let roleName: String?
  private let transport: any HTTPTransport
  private let now: @Sendable () -> Date
  private let refreshMargin: TimeInterval
  private let unreachableIsAbsent: Bool
  private var cached: AccessCredentials?
  private var inFlight: Task<AccessCredentials?, any Error>?

  /// The real metadata service address.
  public static let defaultBaseURL = URL(string: "http://100.100.100.200") ?? URL(fileURLWithPath: "/")

  /// Creates the provider. `unreachableIsAbsent`: when the service cannot be reached (not on ECS),
  /// report "not configured" instead of failing.
  public init(
    baseURL: URL = ECSMetadataCredentialProvider.defaultBaseURL, roleName: String? = nil,
    transport: any HTTPTransport, now: @escaping @Sendable () -> Date, refreshMargin: TimeInterval = 300,
    unreachableIsAbsent: Bool = true
  ) {
    self.baseURL = baseURL
    self.roleName = roleName.flatMap { $0.isEmpty ? nil : $0 }
    self.transport = transport
    self.now = now
    self.refreshMargin = refreshMargin
    self.unreachableIsAbsent = unreachableIsAbsent
    self.lookupDescription = "metadata service \(baseURL.absoluteString)"
  }

  /// Cached credentials, fetched again when within `refreshMargin` of `Expiration`.
  public func credentials() async throws -> AccessCredentials? {
    if let cached, let expiration = cached.expiration, expiration.timeIntervalSince(now()) > refreshMargin {
      return cached
    }
    let task: Task<AccessCredentials?, any Error>
    if let inFlight {
      task = inFlight
    } else {
      task = Task { try await self.fetch() }
      inFlight = task
    }
    return try await task.value
  }

  private func fetch() async throws -> AccessCredentials? {
    defer { inFlight = nil }
    let token: String
    do {
      token = try await fetchToken()
    } catch let error as AlibabaCloudError where unreachableIsAbsent && roleName == nil {
      // Unreachable, or something that is not the metadata service answered: not on ECS.
      if error.kind == .transport || error.kind == .credentials { return nil }
      throw error
    }
    let role = try await resolveRole(token: token)
    let response = try await get("latest/meta-data/ram/security-credentials/\(role)", token: token)
    guard let json = JSONValue.parse(response.body) else {
      throw AlibabaCloudError.credentials("ecs metadata: role credentials for \(role) are not JSON (http \(response.status))")
    }
    guard json["Code"]?.string == "Success" else {
      throw AlibabaCloudError.credentials(
        "ecs metadata: role \(role) answered Code \(json["Code"]?.string ?? "<missing>") instead of Success")
    }
    guard let id = json["AccessKeyId"]?.string, let secret = json["AccessKeySecret"]?.string else {
      throw AlibabaCloudError.credentials("ecs metadata: role \(role) answer lacks AccessKeyId/AccessKeySecret")
    }
    let expiration = json["Expiration"]?.string.flatMap(AcsTimestamp.parse)
    let creds = AccessCredentials(
      accessKeyId: id, accessKeySecret: secret, securityToken: json["SecurityToken"]?.string, expiration: expiration)
    try CredentialValidation.check(
      creds, source: "ecs metadata role \(role)",
      fields: .init(accessKeyId: "AccessKeyId", accessKeySecret: "AccessKeySecret", securityToken: "SecurityToken"))
    cached = creds
    return creds
  }

  private func fetchToken() async throws -> String {
    let request = HTTPRequestSpec(
      method: "PUT", url: url("latest/api/token"), headers: [("X-aliyun-ecs-metadata-token-ttl-seconds", "21600")])
    let response = try await transport.send(request)
    guard response.status == 200 else {
      throw AlibabaCloudError.credentials("ecs metadata: token request answered http \(response.status)")
    }
    return String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private func resolveRole(token: String) async throws -> String {
    if let roleName { return roleName }
    let response = try await get("latest/meta-data/ram/security-credentials/", token: token)
    let role = String(decoding: response.body, as: UTF8.self)
      .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    guard !role.isEmpty else {
      throw AlibabaCloudError.credentials("ecs metadata: no RAM role is attached to this instance")
    }
    return role
  }

  private func get(_ path: String, token: String) async throws -> HTTPResponseSpec {
    let response = try await transport.send(
      HTTPRequestSpec(method: "GET", url: url(path), headers: [("X-aliyun-ecs-metadata-token", token)]))
    guard response.status == 200 else {
      throw AlibabaCloudError.credentials("ecs metadata: GET /\(path) answered http \(response.status)")
    }
    return response
  }

  private func url(_ path: String) -> URL {
    var base = baseURL.absoluteString
    if !base.hasSuffix("/") { base += "/" }
    return URL(string: base + path) ?? baseURL
  }
}
