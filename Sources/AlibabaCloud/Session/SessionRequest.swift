import Foundation

/// What the caller chose for one session, by layer, and the rules that turn it into a region and endpoints.
///
/// Precedence (written down here only): command line, then `CERTHOOK_<PRODUCT>_ENDPOINT` (endpoints only), then
/// the configuration file, then `ALIBABA_CLOUD_REGION_ID` / `ALICLOUD_REGION`, then the aliyun CLI profile's
/// `region_id`; with every endpoint overridden and no region anywhere, `cn-hangzhou`.
public struct SessionRequest: Sendable {
  /// Region and endpoint choices of one layer (command line or configuration file).
  public struct Choices: Sendable, Equatable {
    /// Region id, e.g. `cn-hangzhou`.
    public var region: String?
    /// Endpoint URL text by product name (`alb`, `cas`, `nlb`, `ga`, `slb`).
    public var endpoints: [String: String]

    /// Creates choices.
    public init(region: String? = nil, endpoints: [String: String] = [:]) {
      self.region = region
      self.endpoints = endpoints
    }
  }

  /// Flags given on the command line.
  public var commandLine: Choices
  /// Values from the configuration file.
  public var configuration: Choices
  /// Which credentials to use.
  public var credentials: CredentialSelection
  /// Write-rate cap and request timeout.
  public var tuning: SessionTuning
  /// `User-Agent` of every request.
  public var userAgent: String
  /// The products the session opens clients for.
  public var products: [CloudProduct]
  /// Called before each retry of a failed call (the CLI shows `retrying (n/N)` on a terminal).
  public var onRetry: (@Sendable (RetryNotice) -> Void)?

  /// Creates a request.
  public init(
    commandLine: Choices = Choices(), configuration: Choices = Choices(), credentials: CredentialSelection = .standard,
    tuning: SessionTuning = SessionTuning(), userAgent: String = "certhook", products: [CloudProduct] = [.alb, .cas],
    onRetry: (@Sendable (RetryNotice) -> Void)? = nil
  ) {
    self.commandLine = commandLine
    self.configuration = configuration
    self.credentials = credentials
    self.tuning = tuning
    self.userAgent = userAgent
    self.products = products
    self.onRetry = onRetry
  }

  /// NLB, GA and CLB: reached on the session's credentials when a target names them; their endpoints come from
  /// `--<name>-endpoint`, `CERTHOOK_<NAME>_ENDPOINT` or `endpoints.<name>`, else the public ones.
  public static let loadBalancerProducts: [CloudProduct] = [.nlb, .ga, .slb]

  /// The endpoint override for `product`, checked (absolute URL, port 1-65535, https or loopback http); nil for
  /// the public default.
  public func endpointOverride(_ product: CloudProduct, environment: SessionEnvironment) throws -> URL? {
    let candidates: [(String?, String)] = [
      (commandLine.endpoints[product.name], "--\(product.name)-endpoint"),
      (environment.endpoint(for: product), product.endpointVariable),
      (configuration.endpoints[product.name], "endpoints.\(product.name)"),
    ]
    for (text, origin) in candidates {
      if let text, !text.isEmpty { return try Self.endpoint(text, origin: origin) }
    }
    return nil
  }

  /// The region: the first of the layers that gives one.
  public func region(environment: SessionEnvironment, profileRegion: String?, everyEndpointOverridden: Bool) throws -> String {
    let candidates = [commandLine.region, configuration.region, environment.region, profileRegion]
    if let found = candidates.compactMap({ $0?.trimmingCharacters(in: .whitespaces) }).first(where: { !$0.isEmpty }) {
      try ClientConfiguration.validateRegion(found)
      return found
    }
    if everyEndpointOverridden { return "cn-hangzhou" }
    throw AlibabaCloudError.configuration(
      "no region: pass --region (e.g. cn-hangzhou), set region: in the configuration or ALIBABA_CLOUD_REGION_ID")
  }

  /// Parses and checks one endpoint URL; errors name `origin` (the flag, variable or key).
  public static func endpoint(_ text: String, origin: String) throws -> URL {
    guard let url = URL(string: text), url.scheme != nil, let host = url.host, !host.isEmpty else {
      throw AlibabaCloudError.configuration("\(origin): '\(NetworkText.escaped(text))' is not an absolute URL")
    }
    if let port = url.port, !(1...65535).contains(port) {
      throw AlibabaCloudError.configuration("\(origin): port \(port) is out of range (1 to 65535)")
    }
    do {
      try EndpointPolicy.validate(url)
    } catch let error as AlibabaCloudError {
      throw AlibabaCloudError.configuration("\(origin): \(error.message)")
    }
    return url
  }
}
