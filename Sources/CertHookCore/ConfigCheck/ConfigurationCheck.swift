import Foundation

/// What `certhook config check` found: the file decodes, and (online) every target exists and the credentials
/// work. Valid only when `problems` is empty; warnings never make it invalid.
public struct ConfigurationCheck: Codable, Sendable, Equatable {
  /// The file checked.
  public var path: String
  /// Deployments in it.
  public var deployments: Int
  /// Targets over all deployments.
  public var targets: Int
  /// Whether the cloud was asked (`--online`).
  public var online: Bool
  /// Things worth fixing that do not stop certhook (unknown keys, source files not there yet...).
  public var warnings: [String]
  /// What makes the configuration unusable (missing targets, rejected credentials...).
  public var problems: [String]

  /// Creates a result.
  public init(
    path: String, deployments: Int, targets: Int, online: Bool, warnings: [String] = [], problems: [String] = []
  ) {
    self.path = path
    self.deployments = deployments
    self.targets = targets
    self.online = online
    self.warnings = warnings
    self.problems = problems
  }

  /// The offline findings of a decoded configuration: source files that do not exist (yet).
  public static func offlineWarnings(
    _ configuration: CertHookConfiguration, acmeShHome: String?, fileExists: (String) -> Bool
  ) -> [String] {
    var warnings: [String] = []
    for (index, deployment) in configuration.deployments.enumerated() {
      guard let source = deployment.source,
        let files = SourceLocator.files(for: source, acmeShHome: acmeShHome, fileExists: fileExists)
      else { continue }
      if !fileExists(files.certificate) {
        warnings.append(
          "deployments[\(index)].source (\(deployment.name)): \(files.certificate) does not exist (yet); "
            + "sync reports this deployment as failing until it does")
      }
    }
    return warnings
  }

  /// Offline problems of `notify:`: a signing secret whose environment variable is unset or whose file cannot be
  /// read (each names the notifier and the field).
  public static func notifyProblems(
    _ configuration: CertHookConfiguration, environment: [String: String],
    readFile: ((String) throws -> Data)? = nil
  ) -> [String] {
    NotifierSecrets.resolve(configuration.notify, environment: environment, readFile: readFile).problems
  }

  /// Online: every target of every deployment exists and carries certificates, and CAS answers with these
  /// credentials (one keyword search). Problems name the deployment.
  public static func onlineProblems(_ configuration: CertHookConfiguration, context: RunnerContext) async -> [String] {
    var problems: [String] = []
    let lists = configuration.deployments.map(\.targets)
    let found = await TargetCheck(backend: context.backend, concurrency: context.concurrency).problems(lists)
    for (deployment, targetProblems) in zip(configuration.deployments, found) {
      for problem in targetProblems { problems.append("\(deployment.name): \(problem)") }
    }
    let keyword = configuration.deployments.first?.domains.first ?? "certhook"
    do {
      _ = try await context.backend.searchCertificates(keyword: keyword)
    } catch {
      problems.append("CAS cannot be read with these credentials: \(error)")
    }
    return problems
  }
}
