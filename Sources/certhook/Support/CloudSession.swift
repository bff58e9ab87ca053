import AlibabaCloud
import Foundation
import Logging

/// The ALB and CAS clients for one command run, built from `CloudOptions`, the process environment
/// and the home directory. Use `CloudSession.with(...)` so the HTTP clients are always shut down.
struct CloudSession: Sendable {
  /// The ALB client.
  let alb: ALBClient
  /// The CAS client.
  let cas: CASClient
  /// Shared configuration (rate limiter, metrics, logger).
  let configuration: ClientConfiguration
  /// Name of the credential provider that supplied the credentials.
  let credentialProvider: String
  /// Logger writing to stderr at the chosen verbosity.
  let logger: Logger

  private let transport: AsyncHTTPClientTransport
  private let metadataTransport: AsyncHTTPClientTransport

  /// Builds a session, runs `body`, and shuts the HTTP clients down whatever happens.
  static func with<T: Sendable>(
    options: CloudOptions, explicit: AccessCredentials? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    homeDirectory: String? = nil,
    tuning: CloudTuning = CloudTuning(),
    _ body: (CloudSession) async throws -> T
  ) async throws -> T {
    let home = homeDirectory ?? environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    let logger = makeLogger(verbosity: options.verbose)
    let transport = AsyncHTTPClientTransport(timeouts: tuning.timeouts)
    let metadataTransport = AsyncHTTPClientTransport(
      timeouts: .init(connect: .seconds(1), read: .seconds(3), overall: .seconds(5)),
      extraPlainHTTPHosts: [ECSMetadataCredentialProvider.defaultBaseURL.host ?? "100.100.100.200"])
    let result: Result<T, any Error>
    do {
      let session = try await make(
        options: options, explicit: explicit, environment: environment, homeDirectory: home, logger: logger,
        rateLimits: tuning.rateLimits, transport: transport, metadataTransport: metadataTransport)
      result = .success(try await body(session))
    } catch {
      result = .failure(error)
    }
    try? await transport.shutdown()
    try? await metadataTransport.shutdown()
    return try result.get()
  }

  private static func make(
    options: CloudOptions, explicit: AccessCredentials?, environment: [String: String], homeDirectory: String,
    logger: Logger, rateLimits: [String: RateLimit], transport: AsyncHTTPClientTransport,
    metadataTransport: AsyncHTTPClientTransport
  ) async throws -> CloudSession {
    var env = environment
    if let profile = options.profile { env["ALIBABA_CLOUD_PROFILE"] = profile }
    let runtime = ClientRuntime.system
    let metadata: @Sendable (String?) -> any CredentialProvider = { role in
      ECSMetadataCredentialProvider(roleName: role, transport: metadataTransport, now: runtime.now)
    }
    let chain = CredentialChain.standard(
      explicit: explicit, environment: env, homeDirectory: homeDirectory, readFile: FileReaders.fileSystem,
      metadata: metadata, logger: logger)

    let albEndpoint = try endpoint(options.albEndpoint ?? env["CERTHOOK_ALB_ENDPOINT"], name: "ALB")
    let casEndpoint = try endpoint(options.casEndpoint ?? env["CERTHOOK_CAS_ENDPOINT"], name: "CAS")
    let profileRegion = try? CLIProfileCredentialProvider(
      homeDirectory: homeDirectory, environment: env, readFile: FileReaders.fileSystem, metadata: { metadata($0) }
    ).profileRegion()
    let candidates: [String?] = [options.region, env["ALIBABA_CLOUD_REGION_ID"], env["ALICLOUD_REGION"], profileRegion ?? nil]
    let region: String
    if let found = candidates.compactMap({ $0 }).first(where: { !$0.isEmpty }) {
      region = found
    } else if albEndpoint != nil && casEndpoint != nil {
      region = "cn-hangzhou"
    } else {
      throw AlibabaCloudError.configuration(
        "no region: pass --region (e.g. cn-hangzhou) or set ALIBABA_CLOUD_REGION_ID")
    }

    let configuration = ClientConfiguration(
      region: region, albEndpoint: albEndpoint, casEndpoint: casEndpoint, rateLimits: rateLimits, runtime: runtime,
      logger: logger,
      userAgent: "certhook/\(VersionInfo.certhook)")
    let resolved = try await chain.resolve()
    if let warning = CredentialFileCheck.warning(provider: resolved.provider, environment: env, homeDirectory: homeDirectory) {
      logger.warning("\(warning)")
    }
    logger.info(
      "credentials from \(resolved.provider)",
      metadata: ["accessKeyId": "\(resolved.credentials.maskedAccessKeyId)", "sts": "\(resolved.credentials.securityToken != nil)"])
    let albURL = try configuration.resolvedALBEndpoint().absoluteString
    let casURL = try configuration.resolvedCASEndpoint().absoluteString
    logger.info("endpoints", metadata: ["region": "\(region)", "alb": "\(albURL)", "cas": "\(casURL)"])
    return CloudSession(
      alb: try ALBClient(configuration: configuration, credentials: chain, transport: transport),
      cas: try CASClient(configuration: configuration, credentials: chain, transport: transport),
      configuration: configuration, credentialProvider: resolved.provider, logger: logger, transport: transport,
      metadataTransport: metadataTransport)
  }

  private static func endpoint(_ text: String?, name: String) throws -> URL? {
    guard let text, !text.isEmpty else { return nil }
    guard let url = URL(string: text), url.host != nil else {
      throw AlibabaCloudError.configuration("\(name) endpoint '\(text)' is not an absolute URL")
    }
    try EndpointPolicy.validate(url)
    return url
  }

  /// A stderr logger: 0 warnings, 1 info (credential source), 2 debug (requests), 3+ trace.
  static func makeLogger(verbosity: Int) -> Logger {
    var logger = Logger(label: "certhook") { label in StreamLogHandler.standardError(label: label) }
    switch verbosity {
    case ..<1: logger.logLevel = .warning
    case 1: logger.logLevel = .info
    case 2: logger.logLevel = .debug
    default: logger.logLevel = .trace
    }
    return logger
  }
}
