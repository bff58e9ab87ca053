import Foundation
import Logging

/// The clients of one run, decided in one place: region, endpoints, credentials, rate limits and timeouts from
/// the caller's `SessionRequest`, the environment, the home directory, the clock and the transport it passes in.
/// The library reads nothing on its own; `with(...)` shuts down the HTTP clients it made, whatever happens.
///
/// Adding a product: a `CloudProduct` constant, its client type built from `rpc(for:)`, and an accessor in an
/// extension of this type; the endpoint rules need no change.
public struct CloudSession: Sendable {
  /// The ALB client.
  public let alb: ALBClient
  /// The CAS client.
  public let cas: CASClient
  /// Shared configuration (rate limiter, metrics, logger, retry observer).
  public let configuration: ClientConfiguration
  /// The credential chain every client signs with.
  public let credentials: CredentialChain
  /// Name of the credential provider that supplied the credentials (e.g. `environment`).
  public let credentialProvider: String
  /// The region.
  public let region: String
  /// The endpoint of every product the session opened.
  public let endpoints: [CloudProduct: URL]
  /// The transport every client sends through.
  public let transport: any HTTPTransport
  /// The STS endpoint named explicitly (flag, variable or configuration), nil when none was (see `sts()`).
  public let stsEndpointOverride: URL?

  /// Resolves region, endpoints and credentials and opens the clients over `transport`.
  ///
  /// `metadataTransport` reaches the ECS metadata service (nil leaves that source out). `rateLimiter`, when given,
  /// replaces the session's own (sessions of one account in several regions share the account's published limits).
  public static func open(
    _ request: SessionRequest, environment: SessionEnvironment, homeDirectory: String, runtime: ClientRuntime,
    transport: any HTTPTransport, metadataTransport: (any HTTPTransport)?, readFile: @escaping FileReader = FileReaders.fileSystem,
    logger: Logger, rateLimiter: RateLimiter? = nil
  ) async throws -> CloudSession {
    var overrides: [CloudProduct: URL] = [:]
    for product in request.products {
      overrides[product] = try request.endpointOverride(product, environment: environment)
    }
    let stsOverride = try request.endpointOverride(.sts, environment: environment)
    let everyEndpointOverridden = request.products.allSatisfy { overrides[$0] != nil }
    // The load balancer products beyond ALB open clients only when a target needs them; an override is checked
    // now all the same, so a bad one fails before anything happens.
    for product in SessionRequest.loadBalancerProducts where !request.products.contains(product) {
      if let url = try request.endpointOverride(product, environment: environment) { overrides[product] = url }
    }
    let profileSources = CredentialSources(
      environment: environment, homeDirectory: homeDirectory, readFile: readFile, metadata: nil)
    let profileRegion: String? =
      (try? profileSources.cliProfile(Self.profileName(request.credentials)).profileRegion()) ?? nil
    let region = try request.region(
      environment: environment, profileRegion: profileRegion, everyEndpointOverridden: everyEndpointOverridden)
    var endpoints: [CloudProduct: URL] = [:]
    for product in request.products {
      endpoints[product] = try overrides[product] ?? product.defaultEndpoint(region: region)
    }
    for (product, url) in overrides where endpoints[product] == nil { endpoints[product] = url }
    var configuration = ClientConfiguration(
      region: region, albEndpoint: endpoints[.alb], casEndpoint: endpoints[.cas], rateLimits: request.tuning.rateLimits,
      runtime: runtime, logger: logger, userAgent: request.userAgent, onRetry: request.onRetry)
    if let rateLimiter { configuration.rateLimiter = rateLimiter }
    let (chain, resolved) = try await resolveCredentials(
      request.credentials, environment: environment, homeDirectory: homeDirectory, configuration: configuration,
      transport: transport, stsEndpoint: stsOverride ?? Self.loopback(endpoints[.cas]),
      metadataTransport: metadataTransport, readFile: readFile)
    logger.info(
      "endpoints",
      metadata: [
        "region": "\(region)",
        "endpoints": "\(endpoints.map { "\($0.key.name)=\($0.value.absoluteString)" }.sorted().joined(separator: " "))",
      ])
    return CloudSession(
      alb: try ALBClient(configuration: configuration, credentials: chain, transport: transport),
      cas: try CASClient(configuration: configuration, credentials: chain, transport: transport),
      configuration: configuration, credentials: chain, credentialProvider: resolved.provider, region: region,
      endpoints: endpoints, transport: transport, stsEndpointOverride: stsOverride)
  }

  /// The credential chain of `selection` and what it resolved to (the winning provider's name and its credentials),
  /// logged at info without secrets, with the file-permission warning. Role modes reach STS at `stsEndpoint` (nil:
  /// the public endpoint their rules give) with `configuration`'s clock, limiter and logger over `transport`.
  public static func resolveCredentials(
    _ selection: CredentialSelection, environment: SessionEnvironment, homeDirectory: String,
    configuration: ClientConfiguration, transport: any HTTPTransport, stsEndpoint: URL?,
    metadataTransport: (any HTTPTransport)?, readFile: @escaping FileReader = FileReaders.fileSystem
  ) async throws -> (chain: CredentialChain, resolved: (credentials: AccessCredentials, provider: String)) {
    let logger = configuration.logger
    var metadata: (@Sendable (String?) -> any CredentialProvider)?
    if let metadataTransport {
      let runtime = configuration.runtime
      let base = try environment.ecsMetadataEndpoint.map {
        try SessionRequest.endpoint($0, origin: "CERTHOOK_ECS_METADATA_ENDPOINT")
      }
      metadata = { role in
        ECSMetadataCredentialProvider(
          baseURL: base ?? ECSMetadataCredentialProvider.defaultBaseURL, roleName: role, transport: metadataTransport,
          now: runtime.now)
      }
    }
    let sts = STSAccess(
      override: stsEndpoint, configuration: configuration, transport: transport, environment: environment)
    let sources = CredentialSources(
      environment: environment, homeDirectory: homeDirectory, readFile: readFile, metadata: metadata, sts: sts)
    let (providers, notFound) = sources.providers(for: selection)
    let chain = CredentialChain(providers: providers, logger: logger, notFound: notFound)
    let resolved = try await chain.resolve()
    if let warning = CredentialFileCheck.warning(
      provider: resolved.provider, environment: environment, homeDirectory: homeDirectory)
    {
      logger.warning("\(warning)")
    }
    logger.info(
      "credentials from \(resolved.provider)",
      metadata: [
        "accessKeyId": "\(resolved.credentials.maskedAccessKeyId)", "sts": "\(resolved.credentials.securityToken != nil)",
      ])
    return (chain, resolved)
  }

  /// `url` when it is a loopback endpoint (the emulator serves STS too), else nil.
  static func loopback(_ url: URL?) -> URL? {
    guard let url, let host = url.host, host == "localhost" || host.hasPrefix("127.") || host == "::1" else {
      return nil
    }
    return url
  }

  /// Opens a session over fresh AsyncHTTPClient transports (the request's timeouts; a short one for the ECS
  /// metadata service), runs `body`, and shuts both transports down whatever happens.
  ///
  /// `homeDirectory` nil means the environment's `HOME`, else the account's home directory.
  public static func with<T: Sendable>(
    _ request: SessionRequest, environment: [String: String], homeDirectory: String? = nil, runtime: ClientRuntime,
    logger: Logger, rateLimiter: RateLimiter? = nil, _ body: (CloudSession) async throws -> T
  ) async throws -> T {
    let parsed = SessionEnvironment(environment)
    let home = homeDirectory ?? parsed.home ?? NSHomeDirectory()
    return try await withTransports(request) { transport, metadataTransport in
      let session = try await open(
        request, environment: parsed, homeDirectory: home, runtime: runtime, transport: transport,
        metadataTransport: metadataTransport, logger: logger, rateLimiter: rateLimiter)
      return try await body(session)
    }
  }

  /// Runs `body` with fresh AsyncHTTPClient transports (the request's timeouts; a short one for the ECS metadata
  /// service) and shuts both down whatever happens.
  static func withTransports<T: Sendable>(
    _ request: SessionRequest,
    _ body: (_ transport: AsyncHTTPClientTransport, _ metadata: AsyncHTTPClientTransport) async throws -> T
  ) async throws -> T {
    let transport = AsyncHTTPClientTransport(timeouts: request.tuning.timeouts)
    let metadataTransport = AsyncHTTPClientTransport(
      timeouts: .init(connect: .seconds(1), read: .seconds(3), overall: .seconds(5)),
      extraPlainHTTPHosts: [ECSMetadataCredentialProvider.defaultBaseURL.host ?? "100.100.100.200"])
    let result: Result<T, any Error>
    do {
      result = .success(try await body(transport, metadataTransport))
    } catch {
      result = .failure(error)
    }
    try? await transport.shutdown()
    try? await metadataTransport.shutdown()
    return try result.get()
  }

  /// An RPC client for `product` on this session's endpoint, credentials, limits and transport.
  public func rpc(for product: CloudProduct) throws -> AcsRPCClient {
    let endpoint = try endpoints[product] ?? product.defaultEndpoint(region: region)
    return AcsRPCClient(
      endpoint: endpoint, version: product.version, credentials: credentials, transport: transport,
      configuration: configuration)
  }

  private static func profileName(_ selection: CredentialSelection) -> String? {
    if case .profile(let name, _) = selection { return name }
    return nil
  }
}
