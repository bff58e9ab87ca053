import CertificateKit
import Foundation
import Logging

/// Everything a runner needs injected: the cloud, the state cache, the clock value, logging and progress.
public struct RunnerContext: Sendable {
  /// The cloud.
  public var backend: any CloudBackend
  /// The state cache.
  public var state: StateStore
  /// The reference time for every check and record.
  public var now: Date
  /// Where diagnostics go.
  public var logger: Logger
  /// Called after each listener of a batch finishes.
  public var progress: (@Sendable (ExecutionProgress) -> Void)?
  /// Listeners handled at the same time.
  public var concurrency: Int
  /// Longest wait for one job or for a listener to be `Running`, in seconds.
  public var jobTimeout: Double
  /// Known additional-certificate quotas per load balancer.
  public var quotas: [String: Int]
  /// Expiry windows for checks and audit.
  public var checkPolicy: CheckPolicy
  /// acme.sh home used for `acmeShDomain` sources without their own `home` (the CLI passes `~/.acme.sh`).
  public var acmeShHome: String?
  /// Set by SIGTERM/SIGINT: no new listener change starts; the ones in flight finish.
  public var stop = StopSignal()
  /// Handshake proof for deployments with `verify: tls` (nil: none asks for it).
  public var servingVerifier: (any ServingVerifier)? = nil
  /// Which listeners each load balancer has, listed once per run and shared by every deployment's planner.
  public var listenerDirectory = ListenerDirectory()
  /// Each listener's certificates as the current run last saw them; nil outside a run (see `startingRun`).
  public var listenerBook: ListenerCertificateBook? = nil
  /// Shared by the sessions of one account in a fleet run: how far its planning runs ahead of its changes.
  public var planningAllowance: PlanningAllowance? = nil

  /// Creates a context.
  public init(
    backend: any CloudBackend, state: StateStore, now: Date, logger: Logger,
    progress: (@Sendable (ExecutionProgress) -> Void)? = nil, concurrency: Int = 32, jobTimeout: Double = 300,
    quotas: [String: Int] = [:], checkPolicy: CheckPolicy = CheckPolicy(), acmeShHome: String? = nil
  ) {
    self.backend = backend
    self.state = state
    self.now = now
    self.logger = logger
    self.progress = progress
    self.concurrency = concurrency
    self.jobTimeout = jobTimeout
    self.quotas = quotas
    self.checkPolicy = checkPolicy
    self.acmeShHome = acmeShHome
  }

  /// The same context with the configuration's limits applied.
  public func applying(_ configuration: CertHookConfiguration) -> RunnerContext {
    var copy = self
    copy.concurrency = configuration.rateLimits.concurrency
    copy.jobTimeout = configuration.timeouts.job
    copy.quotas.merge(configuration.quotas) { _, configured in configured }
    return copy
  }

  /// The same context for one run of many deployments: listeners read by one deployment's plan are not read
  /// again by the next (a new book each run, so nothing is remembered from one run to the next).
  public func startingRun() -> RunnerContext {
    var copy = self
    copy.listenerBook = ListenerCertificateBook()
    return copy
  }

  var catalog: CertificateCatalog { CertificateCatalog(backend: backend, state: state) }

  var mapper: CertificateMapper { CertificateMapper(backend: backend, state: state, now: now, logger: logger) }

  func planner(catalog: CertificateCatalog) -> DeploymentPlanner {
    var planner = DeploymentPlanner(
      backend: backend, catalog: catalog, now: now, quotas: quotas, concurrency: concurrency, logger: logger)
    planner.directory = listenerDirectory
    planner.book = listenerBook
    return planner
  }

  /// Plans and runs one certificate onto targets: with `dryRun` the whole plan first and prechecks only; otherwise
  /// listener by listener (each planned right before it changes).
  func deploy(
    _ certificate: MappedCertificate, targets: [DeploymentTarget], mode: DeploymentMode, replace: ReplacePolicy,
    deployment: String?, dryRun: Bool, catalog: CertificateCatalog, protected: Set<String> = []
  ) async -> (plan: DeploymentPlan, report: DeploymentReport) {
    var planner = planner(catalog: catalog)
    planner.protected = protected.subtracting([certificate.identifier])
    if dryRun {
      let plan = await planner.plan(
        certificate: certificate, targets: targets, mode: mode, replace: replace, deployment: deployment)
      return (plan, await executor.execute(plan, dryRun: true))
    }
    return await executor.planAndExecute(
      planner: planner, certificate: certificate, targets: targets, mode: mode, replace: replace, deployment: deployment
    )
  }

  var executor: DeploymentExecutor {
    var executor = DeploymentExecutor(
      backend: backend, state: state, now: now, concurrency: concurrency, jobTimeout: jobTimeout, logger: logger,
      progress: progress, servingVerifier: servingVerifier)
    executor.stop = stop
    executor.book = listenerBook
    executor.planningAllowance = planningAllowance
    return executor
  }
}
